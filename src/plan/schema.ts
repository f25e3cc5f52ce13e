/**
 * The Plan: the contract between the DSL and every executor.
 *
 * A Plan is plain JSON data (no functions, classes or Dates), versioned, and described by the
 * zod schemas in this file; the TypeScript types are inferred from them. Executors and exporters
 * read nothing but a Plan, so anything they need is here.
 *
 * @example
 * ```ts
 * import { PlanSchema } from "updraft";
 * const plan = PlanSchema.parse(JSON.parse(text));
 * ```
 */
import * as z from "../common/zod.js";

/** Current Plan format version. A reader refuses a Plan of another version. */
export const PLAN_VERSION = 1;

/** A reference to a run parameter inside a template. */
export const ParamPartSchema = z.object({ param: z.string() }).strict();

/**
 * A string with typed parameter placeholders: literal text parts and `{ param }` parts, joined in
 * order. `["data/", { param: "run_name" }, ".jsonl"]` is `data/<run_name>.jsonl`.
 */
export const TemplateSchema = z.array(z.union([z.string(), ParamPartSchema]));

/**
 * Argv items present only when parameter `optional` is set (a bool that is true, or text that is not
 * empty): `{ optional: "wandb", argv: [["--wandb"], [{ param: "wandb" }]] }`.
 */
export const OptionalArgSchema = z.object({ optional: z.string(), argv: z.array(TemplateSchema) }).strict();

/** One argv item, or a group of items that disappears with its parameter. */
export const ArgSchema = z.union([TemplateSchema, OptionalArgSchema]);

/** A process to start: an argv array (no shell), or a bash script (params reach it as env vars). */
export const CommandSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("argv"), argv: z.array(ArgSchema) }).strict(),
  z.object({ kind: z.literal("shell"), script: TemplateSchema }).strict(),
]);

/**
 * How a failed attempt is retried. Retry number n (1-based) waits
 * `min(maxDelaySeconds, delaySeconds * multiplier ** (n - 1))` seconds.
 */
export const RetrySchema = z
  .object({
    /** Retries after the first attempt: 3 means up to 4 attempts. */
    retries: z.number(),
    delaySeconds: z.number(),
    /** 1 means a constant delay. */
    multiplier: z.number(),
    /** null: no cap. */
    maxDelaySeconds: z.number().nullable(),
    /** Exit codes that fail the stage at once, without a retry. */
    nonRetryableExitCodes: z.array(z.number()),
  })
  .strict();

const ScalarSchema = z.union([z.number(), z.string(), z.boolean()]);
const metric = z.string();
/** A bound of a numeric rule: a number, or a number or int parameter's value in the run. */
const BoundSchema = z.union([z.number(), ParamPartSchema]);

/** The rules that judge one value or one file. */
const LeafRuleSchemas = [
  z.object({ op: z.enum(["<", "<=", ">", ">="]), metric, value: BoundSchema }).strict(),
  z.object({ op: z.enum(["==", "!="]), metric, value: ScalarSchema.nullable() }).strict(),
  /** A string equal to `value` when both are lower-cased (Unicode's default case mapping). */
  z.object({ op: z.literal("==i"), metric, value: z.string() }).strict(),
  z.object({ op: z.literal("between"), metric, min: BoundSchema, max: BoundSchema }).strict(),
  z.object({ op: z.literal("in"), metric, values: z.array(ScalarSchema) }).strict(),
  z.object({ op: z.literal("present"), metric }).strict(),
  z.object({ op: z.literal("absent"), metric }).strict(),
  z.object({ op: z.literal("file-exists"), file: TemplateSchema }).strict(),
  z.object({ op: z.literal("file-not-empty"), file: TemplateSchema }).strict(),
  /** The file's SHA-256 equals a hex value. */
  z.object({ op: z.literal("sha256"), file: TemplateSchema, value: z.string() }).strict(),
  /** The file's SHA-256 equals the hash recorded for its base name in a `sha256sum`-format file. */
  z.object({ op: z.literal("sha256-listed"), file: TemplateSchema, sums: TemplateSchema }).strict(),
  /** The file's SHA-256 equals the hex string at `metric` in the gate's metrics file (a manifest's own checksum). */
  z.object({ op: z.literal("sha256-metric"), file: TemplateSchema, metric }).strict(),
] as const;

