/**
 * `updraft run` as people use it: exit codes (0, 1, 2; 130 is in interrupt.test.ts), the summary
 * table, plain timestamped progress lines, and clear errors for runs that cannot be resumed.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRunIds } from "../../../src/executors/local/run-dir/run-dir.js";
import { BIN_FILE, cli, cliEnv, FIXTURES, manifestOnDisk, stageOf, tempDir, TSX_LOADER, until } from "./helpers.js";

const OUTCOMES = path.join(FIXTURES, "outcomes.ts");

/** Output with run ids, times and temp paths replaced, for snapshots. */
function stable(text: string, dir: string): string {
  return (
    text
      .replaceAll(dir, "<dir>")
      .replace(/\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}/g, "<run>")
      .replace(/^\d\d:\d\d:\d\d /gm, "<time> ")
      .replace(/\d+\.\d+s|\d+s\b/g, "<t>")
      // Column widths follow the durations, which vary.
      .replace(/ {2,}/g, "  ")
  );
}

describe("updraft run", () => {
  it("GIVEN a pipeline that succeeds WHEN it runs outside a terminal THEN it prints timestamped lines and the summary, and exits 0", async () => {
    const dir = tempDir();
    const { code, output } = await cli(["run", OUTCOMES], dir, cliEnv(dir));
    expect(code).toBe(0);
    expect(output).toMatch(/^\d\d:\d\d:\d\d work attempt 1\/1 started$/m);
    expect(
      stable(output, dir)
        .split("\n")
        .filter((l) => !l.startsWith("<time>"))
        .join("\n"),
    ).toMatchInlineSnapshot(`
      "stage  status  attempts  duration
      work  success  1  <t>
      result_gate  success  1  <t>  PASS: the only rule passed
      release  success  1  <t>

      produced by release:
        released.txt  (7 B, sha256 5656fafa00d4)

      run <run>: success in <t> (3 success)
      records and logs: runs/<run>/
      "
    `);
  });

  it("GIVEN a stage that fails WHEN it runs THEN dependents are upstream_failed, the summary points at the log, and the exit code is 1", async () => {
    const dir = tempDir();
    const { code, output } = await cli(["run", OUTCOMES, "-p", "mode=fail"], dir, cliEnv(dir));
    expect(code).toBe(1);
    const m = manifestOnDisk(dir, listRunIds(path.join(dir, "runs"))[0]!);
    expect(m.stages.map((s) => s.status)).toEqual(["failed", "upstream_failed", "upstream_failed"]);
    // Log paths are printed from the directory the run started in, so that they can be pasted.
    expect(output).toContain(`exit 4 (runs/${m.runId}/logs/work.1.log)\n`);
    expect(output).toContain(`work: last lines of runs/${m.runId}/logs/work.1.log\n  | boom\n`);
    expect(output).toContain(`continue it with: --resume ${m.runId}`);
    expect(readFileSync(path.join(dir, "runs", m.runId, "logs/work.1.log"), "utf8")).toBe("boom\n");
  });

  it("GIVEN a blocking gate that fails WHEN it runs THEN release is blocked, the summary names the failing rule, and the exit code is 1", async () => {
    const dir = tempDir();
    const { code, output } = await cli(["run", OUTCOMES, "-p", "mode=empty"], dir, cliEnv(dir));
    expect(code).toBe(1);
    const m = manifestOnDisk(dir, listRunIds(path.join(dir, "runs"))[0]!);
    expect(m.stages.map((s) => s.status)).toEqual(["success", "failed", "blocked"]);
    const reason = stageOf(m, "result_gate").gate!.reason;
    expect(output).toContain(`result_gate failed: FAIL (block): ${reason}`);
    expect(output).toMatch(new RegExp(`^release +blocked +0 +- +gate result_gate failed$`, "m"));
  });

  it("GIVEN invalid input WHEN the run is asked for THEN it exits 2 with a hint and runs nothing", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    const bad = await cli(["run", OUTCOMES, "-p", "mode=bogus"], dir, env);
    expect(bad.code).toBe(2);
    const only = await cli(["run", OUTCOMES, "--only", "nope"], dir, env);
    expect(only.code).toBe(2);
    expect(only.output).toMatchInlineSnapshot(`
      "error: no stage named "nope" in pipeline outcomes
      hint: stages are: work, result_gate, release
      "
    `);
    const both = await cli(["run", OUTCOMES, "--quiet", "--verbose"], dir, env);
    expect(both.code).toBe(2);
    expect(listRunIds(path.join(dir, "runs"))).toEqual([]);
  });

  it("GIVEN --quiet WHEN it runs THEN only the outcome is printed", async () => {
    const dir = tempDir();
    const { code, output } = await cli(["run", OUTCOMES, "--quiet"], dir, cliEnv(dir));
    expect(code).toBe(0);
    expect(stable(output, dir)).toMatchInlineSnapshot(`
      "run <run>: success in <t> (3 success)
      records and logs: runs/<run>/
      "
    `);
  });

  it("GIVEN --verbose WHEN it runs THEN each stage's output is streamed with a [stage] prefix", async () => {
    const dir = tempDir();
    const { output } = await cli(["run", OUTCOMES, "-p", "mode=fail", "--verbose"], dir, cliEnv(dir));
    expect(output).toMatch(/^\d\d:\d\d:\d\d \[work\] boom$/m);
    expect(output).toMatch(/work runs: no earlier successful run/);
  });
});

