/**
 * The builder people write pipelines with. Everything it returns is frozen plain data plus typed
 * handles; the planner turns the result into a validated Plan.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ZodType } from "zod";
import type { Command, Gate, Rule, Source, Template } from "../planner/schema.js";
import { paramRef, type ParamDecl, type ParamDecls, type ParamRefs } from "./params.js";
import { ruleBuilder, type RuleBuilder } from "./rules.js";
import { isShellCommand, toTemplate, type ShellCommand, type TextInput } from "./template.js";

const STAGE_REF = Symbol.for("updraft.stage-ref");

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
  cwd?: TextInput;
  env?: Readonly<Record<string, TextInput>>;
  secretEnv?: readonly string[];
  timeout?: Duration;
  retry?: RetryOptions;
}

/** Options of one stage. */
export interface StageOptions<P extends string> extends StageDefaults {
  /** An argv array (run without a shell), or a bash script made with `sh`. */
  command: readonly TextInput[] | ShellCommand;
  dependsOn?: readonly StageRef<P>[];
  description?: string;
  /** Files the stage reads: hashed into its fingerprint. */
  inputs?: readonly TextInput[];
  /** Files the stage must produce: a missing one fails the stage. */
  outputs?: readonly TextInput[];
  /** GPUs the stage needs (default 0). */
  gpu?: number;
  /** Expected duration, used for the critical path. */
  estimate?: Duration;
}

/** Options of a quality gate. */
export interface GateOptions<P extends string, T> {
  /** The stages whose results the gate judges. */
  after: readonly StageRef<P>[];
  /** JSON file of metrics written upstream. */
  metrics?: TextInput;
  /** zod schema of the metrics file: makes metric paths type-checked. */
  schema?: ZodType<T>;
  rules: readonly Rule[] | ((r: RuleBuilder<T>) => readonly Rule[]);
  /** "block" (default) stops everything downstream on FAIL; "warn" only records. */
  severity?: "block" | "warn";
  description?: string;
}

/** A parameter declaration with its name, as kept in a Pipeline. */
export interface NamedParamDecl extends ParamDecl {
  readonly name: string;
}

/** A stage as declared, before the planner normalises and validates it. */
export interface StageDecl {
  readonly id: string;
  readonly kind: "task" | "gate";
  readonly description: string | null;
  readonly dependsOn: readonly string[];
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
  stage(id: string, options: StageOptions<Id>): StageRef<Id>;
  qualityGate<T = unknown>(id: string, options: GateOptions<Id, T>): StageRef<Id>;
  /** Placeholders for the declared run parameters. */
  params: ParamRefs<P>;
}

const DSL_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The file and line of the first caller outside the DSL, where the stack says so. */
function callerSource(): Source | null {
  // A short trace is enough to get past the DSL's own frames, and much cheaper to build.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 6;
  const stack = new Error().stack?.split("\n").slice(1) ?? [];
  Error.stackTraceLimit = limit;
  for (const frame of stack) {
    const match = /\(?((?:file:\/\/)?\/[^()]*?):(\d+):\d+\)?\s*$/.exec(frame);
    if (!match?.[1] || !match[2]) continue;
    const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (path.dirname(file) === DSL_DIR) continue;
    return { file: path.relative(process.cwd(), file) || file, line: Number(match[2]) };
  }
  return null;
}

function refId(dep: unknown): string {
  if (typeof dep === "object" && dep !== null && STAGE_REF in dep) return (dep as StageRef).id;
  return String(dep);
}

function templates(items: readonly TextInput[] | undefined): Template[] {
  return (items ?? []).map(toTemplate);
}

function envTemplates(env: Readonly<Record<string, TextInput>> | undefined): Record<string, Template> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, toTemplate(v)]));
}

function retryDecl(own: RetryOptions | undefined, base: RetryOptions | undefined): StageDecl["retry"] {
  const merged = { ...base, ...own };
  return Object.freeze({
    retries: merged.retries ?? 0,
    delay: merged.delay ?? "30s",
    backoff: merged.backoff ?? 2,
    maxDelay: merged.maxDelay ?? null,
    nonRetryableExitCodes: [...(merged.nonRetryableExitCodes ?? [])],
  });
}

