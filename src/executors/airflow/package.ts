/**
 * Package mode of the Airflow export: instead of a self-contained DAG file, the Plan as JSON (with
 * what Airflow needs to run each stage, derived here exactly as the self-contained file derives it)
 * and a three-line DAG file that builds the DAG from it with the installed `updraft_airflow` package
 * (`UpdraftDag`). The same JSON feeds `UpdraftTaskGroup` inside a team's own DAG.
 */
import { fixedGpus, needsGpu } from "../../planner/params.js";
import { retryDelays } from "../../planner/retry.js";
import type { Plan, Stage } from "../../plan/schema.js";
import { PARAM_TYPES, paramDescription, startDateFields } from "./dag.js";
import { docLines, type DocInput } from "./doc.js";
import type { ExportFile } from "./export.js";
import { pyComment, pyString } from "./python.js";
import { stageData } from "./stage-spec.js";

/** Version of the `airflow` section the Python side reads; it refuses others with a hint. */
export const PACKAGE_FORMAT = 1;

const TAG_LIMIT = 100;

function taskSpec(stage: Stage, pool: string, slots: number): Record<string, unknown> {
  const r = stage.retry;
  return {
    task_id: stage.id,
    stage: stageData(stage),
    depends_on: [...stage.dependsOn],
    doc_md: stage.description,
    // A GPU stage's timeout is the operator's own, started once it holds its GPUs (as in dag.ts).
    timeout_seconds: needsGpu(stage) ? null : stage.timeoutSeconds,
    queue: stage.queue,
    pool: needsGpu(stage) ? pool : null,
    pool_slots: needsGpu(stage) ? slots : null,
    retry: {
      retries: r.retries,
      delays: retryDelays(r),
      multiplier: r.multiplier,
      max_delay: r.maxDelaySeconds,
    },
  };
}

/**
 * The `<dag_id>.plan.json` of package mode: `plan` is the Plan itself, `airflow` what the DAG is
 * built from (dag arguments, the stage data of each task, the runtime's pipeline constants).
 *
 * @example
 * ```ts
 * JSON.parse(planJson(input)).airflow.dag_id; // "rwkv"
 * ```
 */
export function planJson(input: DocInput): string {
  const { plan, pool } = input;
  const info = plan.pipeline;
  const airflow = {
    format: PACKAGE_FORMAT,
    dag_id: info.id,
    description: info.description,
    doc_md: docLines(input).join("\n"),
    schedule: info.schedule,
    max_active_runs: info.maxActiveRuns,
    // The settings the self-contained file writes (dag.ts): exactly the declared tags, the start date in UTC.
    tags: [...new Set(info.tags.map((t) => t.slice(0, TAG_LIMIT)))],
    start_date: startDateFields(info.airflow.startDate),
    catchup: info.airflow.catchup,
    owner: info.airflow.owner,
    // Every field may be empty or text, so that the worker resolves values as updraft run does (dag.ts).
    params: plan.params.map((p) => ({
      name: p.name,
      types: PARAM_TYPES[p.type],
      examples: p.type === "enum" ? p.values : null,
      description: paramDescription(p),
    })),
    pipeline: {
      id: info.id,
      plan_hash: plan.hash,
      project_dir: input.projectDir,
      runs_dir: input.runsDir,
      param_names: plan.params.map((p) => p.name),
    },
    tasks: plan.stages.map((s) => taskSpec(s, pool, fixedGpus(plan.params, s))),
  };
  return `${JSON.stringify({ plan, airflow }, null, 2)}\n`;
}

/**
 * The package-mode DAG file: three lines that build the DAG from the plan JSON beside it.
 *
 * @example
 * ```ts
 * packageDagFile(plan, "updraft export airflow p.ts --mode package"); // '# Airflow DAG "p" ...'
 * ```
 */
export function packageDagFile(plan: Plan, reexport: string): string {
  const id = plan.pipeline.id;
  return [
    pyComment(
      `Airflow DAG "${id}" built from ${id}.plan.json by the updraft_airflow package; export again: ${reexport}`,
    ),
    "from updraft_airflow.package import UpdraftDag",
    `dag = UpdraftDag(plan=${pyString(`${id}.plan.json`)})`,
    "",
  ].join("\n");
}

/**
 * The files of a package-mode export: the plan JSON and the DAG file (the pools file is added by the caller).
 *
 * @example
 * ```ts
 * packageFiles(input, "updraft export airflow p.ts --mode package").map((f) => f.name); // ["p.plan.json", "p.py"]
 * ```
 */
export function packageFiles(input: DocInput, reexport: string): ExportFile[] {
  const id = input.plan.pipeline.id;
  return [
    { name: `${id}.plan.json`, text: planJson(input) },
    { name: `${id}.py`, text: packageDagFile(input.plan, reexport) },
  ];
}
