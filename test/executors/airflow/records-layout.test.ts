/**
 * Where the exported DAG keeps its records: one directory per pipeline and Airflow run id, so two
 * DAGs of one project run with the same Airflow run id never share (and overwrite) a directory;
 * history reads this layout and the older `airflow-<run id>/` one side by side.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { readRuns } from "../../../src/records/read-runs.js";
import { manifest, writeAirflowRun } from "../../fixtures/history/factory.js";

const PACKAGE = path.resolve(import.meta.dirname, "../../../python");

/** Open the run of pipeline `id` for Airflow run id `airflowRunId` and write one attempt record, as a task does. */
async function openRun(runs: string, id: string, airflowRunId: string): Promise<void> {
  const code = `
import json, sys
from types import SimpleNamespace
sys.path.insert(0, sys.argv[1])
from updraft_airflow.records import new_attempt, open_run
pipeline = {"id": sys.argv[2], "plan_hash": "h-" + sys.argv[2], "runs_dir": ".updraft/runs", "param_names": [],
            "plan_json": json.dumps({"pipeline": {"id": sys.argv[2]}, "stages": [], "params": []}), "project_dir": "/srv/project"}
run = open_run({"params": {}, "run_id": sys.argv[3], "ti": SimpleNamespace(try_number=1)}, pipeline)
new_attempt(run, {"id": "train", "kind": "task"})
`;
  await execa("python3", ["-c", code, PACKAGE, id, airflowRunId], { env: { UPDRAFT_RUNS_DIR: runs }, extendEnv: true });
}

describe("Airflow run records: one directory per pipeline and run", () => {
  it("GIVEN two pipelines run with the same Airflow run id WHEN their tasks open the run THEN each has its own directory and run.json", async () => {
    const runs = mkdtempSync(path.join(os.tmpdir(), "updraft-af-"));
    await openRun(runs, "alpha", "manual__2025-03-03T09:00:00+00:00");
    await openRun(runs, "beta", "manual__2025-03-03T09:00:00+00:00");
    const dirs = readdirSync(runs).sort();
    expect(dirs).toEqual([
      "airflow-alpha-manual__2025-03-03T09_00_00_00_00",
      "airflow-beta-manual__2025-03-03T09_00_00_00_00",
    ]);
    for (const [dir, id] of [
      [dirs[0]!, "alpha"],
      [dirs[1]!, "beta"],
    ] as const) {
      const run = JSON.parse(readFileSync(path.join(runs, dir, "run.json"), "utf8")) as Record<string, string>;
      expect(run).toMatchObject({ pipelineId: id, runId: dir, airflowRunId: "manual__2025-03-03T09:00:00+00:00" });
      expect(readdirSync(path.join(runs, dir, "attempts"))).toEqual(["train.1.json"]);
    }
  });

  it("GIVEN records in the new layout and in the older airflow-<run id> layout WHEN history reads the runs THEN every run is listed", async () => {
    const runs = mkdtempSync(path.join(os.tmpdir(), "updraft-af-"));
    await openRun(runs, "alpha", "manual__1");
    await openRun(runs, "beta", "manual__1");
    writeAirflowRun(
      runs,
      manifest({ pipelineId: "gamma", runId: "airflow-manual__1", start: "2025-03-03T09:00:00Z" }),
      "manual__1",
    );
    const { runs: read, warnings } = await readRuns(runs);
    // The stand-in plan.json is no real Plan; nothing else may be warned about.
    expect(warnings.filter((w) => !w.includes("plan.json: not a plan"))).toEqual([]);
    expect(read.map((r) => `${r.pipelineId} ${r.id}`).sort()).toEqual([
      "alpha airflow-alpha-manual__1",
      "beta airflow-beta-manual__1",
      "gamma airflow-manual__1",
    ]);
  });
});