function commandDecl(command: unknown): Command | null {
  if (isShellCommand(command)) return { kind: "shell", script: [...command.parts] };
  if (Array.isArray(command)) return { kind: "argv", argv: command.map(toTemplate) };
  if (typeof command === "string") return { kind: "shell", script: [command] };
  return null;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Declare a pipeline. The body declares stages and gates; each returns a handle that later stages
 * depend on.
 *
 * @example
 * ```ts
 * export const hello = pipeline("hello", { params: { who: param.string({ default: "world" }) } }, ({ stage, params: p }) => {
 *   const greet = stage("greet", { command: ["echo", t`hello ${p.who}`] });
 *   stage("done", { command: sh`echo done`, dependsOn: [greet] });
 * });
 * ```
 */
export function pipeline<const Id extends string, const P extends ParamDecls = {}>(
  id: Id,
  options: PipelineOptions<P>,
  body: (builder: PipelineBuilder<Id, P>) => void,
): Pipeline<Id, P> {
  const source = callerSource();
  const defaults = options.defaults ?? {};
  const stages: StageDecl[] = [];
  const handle = (stageId: string): StageRef<Id> => Object.freeze({ [STAGE_REF]: true as const, id: stageId, pipeline: id });

  const common = (stageId: string, opts: StageDefaults & { description?: string | undefined }) => ({
    id: stageId,
    description: opts.description ?? null,
    cwd: opts.cwd ?? defaults.cwd ? toTemplate(opts.cwd ?? defaults.cwd) : null,
    env: { ...envTemplates(defaults.env), ...envTemplates(opts.env) },
    secretEnv: [...new Set([...(defaults.secretEnv ?? []), ...(opts.secretEnv ?? [])])],
    timeout: opts.timeout ?? defaults.timeout ?? null,
    retry: retryDecl(opts.retry, defaults.retry),
  });

  const builder: PipelineBuilder<Id, P> = {
    stage(stageId, opts) {
      stages.push(deepFreeze({
        ...common(stageId, opts),
        kind: "task",
        dependsOn: (opts.dependsOn ?? []).map(refId),
        command: commandDecl(opts.command),
        inputs: templates(opts.inputs),
        outputs: templates(opts.outputs),
        gpu: opts.gpu ?? 0,
        estimate: opts.estimate ?? null,
        gate: null,
        source: callerSource(),
      }));
      return handle(stageId);
    },
    qualityGate(stageId, opts) {
      const rules = typeof opts.rules === "function" ? opts.rules(ruleBuilder()) : opts.rules;
      stages.push(deepFreeze({
        ...common(stageId, { description: opts.description }),
        kind: "gate",
        dependsOn: (opts.after ?? []).map(refId),
        command: null,
        inputs: [],
        outputs: [],
        gpu: 0,
        estimate: null,
        retry: retryDecl({ retries: 0 }, undefined),
        gate: {
          metrics: opts.metrics === undefined ? null : toTemplate(opts.metrics),
          rules: [...rules],
          severity: opts.severity ?? "block",
        },
        source: callerSource(),
      }));
      return handle(stageId);
    },
    params: Object.freeze(
      Object.fromEntries(Object.keys(options.params ?? {}).map((name) => [name, paramRef(name)])),
    ) as ParamRefs<P>,
  };
  body(builder);

  const make = (meta: PipelineMeta): Pipeline<Id, P> =>
    Object.freeze({
      kind: "updraft.pipeline" as const,
      id,
      description: meta.description ?? null,
      tags: Object.freeze([...(meta.tags ?? [])]),
      schedule: meta.schedule ?? null,
      maxActiveRuns: meta.maxActiveRuns ?? 1,
      params: Object.freeze(
        Object.entries(options.params ?? {}).map(([name, decl]) => Object.freeze({ name, ...decl })),
      ),
      stages: Object.freeze([...stages]),
      source,
      with: (more: PipelineMeta) => make({ ...meta, ...more }),
    });
  return make(options);
}

/** Whether a value is a Pipeline made by `pipeline()`. */
export function isPipeline(value: unknown): value is Pipeline {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "updraft.pipeline";
}
