import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toAirflow } from "../../../src/executors/airflow/export.js";
import { stageData } from "../../../src/executors/airflow/stage-spec.js";
import type { Plan } from "../../../src/index.js";
import { hasStack, updraft } from "../../cli/helpers.js";
import { everything } from "./fixtures/everything.js";
import { planOf } from "../../plan-of.js";
import { needsGpu } from "../../../src/planner/params.js";

const OPTIONS = { projectDir: "/srv/project", reexport: "updraft export airflow p.ts --mode package", mode: "package" };

describe("toAirflow in package mode", () => {
  it("GIVEN a pipeline using every feature WHEN exported THEN a plan file, a three-line DAG file and the pools file", () => {
    const p = planOf(everything);
    const out = toAirflow(p, { ...OPTIONS, mode: "package", pool: "gpu-a100" });
    expect(out.files.map((f) => f.name)).toEqual(["everything.plan.json", "everything.py", "everything.pools.json"]);
    const dag = out.files[1]!.text;
    expect(dag.trimEnd().split("\n")).toHaveLength(3);
    expect(dag).toContain('dag = UpdraftDag(plan="everything.plan.json")');
    // Python's parser on the DAG file (Airflow is not needed to check the syntax).
    execFileSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: dag });
    // The pools file is the self-contained export's, byte for byte.
    const selfContained = toAirflow(p, { ...OPTIONS, mode: "self-contained", pool: "gpu-a100" });
    expect(out.files[2]).toEqual(selfContained.files[1]);
  });

  it("GIVEN the plan file WHEN read THEN it holds the Plan and, per stage, what the self-contained DAG passes its operator", () => {
    const p = planOf(everything);
    const file = JSON.parse(toAirflow(p, { ...OPTIONS, mode: "package", pool: "gpu-a100" }).files[0]!.text) as {
      plan: Plan;
      airflow: { format: number; dag_id: string; tasks: { task_id: string; stage: unknown; pool: string | null }[] };
    };
    expect(file.plan).toEqual(JSON.parse(JSON.stringify(p)));
    expect(file.airflow.format).toBe(1);
    expect(file.airflow.dag_id).toBe("everything");
    expect(file.airflow.tasks.map((t) => t.task_id)).toEqual(p.stages.map((s) => s.id));
    expect(file.airflow.tasks.map((t) => t.stage)).toEqual(
      p.stages.map((s) => JSON.parse(JSON.stringify(stageData(s)))),
    );
    expect(file.airflow.tasks.map((t) => t.pool)).toEqual(p.stages.map((s) => (needsGpu(s) ? "gpu-a100" : null)));
  });
});

describe("updraft export airflow --mode", () => {
  it("GIVEN --mode package WHEN exported THEN the three files are written and pip install is part of the install steps", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "updraft-export-"));
    const r = await updraft(["export", "airflow", "examples/hello/pipeline.ts", "--out", out, "--mode", "package"]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["hello.plan.json", "hello.pools.json", "hello.py"]);
    expect(r.stdout).toContain("pip install updraft-airflow");
    expect(r.stdout.replaceAll(out, "OUT")).toContain('cp OUT/hello.plan.json OUT/hello.py "$(airflow');
    expect(readFileSync(path.join(out, "hello.py"), "utf8")).toContain("--mode package");
  });

  it("GIVEN an unknown mode WHEN exporting THEN a sentence naming the modes, exit 2, nothing written", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "updraft-export-")), "dags");
    const r = await updraft(["export", "airflow", "examples/hello/pipeline.ts", "--out", out, "--mode", "wheel"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown export mode "wheel"');
    expect(r.stderr).toContain("hint: the modes are self-contained (the default) and package");
    expect(hasStack(r.stderr)).toBe(false);
    expect(() => readdirSync(out)).toThrow();
  });
});
