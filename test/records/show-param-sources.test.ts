/**
 * `updraft show RUN` says where each parameter's value came from, as the run recorded it: a real
 * local run given --param and a variable, and an Airflow run's run.json.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { manifest, writeAirflowRun } from "../fixtures/history/factory.js";
import { ROOT, tempDir, updraftIn } from "./helpers.js";

const paramsLine = (text: string) => text.split("\n").find((l) => l.startsWith("  params"));

describe("updraft show: parameter sources", () => {
  it("GIVEN a local run given --param, a variable and defaults WHEN shown THEN each value says where it came from", async () => {
    const cwd = tempDir("updraft-show-sources-");
    const src = pathToFileURL(path.join(ROOT, "src/index.ts")).href;
    writeFileSync(
      path.join(cwd, "p.mts"),
      [
        `import { param, pipeline, runCli, sh } from ${JSON.stringify(src)};`,
        `export default pipeline("srcs", { params: { n: param.int({ default: 1 }), who: param.string({ env: "SRC_WHO" }), k: param.bool({ default: false }) } }, ({ stage }) => {`,
        '  stage("a", { command: sh`true` });',
        "});",
      ].join("\n"),
    );
    const run = await updraftIn(cwd, ["run", "p.mts", "--param", "n=5", "-q"], { SRC_WHO: "ada" });
    expect(run.code, run.stderr).toBe(0);
    const id = readdirSync(path.join(cwd, ".updraft", "runs")).find((n) => !n.startsWith("."))!;
    const shown = await updraftIn(cwd, ["show", id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(paramsLine(shown.stdout)).toBe("  params    n=5 (--param) who=ada (SRC_WHO) k=false (default)");
  });

  it("GIVEN an Airflow run whose run.json records sources, and one from before it did WHEN shown THEN the first has them, the second shows values only", async () => {
    const root = tempDir("updraft-show-sources-");
    const start = "2025-03-06T00:00:00Z";
    const dir = writeAirflowRun(root, manifest({ runId: "20250306-0000-af01", start }), "manual__1");
    writeAirflowRun(root, manifest({ runId: "20250306-0000-af02", start }), "manual__2");
    const file = path.join(dir, "run.json");
    const run = JSON.parse(readFileSync(file, "utf8")) as { params: Record<string, unknown> };
    const sources = Object.fromEntries(Object.keys(run.params).map((k) => [k, "dag_run.conf"]));
    writeFileSync(file, JSON.stringify({ ...run, paramSources: sources }));
    const env = { UPDRAFT_RUNS_DIR: root };
    const values = Object.entries(run.params).map(([k, v]) => `${k}=${String(v)}`);
    expect(paramsLine((await updraftIn(root, ["show", "20250306-0000-af01"], env)).stdout)).toBe(
      `  params    ${values.map((v) => `${v} (dag_run.conf)`).join(" ")}`,
    );
    expect(paramsLine((await updraftIn(root, ["show", "20250306-0000-af02"], env)).stdout)).toBe(
      `  params    ${values.join(" ")}`,
    );
  });
});
