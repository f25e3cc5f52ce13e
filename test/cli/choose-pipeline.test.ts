/**
 * A pipeline file that declares several pipelines and no default export: the CLI lists them and
 * asks for `--pipeline ID`, instead of taking whichever came first.
 */
import { describe, expect, it } from "vitest";
import { updraft } from "./helpers.js";

const FILE = "test/fixtures/cli/two-pipelines.ts";

describe("a file with several pipelines", () => {
  it("GIVEN no default export WHEN it is planned without --pipeline THEN it lists them and asks for one, exit 2", async () => {
    const r = await updraft(["plan", FILE]);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: ${FILE} declares 2 pipelines and no default export: evaluate, train\nhint: choose one with --pipeline evaluate, or export the usual one as default`,
    });
  });

  it("GIVEN --pipeline ID WHEN it is planned or graphed THEN that pipeline is used, and a misspelt id gets the nearest", async () => {
    const chosen = await updraft(["plan", FILE, "--pipeline", "evaluate"]);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain("evaluate");
    expect(chosen.stdout).toContain("score");
    expect(chosen.stdout).not.toContain("fit");
    const graph = await updraft(["graph", FILE, "--pipeline", "train"]);
    expect(graph.stdout).toContain("fit");

    const typo = await updraft(["plan", FILE, "--pipeline", "evalute"]);
    expect(typo).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: ${FILE} declares no pipeline "evalute"\nhint: did you mean "evaluate"? it declares: evaluate, train`,
    });
  });
});
