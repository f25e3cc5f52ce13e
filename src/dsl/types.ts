/**
 * The types of the builder: what a pipeline file writes (options) and what it gets back
 * (handles, frozen declarations).
 */
import type { ZodType } from "zod";
import type { Command, Gate, Rule, Source, Template } from "../plan/schema.js";
import type { MetricKinds } from "./metric-check.js";
import type { ParamDecl, ParamDecls, ParamRef, ParamRefs } from "./params.js";
import type { RuleBuilder } from "./rules.js";
import type { OptionalArgument, ShellCommand, TextInput } from "./template.js";

/** Marks a StageRef; `Symbol.for` so that handles from two copies of the package agree. */
export const STAGE_REF: unique symbol = Symbol.for("updraft.stage-ref");

type Unit = "s" | "m" | "h" | "d";
/** Seconds, or text such as "90s", "10m", "12h", "1d", "1h30m". */
export type Duration = number | `${number}${Unit}` | `${number}${Unit}${number}${Unit}`;

/**
 * A handle to a declared stage or gate. `dependsOn` accepts only these, and only from the same
 * pipeline, so a misspelt or foreign stage is a compile error and a cycle cannot be written.
 */
export interface StageRef<P extends string = string> {
  readonly [STAGE_REF]: true;
  readonly id: string;
  readonly pipeline: P;
}

/** How failed attempts are retried. Retry n waits `min(maxDelay, delay * backoff ** (n - 1))`. */
export interface RetryOptions {
  /** Retries after the first attempt (default 0). */
  retries?: number;
  /** Delay before the first retry (default "30s"). */
  delay?: Duration;
  /** Multiplier per retry (default 2; 1 keeps the delay constant). */
  backoff?: number;
  /** Cap on any one delay (default: none). */
  maxDelay?: Duration | null;
  /** Exit codes that mean "do not retry": a configuration or data error, say. */
  nonRetryableExitCodes?: readonly number[];
}

/** Settings every stage inherits unless it sets its own. */
export interface StageDefaults {
  /** Directory the command runs in, relative to the project (default: where the run starts). */
  cwd?: TextInput;
  /** Environment variables set for the command; values may hold params (`t\`${p.lr}\``). */
  env?: Readonly<Record<string, TextInput>>;
  /** Names of environment variables passed through from the runner's environment, masked in logs. */
  secretEnv?: readonly string[];
  /**
   * Time limit of one attempt ("90s", "2h", or seconds); past it the process group is stopped and
   * the attempt fails as a timeout (and is retried if `retry` allows). Starts after the GPU lease.
   */
  timeout?: Duration;
  /** How failed attempts are retried, e.g. `{ retries: 2, delay: "1m" }` (default: no retry). */
  retry?: RetryOptions;
  /** Airflow only: the executor queue of the exported task (Celery, say); default: Airflow's own. */
  queue?: string;
}

/** Options of one stage. */
export interface StageOptions<P extends string> extends StageDefaults {
  /** An argv array (run without a shell), or a bash script made with `sh`. */
  command: readonly (TextInput | OptionalArgument)[] | ShellCommand;
  /**
   * Stages that must succeed before this one starts: the values `stage()` returned, never names.
   *
   * @example
   * ```ts
   * const prep = stage("prep", { command: ["python", "prep.py"] });
   * stage("train", { command: ["python", "train.py"], dependsOn: [prep] });
   * ```
   */
  dependsOn?: readonly StageRef<P>[];
  /** One line shown by `plan` and in the exported DAG. */
  description?: string;
  /** Files the stage reads: hashed into its fingerprint. */
  inputs?: readonly TextInput[];
  /** Files the stage must produce: a missing one fails the stage. */
  outputs?: readonly TextInput[];
  /**
   * GPUs the stage needs (default 0): a count, or an int parameter (`gpu: p.gpus`) whose value, 1 or
   * more, is read when the run starts and sets how many devices are leased.
   */
  gpu?: number | ParamRef<string, number>;
  /** Expected duration, used for the critical path. */
  estimate?: Duration;
  /**
   * Keep this stage's outputs by content in `.updraft/cache/objects`, so that a run with an earlier
   * parameter set restores them instead of running the stage (default false; costs disk, see README).
   */
  cache?: boolean;
}

/** Options of a quality gate. */
export interface GateOptions<P extends string, T> {
  /** The stages whose results the gate judges. */
  after: readonly StageRef<P>[];
  /** JSON file of metrics written upstream. */
  metrics?: TextInput;
  /** zod schema of the metrics file: makes metric paths type-checked. */
  schema?: ZodType<T>;
  /**
   * What must hold: rules built from `r`, e.g. `(r) => [r.metric("eval.loss").lte(1.5), r.file("out/model.pth").exists()]`.
   * With a `schema`, metric paths and value types are checked by the compiler.
   */
  rules: readonly Rule[] | ((r: RuleBuilder<T>) => readonly Rule[]);
  /** "block" (default) stops everything downstream on FAIL; "warn" only records. */
  severity?: "block" | "warn";
  /**
   * A file the verdict is also written to, besides the run's own record (for runbooks that read an
   * existing place), relative to the gate's cwd.
   *
   * @example
   * ```ts
   * qualityGate("data_ok", { after: [prepare], record: t`runs/${p.run_name}/gates/data_ok.json`, rules });
   * ```
   */
  record?: TextInput;
  /** One line shown by `plan` and in the exported DAG. */
  description?: string;
  /** Airflow only: the executor queue of the exported task. */
  queue?: string;
}

