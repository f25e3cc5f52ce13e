import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planGc, removeRuns } from "../../src/records/gc.js";
import { readRuns } from "../../src/records/read-runs.js";
import { manifest, writeAirflowRun, writeRun } from "../fixtures/history/factory.js";
import { deadPid, tempDir } from "./helpers.js";

const FAILED = [{ id: "train", outcomes: ["failed" as const] }];
const RUNNING = [{ id: "train", outcomes: ["running" as const] }];

/** A root with runs of two pipelines, oldest first: r1 .. r7, plus a foreign folder. */
function history(): string {
  const root = tempDir();
  const at = (day: number) => `2025-03-0${day}T09:00:00Z`;
  writeRun(root, manifest({ runId: "r1", start: at(1), pipelineId: "other" }));
  writeRun(root, manifest({ runId: "r2", start: at(2) }));
  writeRun(root, manifest({ runId: "r3", start: at(3), stages: FAILED }));
  writeRun(root, manifest({ runId: "r4", start: at(4), host: os.hostname(), pid: process.pid, stages: RUNNING }));
  writeRun(root, manifest({ runId: "r5", start: at(5), stages: FAILED }));
  writeAirflowRun(root, manifest({ runId: "r6", start: at(6), stages: FAILED }), "manual__r6");
  writeRun(root, manifest({ runId: "r7", start: at(7), stages: FAILED }));
  mkdirSync(path.join(root, "notes"));
  writeFileSync(path.join(root, "notes", "todo.txt"), "keep me");
  return root;
}

describe("gc", () => {
  it("keeps the newest N, the newest success of each pipeline and a live run; removes the rest", async () => {
    // GIVEN a history of seven runs
    const root = history();
    const { runs } = await readRuns(root);
    // WHEN asked to keep 2
    const plan = planGc(runs, 2);
    // THEN
    expect(plan.keep.map((k) => [k.run.id, k.why])).toEqual([
      ["r7", "one of the newest 2"],
      ["airflow-manual__r6", "one of the newest 2"],
      ["r4", "still running"],
      ["r2", "newest successful run of rwkv"],
      ["r1", "newest successful run of other"],
    ]);
    expect(plan.remove.map((r) => r.id)).toEqual(["r5", "r3"]);
  });

  it("removes a run recorded as running whose runner is dead, but not one it cannot check", async () => {
    const root = tempDir();
    const dead = await deadPid();
    writeRun(
      root,
      manifest({ runId: "dead", start: "2025-03-01T09:00:00Z", host: os.hostname(), pid: dead, stages: RUNNING }),
    );
    writeRun(
      root,
      manifest({ runId: "remote", start: "2025-03-02T09:00:00Z", host: "gpu-box", pid: 7, stages: RUNNING }),
    );
    const plan = planGc((await readRuns(root)).runs, 0);
    expect([plan.remove.map((r) => r.id), plan.keep.map((k) => k.why)]).toEqual([
      ["dead"],
      ["recorded as running; its runner cannot be checked from here"],
    ]);
  });

  it("deletes exactly the chosen run directories and leaves foreign folders alone", async () => {
    const root = history();
    const { runs } = await readRuns(root);
    const errors = await removeRuns(root, planGc(runs, 2).remove);
    expect(errors).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(["airflow-manual__r6", "notes", "r1", "r2", "r4", "r7"]);
    expect(existsSync(path.join(root, "notes", "todo.txt"))).toBe(true);
  });

  it("refuses to delete a run directory that is not directly under the root", async () => {
    const root = history();
    const elsewhere = tempDir();
    writeRun(elsewhere, manifest({ runId: "x", start: "2025-03-01T09:00:00Z" }));
    const { runs } = await readRuns(elsewhere);
    expect(await removeRuns(root, runs)).toEqual([
      `${path.join(elsewhere, "x")}: not directly under ${root}, left alone`,
    ]);
    expect(existsSync(path.join(elsewhere, "x", "manifest.json"))).toBe(true);
  });
});