/** A rule on one value or one file. */
export type LeafRule = z.output<(typeof LeafRuleSchemas)[number]>;

/**
 * One quality-gate rule: plain data, so it can be printed, hashed and exported. `any` passes when
 * one of its rules passes, `all` when every one does.
 */
export type Rule = LeafRule | { op: "any"; rules: Rule[] } | { op: "all"; rules: Rule[] };

const branches = z.array(z.lazy(() => RuleSchema));

export const RuleSchema: z.ZodType<Rule> = z.discriminatedUnion("op", [
  ...LeafRuleSchemas,
  z.object({ op: z.literal("any"), rules: branches }).strict(),
  z.object({ op: z.literal("all"), rules: branches }).strict(),
]);

/**
 * What a gate's metrics file must hold, from the gate's zod `schema`: the subset of JSON Schema that
 * both evaluators check when the gate runs (JSON types, `integer`, `enum`, `properties`, `required`,
 * `additionalProperties` as a schema, `items`, `anyOf`). `{}` accepts anything.
 */
export interface MetricsSchema {
  type?: ("null" | "boolean" | "number" | "integer" | "string" | "array" | "object")[] | undefined;
  enum?: (string | number | boolean | null)[] | undefined;
  properties?: Record<string, MetricsSchema> | undefined;
  required?: string[] | undefined;
  additionalProperties?: MetricsSchema | undefined;
  items?: MetricsSchema | undefined;
  anyOf?: MetricsSchema[] | undefined;
}

export const MetricsSchemaSchema: z.ZodType<MetricsSchema> = z
  .object({
    type: z.array(z.enum(["null", "boolean", "number", "integer", "string", "array", "object"])).optional(),
    enum: z.array(ScalarSchema.nullable()).optional(),
    properties: z
      .record(
        z.string(),
        z.lazy(() => MetricsSchemaSchema),
      )
      .optional(),
    required: z.array(z.string()).optional(),
    additionalProperties: z.lazy(() => MetricsSchemaSchema).optional(),
    items: z.lazy(() => MetricsSchemaSchema).optional(),
    anyOf: z.array(z.lazy(() => MetricsSchemaSchema)).optional(),
  })
  .strict();

/** A quality gate: evaluated in-process (locally) or in generated Python (Airflow); never retried. */
export const GateSchema = z
  .object({
    /** JSON file written upstream that metric rules read; null when there are only file rules. */
    metrics: TemplateSchema.nullable(),
    rules: z.array(RuleSchema),
    /** `block`: a FAIL stops everything downstream. `warn`: recorded and printed only. */
    severity: z.enum(["block", "warn"]),
    /** A second file (relative to the gate's cwd) the verdict is also written to; absent: none. */
    record: TemplateSchema.optional(),
    /** What the metrics file must hold (from the gate's zod schema), checked when the gate runs; absent: not checked. */
    schema: MetricsSchemaSchema.optional(),
  })
  .strict();

/** Where something was declared, for error messages. */
export const SourceSchema = z.object({ file: z.string(), line: z.number() }).strict();

export const StageSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["task", "gate"]),
    description: z.string().nullable(),
    dependsOn: z.array(z.string()),
    /** null for gates. */
    command: CommandSchema.nullable(),
    /** null: the directory the run was started from. */
    cwd: TemplateSchema.nullable(),
    env: z.record(z.string(), TemplateSchema),
    /** Names read from the environment at run time; values are never printed or stored. */
    secretEnv: z.array(z.string()),
    inputs: z.array(TemplateSchema),
    outputs: z.array(TemplateSchema),
    /**
     * GPUs the stage needs: a count, or `{ param }`, the int run parameter that gives the count (1 or
     * more) when the run starts.
     */
    gpu: z.union([z.number(), ParamPartSchema]),
    /** Per attempt; null: no limit. */
    timeoutSeconds: z.number().nullable(),
    retry: RetrySchema,
    /** Expected duration, used for the critical path; null counts as 1 s. */
    estimateSeconds: z.number().nullable(),
    gate: GateSchema.nullable(),
    source: SourceSchema.nullable(),
    /** Airflow only: the executor queue the task is sent to; null: Airflow's default queue. */
    queue: z.string().nullable().default(null),
    /** Keep outputs in the local output store by content, to restore instead of rerun; absent: false. */
    cache: z.boolean().optional(),
  })
  .strict();

