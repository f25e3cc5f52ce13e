import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AirflowExportError, toAirflow } from "../../../src/executors/airflow/export.js";
import { param, pipeline, sh, type Plan } from "../../../src/index.js";
import { hello } from "../../../examples/hello/pipeline.js";
import { everything } from "./fixtures/everything.js";
import { planOf } from "../../plan-of.js";
import { fixedGpus } from "../../../src/planner/params.js";

const OPTIONS = { projectDir: "/srv/project", reexport: "updraft export airflow PIPELINE --out dags/" };

/** Python's own parser on the text (no Airflow needed): a syntax error fails the test. */
function pythonParses(text: string): void {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "updraft-dag-")), "dag.py");
  writeFileSync(file, text);
  execFileSync("python3", ["-c", "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())", file]);
}

/** A stage whose GPU count a parameter gives (default 2). */
const counted = pipeline("counted", { params: { gpus: param.int({ default: 2 }) } }, ({ stage, params: p }) => {
  stage("train", { command: sh`python train.py`, gpu: p.gpus, timeout: "1h" });
});

describe("toAirflow", () => {
  it("GIVEN a GPU count from a parameter WHEN exported THEN the task reads it on the worker, takes the default's pool slots, and the report says so", () => {
    const out = toAirflow(planOf(counted), OPTIONS);
    const text = out.files[0]!.text;
    expect(text).toContain('"gpu": {"param": "gpus"},');
    expect(text).toContain("pool_slots=2,");
    expect(text).not.toContain("execution_timeout=datetime"); // a GPU stage's timeout starts after its lease
    expect(text).toContain('"timeout_seconds": 3600,');
    expect(JSON.parse(out.files[1]!.text)).toMatchObject({ gpu: { slots: 2 } });
    expect(out.report.map((i) => [i.code, ...i.stages])).toEqual([["gpu-count-param", "train"]]);
    expect(out.report[0]!.message).toContain("always takes 2 slots of the GPU pool");
    pythonParses(text);
  });

  it("GIVEN the hello example WHEN exported THEN the DAG file and pools file match the golden files", async () => {
    const out = toAirflow(planOf(hello), OPTIONS);
    expect(out.files.map((f) => f.name)).toEqual(["hello.py", "hello.pools.json"]);
    await expect(out.files[0]!.text).toMatchFileSnapshot("__golden__/hello.py");
    await expect(out.files[1]!.text).toMatchFileSnapshot("__golden__/hello.pools.json");
    expect(out.report).toEqual([]);
    pythonParses(out.files[0]!.text);
  });

  it("GIVEN a pipeline using every feature WHEN exported THEN it matches its golden file and parses as Python", async () => {
    const out = toAirflow(planOf(everything), { ...OPTIONS, pool: "gpu-a100", runsDir: "/var/updraft/runs" });
    await expect(out.files[0]!.text).toMatchFileSnapshot("__golden__/everything.py");
    await expect(out.files[1]!.text).toMatchFileSnapshot("__golden__/everything.pools.json");
    pythonParses(out.files[0]!.text);
  });

  it("GIVEN the same plan twice, or a JSON round trip of it, WHEN exported THEN the bytes are identical", () => {
    const p = planOf(everything);
    const a = toAirflow(p, OPTIONS);
    const b = toAirflow(JSON.parse(JSON.stringify(p)) as Plan, OPTIONS);
    expect(b.files).toEqual(a.files);
    expect(toAirflow(planOf(everything), OPTIONS).files).toEqual(a.files);
  });

  it("GIVEN an export WHEN reading it THEN it never emits arguments Airflow 3 removed, nor BashOperator", () => {
    const text = toAirflow(planOf(everything), OPTIONS).files[0]!.text;
    for (const removed of ["schedule_interval", "concurrency=", "sla=", "task_concurrency", "BashOperator"])
      expect(text).not.toContain(removed);
    expect(text).toContain("catchup=False");
    expect(text).toContain("schedule=None");
    expect(text).toContain("template_fields = ()");
  });

  it("GIVEN a plan with secret env names WHEN exported THEN only the names are written", () => {
    const text = toAirflow(planOf(everything), OPTIONS).files[0]!.text;
    expect(text).toContain('"secret_env": ["HF_TOKEN"]');
  });

  it("GIVEN a schedule WHEN exported THEN the DAG is scheduled; with a required parameter THEN the export is refused", () => {
    const scheduled = planOf(hello.with({ schedule: "0 3 * * *" }));
    expect(toAirflow(scheduled, OPTIONS).files[0]!.text).toContain('schedule="0 3 * * *",');
    const required = planOf(everything.with({ schedule: "@daily" }));
    expect(() => toAirflow(required, OPTIONS)).toThrowErrorMatchingInlineSnapshot(
      `[AirflowExportError: everything has a schedule (@daily) and required parameters without defaults (run_name): Airflow refuses to load such a DAG, since a scheduled run has no one to give the values]`,
    );
  });

  it("GIVEN options Airflow would refuse WHEN exporting THEN it says what is wrong and how to fix it", () => {
    const p = planOf(hello);
    const error = (options: Parameters<typeof toAirflow>[1]) => {
      try {
        toAirflow(p, options);
      } catch (e) {
        return e instanceof AirflowExportError ? `${e.message} | ${e.hint}` : String(e);
      }
      return "no error";
    };
    expect(error({ projectDir: "relative/dir" })).toMatchInlineSnapshot(
      `"project directory "relative/dir" is not absolute | give an absolute path"`,
    );
    expect(error({ projectDir: "/srv", pool: "gpu pool" })).toMatchInlineSnapshot(
      `"pool name "gpu pool" is not valid | use letters, digits, '_', '.' or '-' (at most 256)"`,
    );
  });

  it("GIVEN pool slots for the cluster WHEN exported THEN the pools file and the DAG's doc carry them; fewer than a stage needs is refused", () => {
    const out = toAirflow(planOf(everything), { ...OPTIONS, poolSlots: 5 });
    const pools = JSON.parse(out.files[1]!.text) as Record<string, { slots: number; description: string }>;
    expect(pools).toEqual({
      gpu: {
        slots: 5,
        description: "GPUs for updraft pipelines (sized by everything: the GPUs of the hosts, given at export)",
        include_deferred: false,
      },
    });
    expect(out.files[0]!.text).toContain("The pool has 5 slots");
    const needs = Math.max(...planOf(everything).stages.map((s) => fixedGpus([], s)));
    const refused = (poolSlots: number) => () => toAirflow(planOf(everything), { ...OPTIONS, poolSlots });
    expect(refused(needs - 1)).toThrow(`pool slots ${needs - 1} are fewer than the ${needs} GPUs one stage needs`);
    expect(refused(1.5)).toThrow("is not a whole number");
  });
});
