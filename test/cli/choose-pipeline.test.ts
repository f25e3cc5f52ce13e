/**
 * A pipeline file that declares several pipelines and no default export: the CLI lists them and
 * asks for `--pipeline ID`, instead of taking whichever came first.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT, updraft } from "./helpers.js";

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

  it("GIVEN a default export in a CommonJS project WHEN it is planned THEN that pipeline is used", async () => {
    // tsx compiles a .ts file to CommonJS where package.json says "type": "commonjs".
    const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-cjs-"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app", type: "commonjs" }));
    const index = pathToFileURL(path.join(ROOT, "src/index.ts")).href;
    writeFileSync(
      path.join(dir, "pipeline.ts"),
      `import { pipeline, sh } from ${JSON.stringify(index)};\n` +
        `export default pipeline("cjs_default", {}, ({ stage }) => { stage("hello", { command: sh\`echo hello\` }); });\n`,
    );
    const r = await updraft(["plan", path.join(dir, "pipeline.ts")]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toContain("dry-run: pipeline cjs_default");
  });
});