export const ParamTypeSchema = z.enum(["string", "int", "number", "bool", "path", "enum"]);

export const ParamSchema = z
  .object({
    name: z.string(),
    type: ParamTypeSchema,
    /** null: the parameter is required (unless `derived` gives it a default). */
    default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
    /** A default that is a template over other parameters, resolved after them; null: none. */
    derived: TemplateSchema.nullable().default(null),
    /** An environment variable read, where the run happens, when no value is given; null: none. */
    env: z.string().nullable().default(null),
    /** Allowed values of an `enum` parameter; empty for other types. */
    values: z.array(z.string()),
    description: z.string().nullable(),
  })
  .strict();

/** Airflow DAG settings declared in the pipeline (export flags may override the pool). */
export const AirflowSettingsSchema = z
  .object({
    /** `YYYY-MM-DD` (UTC midnight) or an ISO date-time with an offset; null: 2024-01-01 UTC. */
    startDate: z.string().nullable().default(null),
    /** The DAG's owner (`default_args.owner`); null: Airflow's default ("airflow"). */
    owner: z.string().nullable().default(null),
    /** Whether Airflow schedules the runs missed since startDate. */
    catchup: z.boolean().default(false),
    /** The pool GPU stages run in; null: "gpu" (or `--pool`). */
    gpuPool: z.string().nullable().default(null),
  })
  .strict();

export const PipelineInfoSchema = z
  .object({
    id: z.string(),
    description: z.string().nullable(),
    tags: z.array(z.string()),
    /** Cron expression or preset, for exporters; null: triggered by hand. */
    schedule: z.string().nullable(),
    maxActiveRuns: z.number(),
    source: SourceSchema.nullable(),
    /** How the exported Airflow DAG is set up; other executors report what they do with it. */
    airflow: AirflowSettingsSchema.prefault({}),
  })
  .strict();

export const PlanSchema = z
  .object({
    version: z.literal(PLAN_VERSION),
    pipeline: PipelineInfoSchema,
    params: z.array(ParamSchema),
    /** Topological order; ties broken by declaration order. */
    stages: z.array(StageSchema),
    /** Stage ids by level: everything in one level may run side by side. */
    levels: z.array(z.array(z.string())),
    /** The longest chain by estimated duration. */
    criticalPath: z.array(z.string()),
    /** sha256 of the canonical JSON of pipeline, params and stages (source locations excluded). */
    hash: z.string(),
  })
  .strict();

/**
 * What `updraft plan FILE.json` accepts: a Plan whose derived fields (order, levels, critical
 * path, hash) may be left out; they are recomputed and a stated hash is checked.
 */
export const PlanInputSchema = PlanSchema.extend({
  levels: PlanSchema.shape.levels.optional(),
  criticalPath: PlanSchema.shape.criticalPath.optional(),
  hash: PlanSchema.shape.hash.optional(),
});

export type ParamPart = z.output<typeof ParamPartSchema>;
export type Template = z.output<typeof TemplateSchema>;
export type OptionalArg = z.output<typeof OptionalArgSchema>;
export type Arg = z.output<typeof ArgSchema>;
export type Command = z.output<typeof CommandSchema>;
export type Retry = z.output<typeof RetrySchema>;
export type Gate = z.output<typeof GateSchema>;
export type Source = z.output<typeof SourceSchema>;
export type Stage = z.output<typeof StageSchema>;
export type ParamType = z.output<typeof ParamTypeSchema>;
export type Param = z.output<typeof ParamSchema>;
export type AirflowSettings = z.output<typeof AirflowSettingsSchema>;
export type PipelineInfo = z.output<typeof PipelineInfoSchema>;
export type Plan = z.output<typeof PlanSchema>;
export type PlanInput = z.output<typeof PlanInputSchema>;
