import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lineage } from "../../src/records/lineage.js";
import { findRun, readRuns, runsRoot } from "../../src/records/read-runs.js";
import { chainPlan, manifest, writeAirflowRun, writeRun } from "../fixtures/history/factory.js";
import { deadPid, readFull, tempDir } from "./helpers.js";

const GATED = [
  { id: "prepare", outputs: ["data/train.jsonl"] },
  {
    id: "train",
    outcomes: ["timeout" as const, "success" as const],
    gpus: [0],
    gpuWaitMs: 90_000,
    inputs: ["data/train.jsonl"],
  },
  { id: "eval-gate", gate: { verdict: "FAIL" as const } },
];

describe("readRuns", () => {
  it("reads local manifests newest first, with status, duration and the stage to blame", async () => {
    // GIVEN two local runs, the newer one failing in train
    const root = tempDir();
    writeRun(root, manifest({ runId: "r-old", start: "2025-03-01T09:00:00Z" }));
    writeRun(
      root,
      manifest({
        runId: "r-new",
        start: "2025-03-02T09:00:00Z",
        stages: [{ id: "prepare" }, { id: "train", outcomes: ["failed"] }, { id: "eval" }],
      }),
    );
    // WHEN the root is read
    const { runs, warnings } = await readFull(root);
    // THEN both are there, newest first, and the failure is traced to its stage
    expect(warnings).toEqual([]);
    expect(runs.map((r) => [r.id, r.status, r.failedStage, r.durationMs])).toEqual([
      ["r-new", "failed", "train", 120_000],
      ["r-old", "success", null, 120_000],
    ]);
    expect(runs[0]!.stages.map((s) => s.status)).toEqual(["success", "failed", "upstream_failed"]);
  });

  it("reads an Airflow run into the same model as the same run recorded locally", async () => {
    // GIVEN one run written both as a local manifest and as Airflow audit records with its plan
    const root = tempDir();
    const plan = chainPlan("rwkv", ["prepare", "train", "eval-gate"], {
      gates: ["eval-gate"],
      inputs: { train: ["data/train.jsonl"] },
    });
    const m = manifest({ runId: "same", start: "2025-03-03T09:00:00Z", planHash: plan.hash, stages: GATED });
    writeRun(root, m, plan);
    writeAirflowRun(root, m, "manual__2025-03-03T09:00:00+00:00", plan);
    // WHEN both are read
    const { runs, warnings } = await readFull(root);
    expect(warnings).toEqual([]);
    const local = runs.find((r) => r.executor === "local")!;
    const airflow = runs.find((r) => r.executor === "airflow")!;
    // THEN stage statuses (from the last attempt), attempts, outputs, gate verdicts, lineage and the run status agree
    expect(airflow.id).toBe("airflow-manual__2025-03-03T09_00_00_00_00");
    expect(airflow.runId).toBe("same");
    const view = (r: typeof local) => ({
      status: r.status,
      failed: r.failedStage,
      end: r.end,
      stages: r.stages.map((s) => [s.id, s.kind, s.status, s.attempts, s.outputs, s.gate?.verdict]),
      lineage: lineage(r),
    });
    expect(view(airflow)).toEqual(view(local));
    expect(airflow.stages[0]!.outputs.map((o) => o.path)).toEqual(["data/train.jsonl"]);
    expect(lineage(airflow)[1]!.inputs[0]!.producedBy).toBe("prepare");
    expect(airflow.trigger).toBe("manual");
  });

  it("derives Airflow statuses: scheduled trigger, upstream_failed below a failure, running while stages are pending", async () => {
    const root = tempDir();
    const plan = chainPlan("rwkv", ["prepare", "train", "eval"]);
    // GIVEN a scheduled run that failed in train, and a manual one that has only finished prepare
    writeAirflowRun(
      root,
      manifest({
        runId: "a1",
        start: "2025-03-04T09:00:00Z",
        planHash: plan.hash,
        stages: [{ id: "prepare" }, { id: "train", outcomes: ["failed", "failed"] }],
      }),
      "scheduled__2025-03-04T09:00:00+00:00",
      plan,
    );
    writeAirflowRun(
      root,
      manifest({ runId: "a2", start: "2025-03-05T09:00:00Z", planHash: plan.hash, stages: [{ id: "prepare" }] }),
      "manual__2025-03-05",
      plan,
    );
    // WHEN read
    const { runs } = await readFull(root);
    const [a2, a1] = runs;
    // THEN
    expect([a1!.trigger, a1!.status, a1!.failedStage, a1!.stages.map((s) => s.status)]).toEqual([
      "schedule",
      "failed",
      "train",
      ["success", "failed", "upstream_failed"],
    ]);
    expect([a2!.status, a2!.end, a2!.stages.map((s) => s.status)]).toEqual([
      "running",
      null,
      ["success", "pending", "pending"],
    ]);
  });

  it("orders Airflow stages by their attempts when the run kept no plan", async () => {
    const root = tempDir();
    writeAirflowRun(
      root,
      manifest({ runId: "np", start: "2025-03-04T09:00:00Z", stages: [{ id: "zeta" }, { id: "alpha" }] }),
      "manual__np",
    );
    const { runs } = await readFull(root);
    expect(runs[0]!.stages.map((s) => s.id)).toEqual(["zeta", "alpha"]);
    expect(runs[0]!.status).toBe("success");
  });

  it("reports a running run whose process is dead on this host as interrupted, and a live one as running", async () => {
    // GIVEN two "running" manifests on this host: one with a dead pid, one with this process's pid
    const root = tempDir();
    const running = [{ id: "prepare" }, { id: "train", outcomes: ["running" as const] }];
    writeRun(
      root,
      manifest({
        runId: "dead",
        start: "2025-03-01T09:00:00Z",
        host: os.hostname(),
        pid: await deadPid(),
        stages: running,
      }),
    );
    writeRun(
      root,
      manifest({
        runId: "live",
        start: "2025-03-02T09:00:00Z",
        host: os.hostname(),
        pid: process.pid,
        stages: running,
      }),
    );
    writeRun(
      root,
      manifest({ runId: "elsewhere", start: "2025-03-03T09:00:00Z", host: "another-host", pid: 1, stages: running }),
    );
    // WHEN read
    const { runs } = await readRuns(root);
    // THEN only the dead one is interrupted, blamed on the stage that was running
    expect(runs.map((r) => [r.id, r.status, r.failedStage])).toEqual([
      ["elsewhere", "running", null],
      ["live", "running", null],
      ["dead", "interrupted", "train"],
    ]);
  });

  it("skips corrupt and foreign entries with one warning each and still reads the good runs", async () => {
    // GIVEN a good run beside a truncated manifest, a stray file, an empty dir, a v2 manifest,
    // a manifest of the wrong shape and a broken Airflow run.json
    const root = tempDir();
    writeRun(root, manifest({ runId: "good", start: "2025-03-01T09:00:00Z" }));
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put(
      "truncated/manifest.json",
      JSON.stringify(manifest({ runId: "truncated", start: "2025-03-01T10:00:00Z" })).slice(0, 200),
    );
    put("notes.txt", "hello");
    mkdirSync(path.join(root, "empty"));
    put("future/manifest.json", JSON.stringify({ version: 2, runId: "future" }));
    put(
      "shape/manifest.json",
      JSON.stringify({ ...manifest({ runId: "shape", start: "2025-03-01T11:00:00Z" }), stages: "none" }),
    );
    put("airflow-x/run.json", JSON.stringify({ version: 1, executor: "airflow" }));
    put("good/attempts/junk.json", "{");
    // WHEN read
    const { runs, warnings } = await readRuns(root);
    // THEN only the good run is read and each bad entry is named once, with why
    expect(runs.map((r) => r.id)).toEqual(["good"]);
    const rel = warnings.map((w) => w.replaceAll(root, "ROOT")).sort();
    expect(rel).toEqual([
      "ROOT/airflow-x: skipped, not a valid Airflow run record (runId: Invalid input: expected string, received undefined)",
      "ROOT/empty: skipped, not a run directory (no manifest.json or run.json)",
      "ROOT/future: skipped, manifest version 2 is not supported (this updraft reads version 1)",
      "ROOT/notes.txt: skipped, not a run directory (a file)",
      "ROOT/shape: skipped, not a valid manifest (stages: Invalid input: expected array, received string)",
      expect.stringMatching(/^ROOT\/truncated: skipped, manifest.json: invalid JSON \(/),
    ]);
  });

  it("treats a missing root as an empty history", async () => {
    const { runs, warnings } = await readRuns(path.join(tempDir(), "nope"));
    expect([runs, warnings]).toEqual([[], []]);
  });

  it("marks partial runs and dry runs", async () => {
    const root = tempDir();
    writeRun(
      root,
      manifest({
        runId: "part",
        start: "2025-03-01T09:00:00Z",
        from: ["train"],
        stages: [{ id: "prepare", status: "not_selected" }, { id: "train" }],
      }),
    );
    writeRun(
      root,
      manifest({
        runId: "dry",
        start: "2025-03-02T09:00:00Z",
        stages: [
          { id: "prepare", status: "pending" },
          { id: "train", status: "pending" },
        ],
        status: "success",
      }),
    );
    const { runs } = await readRuns(root);
    expect(runs.map((r) => [r.id, r.partial, r.dryRun])).toEqual([
      ["dry", false, true],
      ["part", true, false],
    ]);
  });
});

describe("runsRoot and findRun", () => {
  it("takes --runs-dir over UPDRAFT_RUNS_DIR over .updraft/runs", () => {
    expect(runsRoot("/a", { UPDRAFT_RUNS_DIR: "/b" })).toBe("/a");
    expect(runsRoot(undefined, { UPDRAFT_RUNS_DIR: "/b" })).toBe("/b");
    expect(runsRoot(undefined, {})).toBe(path.resolve(".updraft/runs"));
  });

  it("finds a run by id, run id or unique prefix, and lists the candidates of an ambiguous prefix", async () => {
    const root = tempDir();
    writeRun(root, manifest({ runId: "20250301-aaaa", start: "2025-03-01T09:00:00Z" }));
    writeRun(root, manifest({ runId: "20250302-bbbb", start: "2025-03-02T09:00:00Z" }));
    writeAirflowRun(root, manifest({ runId: "upd-af", start: "2025-03-03T09:00:00Z" }), "manual__x");
    const { runs } = await readRuns(root);
    const id = (q: string) => {
      const f = findRun(runs, q);
      return f.ok ? f.run.id : f.candidates.map((r) => r.id);
    };
    expect(id("20250302-bbbb")).toBe("20250302-bbbb");
    expect(id("20250301")).toBe("20250301-aaaa");
    expect(id("upd-af")).toBe("airflow-manual__x");
    expect(id("2025030")).toEqual(["20250302-bbbb", "20250301-aaaa"]);
    expect(id("zzz")).toEqual([]);
  });

  it("GIVEN three runs WHEN asked for latest, -1, -2, -9 or an id's random suffix THEN it counts back from the newest", async () => {
    const root = tempDir();
    writeRun(root, manifest({ runId: "20250301T090000.000Z-1a2b3c", start: "2025-03-01T09:00:00Z" }));
    writeRun(root, manifest({ runId: "20250302T090000.000Z-4d5e6f", start: "2025-03-02T09:00:00Z" }));
    writeRun(root, manifest({ runId: "20250303T090000.000Z-7a8b9c", start: "2025-03-03T09:00:00Z" }));
    const { runs } = await readRuns(root);
    const id = (q: string) => {
      const f = findRun(runs, q);
      return f.ok ? f.run.id : f.candidates.map((r) => r.id);
    };
    expect(["latest", "-1", "-2", "-9", "1a2b3c"].map(id)).toEqual([
      "20250303T090000.000Z-7a8b9c",
      "20250303T090000.000Z-7a8b9c",
      "20250302T090000.000Z-4d5e6f",
      [],
      "20250301T090000.000Z-1a2b3c",
    ]);
  });
});
