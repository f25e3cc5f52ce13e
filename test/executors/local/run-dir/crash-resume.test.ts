/**
 * `kill -9` of the runner in the middle of a run leaves a manifest that tells the truth, and
 * `--resume` completes the run in a new run directory without rerunning what had succeeded.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
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
import { listRunIds } from "../../../../src/executors/local/run-dir/run-dir.js";

const COUNTING = path.join(FIXTURES, "counting.ts");

describe("crash and resume", () => {
  it("GIVEN a run killed with SIGKILL while b runs WHEN it is resumed THEN a is carried over, b and c run, and b's orphan is stopped", async () => {
    const dir = tempDir();
    const { runner, runId, env } = await startCountingRunAtB(dir);
    const runsDir = path.join(dir, "runs");
    const helper = readFileSync(`/proc/${runner.pid}/task/${runner.pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .map(Number)
      .find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[1] === "-e");
    expect(helper, "the process starter is running").toBeDefined();
    runner.kill("SIGKILL");
    await exitOf(runner);
    // The process starter goes with the runner; the stage's own process group is left (see resume below).
    await until(() => !alive(helper!), 10_000, "the process starter to exit");

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
    expect(stageOf(done, "a")).toMatchObject({ status: "success", reason: `carried over from run ${runId.slice(-6)}` });
    expect(stageOf(done, "a").attempts).toEqual(stageOf(crashed, "a").attempts);
    expect(existsSync(path.join(runsDir, newId, "logs/a.1.log"))).toBe(true);
    expect(done.params).toEqual({ b_sleep: 0 });
    expect([
      counter(path.join(dir, "a.count")),
      counter(path.join(dir, "b.count")),
      counter(path.join(dir, "c.count")),
    ]).toEqual([1, 2, 1]);
    expect(readFileSync(path.join(dir, "c.out"), "utf8")).toBe("a\nb\n");
  });

  it("GIVEN a carried-over stage whose output was changed WHEN the run is resumed THEN that stage runs again", async () => {
    const dir = tempDir();
    const { runner, runId, env } = await startCountingRunAtB(dir);
    runner.kill("SIGKILL");
    await exitOf(runner);
    writeFileSync(path.join(dir, "a.out"), "tampered\n");
    const resumed = await cli(["run", COUNTING, "--resume", runId, "-p", "b_sleep=0"], dir, env);
    expect(resumed.code).toBe(0);
    expect(counter(path.join(dir, "a.count"))).toBe(2);
  });
});

describe("kill -9 at any moment", () => {
  it("GIVEN runs killed at moments spread over the run WHEN their manifests are read THEN each is valid and every stage it calls finished really finished", async () => {
    let midRun = 0;
    // -1: once the first stage has finished, so one kill lands mid-run however slow the machine is.
    for (const delayMs of [150, 700, 1100, 1500, 1900, 2600, -1]) {
      const dir = tempDir();
      const runner = startCli(["run", path.join(FIXTURES, "many.ts")], dir, cliEnv(dir));
      const runId = await until(() => listRunIds(path.join(dir, "runs"))[0], 30_000, "the run directory");
      if (delayMs < 0)
        await until(
          () => manifestOnDisk(dir, runId).stages.some((s) => s.status === "success"),
          30_000,
          "a stage finished",
        );
      else await new Promise((r) => setTimeout(r, delayMs));
      runner.kill("SIGKILL");
      await exitOf(runner);
      const m = manifestOnDisk(dir, runId);
      for (const s of m.stages) {
        const finished = s.status === "success";
        if (finished) {
          expect(counter(path.join(dir, `${s.id}.count`)), `${s.id} recorded as success`).toBe(1);
          expect(readFileSync(path.join(dir, `${s.id}.out`), "utf8")).toBe(`${s.id}\n`);
          expect(s.outputs[0]?.path).toBe(`${s.id}.out`);
        }
        if (s.status === "pending") expect(s.attempts).toEqual([]);
      }
      if (m.status !== "running") expect(m.status).toBe("success");
      const done = m.stages.filter((s) => s.status === "success").length;
      if (done > 0 && done < m.stages.length) midRun++;
    }
    expect(midRun, "kills that landed in the middle of a run").toBeGreaterThan(0);
  }, 240_000); // seven CLI starts: minutes on a loaded 2-core machine
});
