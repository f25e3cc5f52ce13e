/**
 * `kill -9` of the runner in the middle of a run leaves a manifest that tells the truth, and
 * `--resume` completes the run in a new run directory without rerunning what had succeeded.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliEnv, counter, exitOf, FIXTURES, manifestOnDisk, startCli, stageOf, tempDir, until } from "./helpers.js";
import { listRunIds } from "../../../src/executors/local/run-dir.js";

const COUNTING = path.join(FIXTURES, "counting.ts");

describe("crash and resume", () => {
  it("GIVEN a run killed with SIGKILL while b runs WHEN it is resumed THEN a is carried over, b and c run, and b's orphan is stopped", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    const runner = startCli(["run", COUNTING, "-p", "b_sleep=60"], dir, env);
    const runsDir = path.join(dir, "runs");
    const runId = await until(() => listRunIds(runsDir)[0], 30_000, "the run directory");
    await until(() => stageOf(manifestOnDisk(dir, runId), "b").status === "running", 30_000, "b running in the manifest");
    runner.kill("SIGKILL");
    await exitOf(runner);

    const crashed = manifestOnDisk(dir, runId);
    expect(crashed.status).toBe("running");
    expect(crashed.pid).toBe(runner.pid);
    expect(stageOf(crashed, "a").status).toBe("success");
    expect(stageOf(crashed, "b")).toMatchObject({ status: "running", attempts: [{ outcome: "running", end: null }] });
    expect(stageOf(crashed, "c").status).toBe("pending");

    const resumed = await cli(["run", COUNTING, "--resume", "-p", "b_sleep=0"], dir, env);
    expect(resumed.output).toContain(`resuming run ${runId}`);
    expect(resumed.output).toMatch(/stopped process group \d+, left running by interrupted run/);
    expect(resumed.code).toBe(0);
    const newId = listRunIds(runsDir)[0]!;
    const done = manifestOnDisk(dir, newId);
    expect(done).toMatchObject({ status: "success", trigger: "resume", resumeOf: runId });
    expect(stageOf(done, "a")).toMatchObject({ status: "success", reason: `carried over from run ${runId}` });
    expect(stageOf(done, "a").attempts).toEqual(stageOf(crashed, "a").attempts);
    expect(existsSync(path.join(runsDir, newId, "logs/a.1.log"))).toBe(true);
    expect(done.params).toEqual({ b_sleep: 0 });
    expect([counter(path.join(dir, "a.count")), counter(path.join(dir, "b.count")), counter(path.join(dir, "c.count"))]).toEqual([1, 2, 1]);
    expect(readFileSync(path.join(dir, "c.out"), "utf8")).toBe("a\nb\n");
  });

  it("GIVEN a carried-over stage whose output was changed WHEN the run is resumed THEN that stage runs again", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    const runner = startCli(["run", COUNTING, "-p", "b_sleep=60"], dir, env);
    const runId = await until(() => listRunIds(path.join(dir, "runs"))[0], 30_000, "the run directory");
    await until(() => stageOf(manifestOnDisk(dir, runId), "b").status === "running", 30_000, "b running");
    runner.kill("SIGKILL");
    await exitOf(runner);
    writeFileSync(path.join(dir, "a.out"), "tampered\n");
    const resumed = await cli(["run", COUNTING, "--resume", runId, "-p", "b_sleep=0"], dir, env);
    expect(resumed.code).toBe(0);
    expect(counter(path.join(dir, "a.count"))).toBe(2);
  });
});
