/**
 * maxActiveRuns on one machine: runs of one pipeline in one runs directory take slot files under
 * `.locks/<pipeline>/`; a run beyond the limit refuses (naming the holder) or waits with `wait`,
 * and a slot left by a dead runner is reclaimed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import { readRuns } from "../../../../src/records/read-runs.js";
import { planOf, run, stageOf, tempDir, until } from "../helpers.js";

function slow(maxActiveRuns?: number) {
  return planOf(
    pipeline("slow", maxActiveRuns === undefined ? {} : { maxActiveRuns }, ({ stage }) => {
      stage("work", { command: sh`echo "$UPDRAFT_RUN_ID" > started.$UPDRAFT_RUN_ID; sleep 0.6; echo x >> work.count` });
    }),
  );
}

function runDirs(dir: string): string[] {
  return readdirSync(path.join(dir, "runs")).filter((n) => !n.startsWith("."));
}

describe("maxActiveRuns on one machine", () => {
  it("GIVEN a run in progress WHEN a second run of the pipeline starts in the same runs dir THEN it refuses, naming the running run, and writes no run dir", async () => {
    const dir = tempDir();
    const first = run(slow(), dir, {}, { force: true });
    const firstId = await until(() =>
      readdirSync(dir)
        .find((n) => n.startsWith("started."))
        ?.slice(8),
    );
    const error = await run(slow(), dir, {}, { force: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunSetupError);
    expect((error as Error).message).toContain(
      `pipeline "slow" is already running in this runs directory: run ${firstId}`,
    );
    expect((error as RunSetupError).hint).toContain("--wait");
    expect((await first).status).toBe("success");
    expect(runDirs(dir)).toEqual([firstId]);
  });

  it("GIVEN a run in progress WHEN a second run starts with wait THEN it starts only after the first ended", async () => {
    const dir = tempDir();
    const first = run(slow(), dir, {}, { force: true });
    await until(() => readdirSync(dir).some((n) => n.startsWith("started.")));
    const second = await run(slow(), dir, {}, { force: true, wait: true });
    const m1 = await first;
    expect(second.status).toBe("success");
    expect(Date.parse(stageOf(second, "work").attempts[0]!.start)).toBeGreaterThanOrEqual(Date.parse(m1.end!));
  });

  it("GIVEN maxActiveRuns 2 WHEN two runs start at once THEN both run side by side", async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([run(slow(2), dir, {}, { force: true }), run(slow(2), dir, {}, { force: true })]);
    expect([a.status, b.status]).toEqual(["success", "success"]);
    expect(Date.parse(stageOf(b, "work").attempts[0]!.start)).toBeLessThan(Date.parse(a.end!));
  });

  it("GIVEN a slot file left by a runner that died WHEN a new run starts THEN it reclaims the slot and runs", async () => {
    const dir = tempDir();
    const dead = spawnSync("true").pid!;
    const locks = path.join(dir, "runs", ".locks", "slow");
    mkdirSync(locks, { recursive: true });
    const stale = { runId: "old-run", pid: dead, pidStart: null, host: os.hostname(), since: "x" };
    writeFileSync(path.join(locks, "run-0.lock"), JSON.stringify(stale));
    const m = await run(slow(), dir);
    expect(m.status).toBe("success");
    expect(existsSync(path.join(locks, "run-0.lock"))).toBe(false);
  });

  it("GIVEN the slot folder under the runs dir WHEN history reads the runs THEN it is no run and no warning", async () => {
    const dir = tempDir();
    const m = await run(slow(), dir);
    mkdirSync(path.join(dir, "runs", ".locks", "slow"), { recursive: true });
    const read = await readRuns(path.join(dir, "runs"));
    expect(read.warnings).toEqual([]);
    expect(read.runs.map((r) => r.id)).toEqual([m.runId]);
  });
});
