/**
 * Ctrl-C: the first SIGINT stops running stages gracefully and records them cancelled, the run
 * exits 130 and can be resumed; SIGTERM to the runner does the same; a second SIGINT kills at once.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRunIds } from "../../../../src/executors/local/run-dir/run-dir.js";
import {
  alive,
  cli,
  cliEnv,
  counter,
  exitOf,
  FIXTURES,
  manifestOnDisk,
  startCli,
  startCountingRunAtB,
  stageOf,
  tempDir,
  until,
} from "../helpers.js";
import { processesWithEnv } from "../../../../src/executors/local/process/proc.js";

const COUNTING = path.join(FIXTURES, "counting.ts");

describe("interrupts", () => {
  it("GIVEN a running stage WHEN the runner gets SIGINT THEN it exits 130 with the run cancelled, and --resume finishes it", async () => {
    const dir = tempDir();
    const { runner, runId, env } = await startCountingRunAtB(dir);
    runner.kill("SIGINT");
    const { code } = await exitOf(runner);
    expect(code).toBe(130);
    const m = manifestOnDisk(dir, runId);
    expect(m.status).toBe("cancelled");
    expect(m.end).not.toBeNull();
    expect(stageOf(m, "a").status).toBe("success");
    expect(stageOf(m, "b")).toMatchObject({
      status: "cancelled",
      attempts: [{ outcome: "cancelled", signal: "SIGTERM" }],
    });
    expect(stageOf(m, "c")).toMatchObject({ status: "cancelled", reason: "not started: b was cancelled" });
    expect(processesWithEnv("UPDRAFT_RUN_ID", runId)).toEqual([]);
    expect(runner.output()).toContain("SIGINT: stopping running stages");
    expect(runner.output()).toContain(`continue it with: --resume ${runId}`);

    const resumed = await cli(["run", COUNTING, "--resume", runId, "-p", "b_sleep=0"], dir, env);
    expect(resumed.code).toBe(0);
    expect([
      counter(path.join(dir, "a.count")),
      counter(path.join(dir, "b.count")),
      counter(path.join(dir, "c.count")),
    ]).toEqual([1, 2, 1]);
  });

  it("GIVEN a running stage WHEN the runner gets SIGTERM THEN it behaves as for a first Ctrl-C", async () => {
    const dir = tempDir();
    const { runner, runId } = await startCountingRunAtB(dir);
    runner.kill("SIGTERM");
    expect((await exitOf(runner)).code).toBe(130);
    expect(stageOf(manifestOnDisk(dir, runId), "b").status).toBe("cancelled");
  });

  it("GIVEN a stage that ignores SIGTERM WHEN a second SIGINT follows THEN the stage is killed at once", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    const runner = startCli(["run", path.join(FIXTURES, "stubborn.ts"), "--grace", "60"], dir, env);
    const runId = await until(() => listRunIds(path.join(dir, "runs"))[0], 30_000, "the run directory");
    await until(() => stageOf(manifestOnDisk(dir, runId), "stubborn").status === "running", 30_000, "stubborn running");
    // The script writes its pid after installing its trap: only then does it ignore SIGTERM.
    await until(() => existsSync(path.join(dir, "pid")), 30_000, "the trap installed");
    runner.kill("SIGINT");
    await until(() => runner.output().includes("SIGINT: stopping"), 10_000, "the first SIGINT noticed");
    runner.kill("SIGINT");
    const started = Date.now();
    expect((await exitOf(runner)).code).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(alive(Number(readFileSync(path.join(dir, "pid"), "utf8")))).toBe(false);
    expect(stageOf(manifestOnDisk(dir, runId), "stubborn").attempts[0]).toMatchObject({
      outcome: "cancelled",
      signal: "SIGKILL",
    });
  });
});