describe("output that goes away", () => {
  it("GIVEN `updraft run ... | head -2` WHEN head exits early THEN the run still finishes every stage", async () => {
    const dir = tempDir();
    const script = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(TSX_LOADER)} ${JSON.stringify(BIN_FILE)} run ${JSON.stringify(path.join(FIXTURES, "many.ts"))} 2>&1 | head -2`;
    execFileSync("bash", ["-c", script], { cwd: dir, env: cliEnv(dir) });
    const id = await until(() => listRunIds(path.join(dir, "runs"))[0], 10_000, "the run");
    const m = await until(
      () => {
        const x = manifestOnDisk(dir, id);
        return x.status !== "running" && x;
      },
      30_000,
      "the run to finish",
    );
    expect(m.status).toBe("success");
    expect(m.stages.every((s) => s.status === "success")).toBe(true);
  });
});

describe("a pipeline file run directly", () => {
  it("GIVEN `tsx pipeline.ts` without a command WHEN it runs THEN it is `updraft run`, with the same flags", async () => {
    const dir = tempDir();
    const { code, output } = await cli(["-p", "mode=fail", "--quiet"], dir, cliEnv(dir), OUTCOMES);
    expect(code).toBe(1);
    expect(output).toMatch(/^run \S+: failed in/m);
    const m = manifestOnDisk(dir, listRunIds(path.join(dir, "runs"))[0]!);
    expect(m.stages.map((s) => s.status)).toEqual(["failed", "upstream_failed", "upstream_failed"]);
    const resumed = await cli(["--resume", "-p", "mode=ok", "--quiet"], dir, cliEnv(dir), OUTCOMES);
    expect(resumed.code).toBe(0);
  });
});

describe("updraft run --resume with bad input", () => {
  async function failedRun(dir: string): Promise<string> {
    await cli(["run", OUTCOMES, "-p", "mode=fail"], dir, cliEnv(dir));
    return listRunIds(path.join(dir, "runs"))[0]!;
  }

  it("GIVEN a truncated manifest WHEN the run is resumed THEN it exits 2 with a clear error", async () => {
    const dir = tempDir();
    const id = await failedRun(dir);
    const file = path.join(dir, "runs", id, "manifest.json");
    writeFileSync(file, readFileSync(file, "utf8").slice(0, 200));
    const { code, output } = await cli(["run", OUTCOMES, "--resume", id], dir, cliEnv(dir));
    expect(code).toBe(2);
    expect(output).toMatch(
      /^error: cannot resume run \S+: its manifest\.json cannot be used: it is not valid JSON \(.*\); it may be truncated or edited by hand$/m,
    );
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("GIVEN a hand-edited manifest WHEN the run is resumed THEN it exits 2 naming the bad field", async () => {
    const dir = tempDir();
    const id = await failedRun(dir);
    const file = path.join(dir, "runs", id, "manifest.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"status": "failed"', '"status": "sort of ok"'));
    const { code, output } = await cli(["run", OUTCOMES, "--resume", id], dir, cliEnv(dir));
    expect(code).toBe(2);
    expect(output).toContain(
      `error: cannot resume run ${id}: its manifest.json cannot be used: it does not match the manifest format at status:`,
    );
  });

  it("GIVEN an unknown run id WHEN the run is resumed THEN it exits 2 and points at the list of runs", async () => {
    const dir = tempDir();
    const { code, output } = await cli(["run", OUTCOMES, "--resume", "no-such-run"], dir, cliEnv(dir));
    expect(code).toBe(2);
    expect(stable(output, dir)).toMatchInlineSnapshot(`
      "error: cannot resume: no run "no-such-run" in <dir>/runs
      hint: updraft history lists the runs (or look in the runs directory)
      "
    `);
  });

  it("GIVEN a run that succeeded WHEN it is resumed THEN it exits 2: there is nothing to resume", async () => {
    const dir = tempDir();
    await cli(["run", OUTCOMES], dir, cliEnv(dir));
    const id = listRunIds(path.join(dir, "runs"))[0]!;
    const { code, output } = await cli(["run", OUTCOMES, "--resume", id], dir, cliEnv(dir));
    expect(code).toBe(2);
    expect(output).toContain(`cannot resume run ${id}: it succeeded; there is nothing to resume`);
  });

  it("GIVEN a failed run WHEN it is resumed by id alone, without the pipeline file THEN the stored plan is used", async () => {
    const dir = tempDir();
    const id = await failedRun(dir);
    const { code, output } = await cli(["run", "--resume", id, "-p", "mode=ok"], dir, cliEnv(dir));
    expect(code, output).toBe(0);
    const m = manifestOnDisk(dir, listRunIds(path.join(dir, "runs"))[0]!);
    expect(m).toMatchObject({ trigger: "resume", resumeOf: id, params: { mode: "ok" }, status: "success" });
  });
});
