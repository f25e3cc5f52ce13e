import { describe, expect, it } from "vitest";
import { pipeline, plan } from "updraft";
import { toDot, toMermaid } from "../../../src/executors/graph/render.js";

const one = pipeline("one", {}, ({ stage }) => {
  const a = stage("a", { command: ["true"] });
  stage("b", { command: ["true"], dependsOn: [a] });
});

describe("graph: Mermaid and DOT", () => {
  it("GIVEN a plan WHEN drawn as Mermaid and as DOT THEN both flow top to bottom", () => {
    const r = plan(one);
    if (!r.ok) throw new Error("invalid");
    expect(toMermaid(r.plan).split("\n")[0]).toBe("flowchart TD");
    expect(toDot(r.plan)).toContain("rankdir=TB;");
  });
});