/** A parameter declaration with its name, as kept in a Pipeline (a derived default as its template). */
export interface NamedParamDecl extends Omit<ParamDecl, "derived"> {
  readonly name: string;
  readonly derived: readonly Template[number][] | null;
}

/** A stage as declared, before the planner normalises and validates it. */
export interface StageDecl {
  readonly id: string;
  readonly kind: "task" | "gate";
  readonly description: string | null;
  readonly dependsOn: readonly string[];
  /** Handles of another pipeline's stages found in `dependsOn` (a type error, but tsx does not check). */
  readonly foreignDependsOn?: readonly { readonly id: string; readonly pipeline: string }[];
  readonly command: Command | null;
  readonly cwd: Template | null;
  readonly env: Readonly<Record<string, Template>>;
  readonly secretEnv: readonly string[];
  readonly inputs: readonly Template[];
  readonly outputs: readonly Template[];
  readonly gpu: unknown;
  readonly timeout: unknown;
  readonly retry: Readonly<Record<keyof RetryOptions, unknown>>;
  readonly estimate: unknown;
  readonly gate: Gate | null;
  readonly queue: unknown;
  /** `cache: true`: outputs kept in the output store. */
  readonly cache?: boolean;
  /** A gate's metrics `schema` as plain data, for the planner to check its rules against. */
  readonly metricKinds?: MetricKinds;
  readonly source: Source | null;
}

/** Pipeline-wide settings. */
export interface PipelineMeta {
  description?: string;
  tags?: readonly string[];
  /** Cron expression or preset ("@daily"), used by exporters. */
  schedule?: string;
  /** Runs of this pipeline allowed at once (default 1). */
  maxActiveRuns?: number;
  /** How the exported Airflow DAG is set up (`updraft export slurm` reports what it does with these). */
  airflow?: AirflowOptions;
}

/** A date as `YYYY-MM-DD`, or an ISO date-time with an offset (`2024-05-01T06:00:00+02:00`). */
export type DateText = `${number}-${number}-${number}` | `${number}-${number}-${number}T${string}`;

/** Airflow DAG settings of a pipeline. */
export interface AirflowOptions {
  /** The DAG's start_date (default 2024-01-01, UTC); a date alone is midnight UTC. */
  startDate?: DateText;
  /** The DAG's owner (default: Airflow's, "airflow"). */
  owner?: string;
  /** Let Airflow schedule the runs missed since startDate (default false). */
  catchup?: boolean;
  /** The pool stages with GPUs run in (default "gpu"); `export airflow --pool` overrides it. */
  gpuPool?: string;
}

export interface PipelineOptions<P extends ParamDecls> extends PipelineMeta {
  params?: P;
  defaults?: StageDefaults;
}

/** A declared pipeline: frozen data that `plan()` turns into a Plan. */
export interface Pipeline<Id extends string = string, P extends ParamDecls = ParamDecls> {
  readonly kind: "updraft.pipeline";
  readonly id: Id;
  readonly description: string | null;
  readonly tags: readonly string[];
  readonly schedule: string | null;
  readonly maxActiveRuns: unknown;
  readonly airflow: AirflowOptions;
  readonly params: readonly NamedParamDecl[];
  readonly stages: readonly StageDecl[];
  readonly source: Source | null;
  /** Type-level only: the declared parameters. */
  readonly __params?: P;
  /** A copy with other pipeline-wide settings. */
  with(meta: PipelineMeta): Pipeline<Id, P>;
}

/** What a pipeline body receives. */
export interface PipelineBuilder<Id extends string, P extends ParamDecls> {
  /**
   * Declare a stage: a command run as a process, with its inputs, outputs, GPUs, timeout and
   * retries. Returns the handle other stages list in `dependsOn`.
   *
   * @example
   * ```ts
   * const train = stage("train", { command: sh`python train.py --lr ${p.lr}`, gpu: 1, timeout: "6h" });
   * ```
   */
  stage(id: string, options: StageOptions<Id>): StageRef<Id>;
  /**
   * Declare a quality gate: rules on a metrics file and on files, judged after the stages in
   * `after`; a FAIL of a blocking gate stops everything downstream. Never retried.
   *
   * @example
   * ```ts
   * qualityGate("eval_gate", { after: [evaluate], metrics: "out/metrics.json", rules: (r) => [r.metric("loss").lte(1.5)] });
   * ```
   */
  qualityGate<T = unknown>(id: string, options: GateOptions<Id, T>): StageRef<Id>;
  /** Placeholders for the declared run parameters. */
  params: ParamRefs<P>;
}

/**
 * Whether a value is a Pipeline made by `pipeline()`. It lives beside the type, not in pipeline.ts,
 * so that the CLI can tell a pipeline apart without loading the DSL (and zod) for a Plan in JSON.
 */
export function isPipeline(value: unknown): value is Pipeline {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "updraft.pipeline";
}
