/**
 * The run record: what every executor writes about a run, and what history tools read.
 *
 * The local executor writes one `manifest.json` per run directory; the exported Airflow DAG writes
 * attempt records of the same shape under a directory keyed by Airflow's run id. Times are ISO-8601
 * strings in UTC, paths inside a run directory are relative to it.
 *
 * @example
 * ```ts
 * import { ManifestSchema } from "updraft/history";
 * const manifest = ManifestSchema.parse(JSON.parse(readFileSync(".updraft/runs/ID/manifest.json", "utf8")));
 * ```
 */
import * as z from "../common/zod.js";
import { RuleSchema } from "../plan/schema.js";

export const MANIFEST_VERSION = 1;

/** How one attempt of a stage ended. */
export const AttemptOutcomeSchema = z.enum(["running", "success", "failed", "timeout", "cancelled", "missing-output"]);

export const AttemptSchema = z.object({
  /** 1-based. */
  attempt: z.number(),
  start: z.string(),
  end: z.string().nullable(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number().nullable(),
  outcome: AttemptOutcomeSchema,
  /** Log file, relative to the run directory: `logs/<stage>.<attempt>.log`. */
  log: z.string().nullable(),
  /** GPU indices held during this attempt (`CUDA_VISIBLE_DEVICES`). */
  gpus: z.array(z.number()),
  /** Time spent waiting for a GPU lease before the attempt started. */
  gpuWaitMs: z.number(),
  /** Set when this attempt is followed by a retry: the delay before it. */
  retryDelayMs: z.number().nullable(),
});

export const OutputRecordSchema = z.object({
  path: z.string(),
  size: z.number(),
  sha256: z.string(),
});

export const RuleResultSchema = z.object({
  rule: RuleSchema,
  passed: z.boolean(),
  /** The value found (a metric value, a hash, a size), or null when there was none. */
  actual: z.unknown(),
  /** One sentence: expected vs actual, or why the rule could not be checked. */
  reason: z.string(),
});

/** A gate's verdict, as written to `gates/<gate-id>.json` and into the manifest. */
export const GateResultSchema = z.object({
  gate: z.string(),
  verdict: z.enum(["PASS", "FAIL"]),
  severity: z.enum(["block", "warn"]),
  rules: z.array(RuleResultSchema),
  /** The first failing rule's reason, or a short pass summary. */
  reason: z.string(),
  time: z.string(),
  /** How the metrics file disagrees with the gate's schema (empty: it agrees); absent: the gate has no schema, or no file was read. */
  schemaMismatches: z.array(z.string()).optional(),
});

export const StageStatusSchema = z.enum([
  "pending",
  "waiting",
  "running",
  "success",
  "failed",
  /** A dependency failed. */
  "upstream_failed",
  /** Downstream of a blocking gate that failed. */
  "blocked",
  /** Skipped: fingerprint and outputs match its last successful run. */
  "up_to_date",
  "cancelled",
  /** Outside `--only` / `--from`. */
  "not_selected",
]);

export const StageRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(["task", "gate"]),
  status: StageStatusSchema,
  /** Why the stage has this status, in one sentence (failure cause, up-to-date reason, ...). */
  reason: z.string().nullable(),
  attempts: z.array(AttemptSchema),
  outputs: z.array(OutputRecordSchema),
  gate: GateResultSchema.nullable(),
  /** Hash of command, env, params and input file hashes; compared to decide "up to date". */
  fingerprint: z.string().nullable(),
  /** Inputs as resolved paths, for lineage. */
  inputs: z.array(z.string()),
});

export const RunStatusSchema = z.enum(["running", "success", "failed", "cancelled"]);

export const ManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  runId: z.string(),
  pipelineId: z.string(),
  planHash: z.string(),
  executor: z.enum(["local", "airflow", "slurm"]),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** Where each parameter's value came from: `--param`, `--params file`, a variable name, `default`. */
  paramSources: z.record(z.string(), z.string()).optional(),
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
  user: z.string(),
  host: z.string(),
  /** Process id of the runner; with `host`, tells a live run from an interrupted one. */
  pid: z.number().nullable(),
  trigger: z.enum(["manual", "resume", "schedule"]),
  /** The run this one resumes, if any. */
  resumeOf: z.string().nullable(),
  /** What part of the DAG was asked for: a partial run is not production-like. */
  selection: z.object({
    only: z.array(z.string()),
    from: z.array(z.string()),
    force: z.boolean(),
    /** `--ignore-gates`: started past an upstream blocking gate that had failed on the same data. */
    ignoreGates: z.boolean().optional(),
  }),
  start: z.string(),
  end: z.string().nullable(),
  status: RunStatusSchema,
  /** Stages in plan order. */
  stages: z.array(StageRecordSchema),
});

export type AttemptOutcome = z.output<typeof AttemptOutcomeSchema>;
export type Attempt = z.output<typeof AttemptSchema>;
export type OutputRecord = z.output<typeof OutputRecordSchema>;
export type RuleResult = z.output<typeof RuleResultSchema>;
export type GateResult = z.output<typeof GateResultSchema>;
export type StageStatus = z.output<typeof StageStatusSchema>;
export type StageRecord = z.output<typeof StageRecordSchema>;
export type RunStatus = z.output<typeof RunStatusSchema>;
export type Manifest = z.output<typeof ManifestSchema>;
