/**
 * The conformance suite shared by every executor that can run a pipeline: fixture pipelines and
 * the outcomes each run must have, in one vocabulary. test/airflow/run.sh checks them against
 * Airflow's own records (metadata DB, files on disk) and against `updraft run`.
 */
import type { ParamValue } from "../../src/index.js";

/** How a stage must end. `blocked` (downstream of a failed blocking gate) is `upstream_failed` in Airflow. */
export interface StageExpectation {
  readonly status: "success" | "failed" | "upstream_failed" | "blocked";
  /** Outcome of each attempt, in order (so also how many attempts ran). */
  readonly attempts: readonly ("success" | "failed" | "timeout" | "missing-output")[];
  /** For a gate: its verdict. */
  readonly gate?: "PASS" | "FAIL";
  /** GPU indices the first attempt held (CUDA_VISIBLE_DEVICES). */
  readonly gpus?: readonly number[];
  /** Files (relative to the project) the stage's last attempt records as its outputs, with their sizes and hashes. */
  readonly outputs?: readonly string[];
  /** Least time the first attempt waited for its GPU lease. */
  readonly minGpuWaitMs?: number;
  /**
   * The plan's delay before each retry: recorded exactly by updraft run and Airflow 3.3+, within
   * Airflow's jitter range (the delay to twice it, in whole seconds) by Airflow 2.10 to 3.2.
   */
  readonly retryDelaysMs?: readonly number[];
}

/** One run of a fixture pipeline and what it must leave behind. */
export interface Case {
  /** Unique among all cases. */
  readonly name: string;
  /** Run parameters (Airflow: dag_run.conf; local: --params file). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly stages: Readonly<Record<string, StageExpectation>>;
  /** Files after the run (relative to the fixture's own directory): exact content, true for "exists", null for "must not exist". */
  readonly files?: Readonly<Record<string, string | Uint8Array | true | null>>;
  /** Gate records written where a gate's `record` names (relative to the fixture's directory): the gate whose verdict each must equal. */
  readonly gateRecords?: Readonly<Record<string, string>>;
  /** Exact content of stage logs (text as UTF-8, or bytes), keyed `<stage>.<attempt>`. */
  readonly logs?: Readonly<Record<string, string | Uint8Array>>;
  /** Text that must not appear in any log of the run (secret values). */
  readonly hidden?: readonly string[];
  /** Seconds to wait after the run before checking files (a killed process must stay dead). */
  readonly settleSeconds?: number;
  /** Environment the run gets (secrets and the like). Every case also gets UPDRAFT_GPUS=1 and its own UPDRAFT_LOCK_DIR. */
  readonly env?: Readonly<Record<string, string>>;
  /** The parameter values the run records (default: `params`), when text in `params` converts to another type. */
  readonly recorded?: Readonly<Record<string, ParamValue>>;
  /** Where each recorded value came from (`default`, a variable name; a given value: `given`, which each executor names its own way). */
  readonly sources?: Readonly<Record<string, string>>;
  /**
   * The run is refused before any stage runs, with this text in its output: `updraft run` and SLURM's
   * submit.sh exit 2 and record no run; in Airflow the first tasks fail (never retried), the rest are
   * upstream_failed, and no run records are written.
   */
  readonly rejected?: string;
}

/** A fixture: its cases, and files its project directory starts with. */
export interface Fixture {
  readonly cases: readonly Case[];
  readonly assets?: Readonly<Record<string, string>>;
  /**
   * The pipeline runs in the repository itself (its stages use the repository's files), from
   * this pipeline file (relative to the repository). Each case then gets `out_param` set to its
   * own directory, and its runs go there too.
   */
  readonly inRepo?: { readonly pipelineFile: string; readonly outParam: string };
}

/** Shorthand for a stage that succeeds at its first attempt. */
export const ok: StageExpectation = { status: "success", attempts: ["success"] };
/** Shorthand for a stage that never ran because something upstream failed. */
export const upstreamFailed: StageExpectation = { status: "upstream_failed", attempts: [] };
