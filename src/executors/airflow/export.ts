/**
 * `toAirflow`: a Plan in, the files of an Airflow deployment out (a DAG file and its pools),
 * with the export report. A pure function: the same Plan and options give the same bytes.
 */
import { HintedError } from "../../common/errors.js";
import type { Plan } from "../../plan/schema.js";
import { POOL_NAME } from "../../planner/checks/airflow.js";
import { renderDag } from "./dag.js";
import { packageFiles } from "./package.js";
import { exportReport, poolSlots, type ExportIssue } from "./report.js";

/** How to export. */
export interface AirflowOptions {
  /** Absolute directory tasks run in; relative cwd, outputs and runs dir resolve against it. */
  readonly projectDir: string;
  /** Name of the GPU pool; wins over the pipeline's `airflow.gpuPool` (default: that, else "gpu"). */
  readonly pool?: string;
  /**
   * Slots of the GPU pool in the pools file: the GPUs of every host that runs this pipeline's GPU
   * stages (several GPU hosts: their sum). Default: the most GPUs one stage needs.
   */
  readonly poolSlots?: number;
  /** Runs directory when the worker sets no UPDRAFT_RUNS_DIR (default ".updraft/runs", relative to projectDir). */
  readonly runsDir?: string;
  /** The command that exports again, shown in the file header. */
  readonly reexport?: string;
  /**
   * "self-contained" (default): one DAG file carrying the runtime, nothing to install on workers.
   * "package": the Plan as `<dag_id>.plan.json` and a three-line DAG file using the installed
   * `updraft_airflow` package (`UpdraftDag`).
   */
  readonly mode?: "self-contained" | "package";
}

/** One file to write, named relative to the output directory. */
export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

/** What an export produces. */
export interface AirflowExport {
  readonly dagId: string;
  /** `<dag_id>.py` and `<dag_id>.pools.json` (package mode: `<dag_id>.plan.json` first). */
  readonly files: readonly ExportFile[];
  /** Where Airflow cannot do exactly what the Plan says; empty when it can. */
  readonly report: readonly ExportIssue[];
}

/**
 * The plan or the options ask for something Airflow refuses; nothing was exported.
 *
 * @example
 * ```ts
 * throw new AirflowExportError("pool name \"a b\" is not valid", "use letters, digits, '_', '.' or '-'");
 * ```
 */
export class AirflowExportError extends HintedError {
  declare readonly hint: string;
  constructor(message: string, hint: string) {
    super(message, hint);
  }
}

function check(plan: Plan, options: AirflowOptions, pool: string): void {
  const slots = options.poolSlots;
  const least = poolSlots(plan);
  const hint = `give the GPUs of every host that runs GPU stages, at least ${least}`;
  if (slots !== undefined && !Number.isInteger(slots))
    throw new AirflowExportError(`pool slots ${slots} is not a whole number`, hint);
  if (slots !== undefined && slots < least)
    throw new AirflowExportError(
      `pool slots ${slots} are fewer than the ${least} GPUs one stage needs: that stage would never be scheduled`,
      hint,
    );
  if (!POOL_NAME.test(pool))
    throw new AirflowExportError(
      `pool name ${JSON.stringify(pool)} is not valid`,
      "use letters, digits, '_', '.' or '-' (at most 256)",
    );
  if (!options.projectDir.startsWith("/"))
    throw new AirflowExportError(
      `project directory ${JSON.stringify(options.projectDir)} is not absolute`,
      "give an absolute path",
    );
  const required = plan.params.filter((p) => p.default === null).map((p) => p.name);
  if (plan.pipeline.schedule !== null && required.length > 0) {
    throw new AirflowExportError(
      `${plan.pipeline.id} has a schedule (${plan.pipeline.schedule}) and required parameters without defaults (${required.join(", ")}): Airflow refuses to load such a DAG, since a scheduled run has no one to give the values`,
      "give those parameters defaults, or remove the schedule and trigger runs by hand",
    );
  }
}

/**
 * The pools file for `airflow pools import`: the GPU pool sized to the most GPUs any stage needs,
 * or to `slots` (the GPUs of the cluster) when given.
 *
 * @example
 * ```ts
 * poolsJson(plan, "gpu"); // '{\n  "gpu": {\n    "slots": 1, ...'
 * ```
 */
export function poolsJson(plan: Plan, pool: string, slots?: number): string {
  const sizedBy = slots === undefined ? "the most GPUs one stage needs" : "the GPUs of the hosts, given at export";
  const description = `GPUs for updraft pipelines (sized by ${plan.pipeline.id}: ${sizedBy})`;
  const size = slots ?? poolSlots(plan);
  return `${JSON.stringify({ [pool]: { slots: size, description, include_deferred: false } }, null, 2)}\n`;
}

/**
 * Export a plan to Airflow. Throws an AirflowExportError only for what Airflow would refuse (a
 * bad pool name, a scheduled DAG with required parameters) or a relative project directory.
 *
 * @example
 * ```ts
 * const out = toAirflow(plan, { projectDir: "/home/me/rwkv" });
 * for (const f of out.files) writeFileSync(path.join("dags", f.name), f.text);
 * ```
 */
export function toAirflow(plan: Plan, options: AirflowOptions): AirflowExport {
  const pool = options.pool ?? plan.pipeline.airflow.gpuPool ?? "gpu";
  check(plan, options, pool);
  const report = exportReport(plan, { pool, poolSlots: options.poolSlots });
  const id = plan.pipeline.id;
  const reexport = options.reexport ?? `updraft export airflow ${plan.pipeline.source?.file ?? "PIPELINE"} --out DIR`;
  const slots = options.poolSlots ?? poolSlots(plan);
  const input = {
    plan,
    report,
    pool,
    slots,
    projectDir: options.projectDir,
    runsDir: options.runsDir ?? ".updraft/runs",
  };
  const dag =
    options.mode === "package"
      ? packageFiles(input, reexport)
      : [{ name: `${id}.py`, text: renderDag(input, reexport) }];
  const pools = poolsJson(plan, pool, options.poolSlots);
  return { dagId: id, files: [...dag, { name: `${id}.pools.json`, text: pools }], report };
}
