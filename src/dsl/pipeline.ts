/**
 * The builder people write pipelines with. Everything it returns is frozen plain data plus typed
 * handles; the planner turns the result into a validated Plan.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command, Source, Template } from "../plan/schema.js";
import { paramRef, type AnyParamRefs, type ParamDecls, type ParamRefs } from "./params.js";

/** What a derived default receives: a placeholder for any name, so the planner reports an undeclared one. */
const ANY_PARAM: AnyParamRefs = new Proxy(
  {},
  { get: (_, name) => (typeof name === "string" ? paramRef(name) : undefined) },
) as AnyParamRefs;
import { metricKinds, metricsSchema } from "./metric-schema.js";
import { ruleBuilder } from "./rules.js";
import { isOptionalArgument, isShellCommand, toTemplate, type TextInput } from "./template.js";
import {
  STAGE_REF,
  type Pipeline,
  type PipelineBuilder,
  type PipelineMeta,
  type PipelineOptions,
  type RetryOptions,
  type StageDecl,
  type StageDefaults,
  type StageRef,
} from "./types.js";

export type * from "./types.js";
export { isPipeline } from "./types.js";

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

/**
 * The pipeline a handle was made in: a token per `pipeline()` call, so that a handle of another
 * pipeline is caught even when it has the same id, and even in a file run without type-checking.
 */
const STAGE_OWNER = Symbol.for("updraft.stage-owner");

type Owned = StageRef & { readonly [STAGE_OWNER]?: object };

/** Split `dependsOn` into ids of this pipeline's stages and handles of other pipelines. */
function dependencies(deps: readonly unknown[] | undefined, owner: object) {
  const own: string[] = [];
  const foreign: { id: string; pipeline: string }[] = [];
  for (const dep of deps ?? []) {
    if (typeof dep !== "object" || dep === null || !(STAGE_REF in dep)) own.push(String(dep));
    else if ((dep as Owned)[STAGE_OWNER] === owner) own.push((dep as Owned).id);
    else foreign.push({ id: (dep as Owned).id, pipeline: String((dep as Owned).pipeline) });
  }
  return { dependsOn: own, foreignDependsOn: foreign };
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
  if (Array.isArray(command))
    return { kind: "argv", argv: command.map((a: unknown) => (isOptionalArgument(a) ? a.arg : toTemplate(a))) };
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
  const owner = Object.freeze({ pipeline: id });
  const handle = (stageId: string): StageRef<Id> =>
    Object.freeze({ [STAGE_REF]: true as const, [STAGE_OWNER]: owner, id: stageId, pipeline: id });

  const common = (
    stageId: string,
    opts: Omit<StageDefaults, "queue"> & { description?: string | undefined; queue?: string | undefined },
  ) => ({
    id: stageId,
    description: opts.description ?? null,
    cwd: (opts.cwd ?? defaults.cwd) ? toTemplate(opts.cwd ?? defaults.cwd) : null,
    env: { ...envTemplates(defaults.env), ...envTemplates(opts.env) },
    secretEnv: [...new Set([...(defaults.secretEnv ?? []), ...(opts.secretEnv ?? [])])],
    timeout: opts.timeout ?? defaults.timeout ?? null,
    retry: retryDecl(opts.retry, defaults.retry),
    queue: opts.queue ?? defaults.queue ?? null,
  });

  const builder: PipelineBuilder<Id, P> = {
    stage(stageId, opts) {
      stages.push(
        deepFreeze({
          ...common(stageId, opts),
          kind: "task",
          ...dependencies(opts.dependsOn, owner),
          command: commandDecl(opts.command),
          inputs: templates(opts.inputs),
          outputs: templates(opts.outputs),
          gpu: opts.gpu ?? 0,
          estimate: opts.estimate ?? null,
          gate: null,
          ...(opts.cache === true ? { cache: true } : {}),
          source: callerSource(),
        }),
      );
      return handle(stageId);
    },
    qualityGate(stageId, opts) {
      const rules = typeof opts.rules === "function" ? opts.rules(ruleBuilder()) : opts.rules;
      if (opts.schema !== undefined && !(typeof opts.schema === "object" && "_zod" in opts.schema))
        throw new Error(
          `gate "${stageId}": its schema is not a zod 4 schema (zod 3 installed?); updraft needs zod 4: npm install zod@^4`,
        );
      const kinds = opts.schema ? metricKinds(opts.schema) : null;
      const shape = opts.schema ? metricsSchema(opts.schema) : null;
      stages.push(
        deepFreeze({
          ...common(stageId, { description: opts.description, queue: opts.queue }),
          kind: "gate",
          ...dependencies(opts.after, owner),
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
            ...(opts.record === undefined ? {} : { record: toTemplate(opts.record) }),
            ...(shape ? { schema: shape } : {}),
          },
          ...(kinds ? { metricKinds: kinds } : {}),
          source: callerSource(),
        }),
      );
      return handle(stageId);
    },
    params: Object.freeze(
      Object.fromEntries(Object.entries(options.params ?? {}).map(([name, d]) => [name, paramRef(name, d.type)])),
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
      airflow: Object.freeze({ ...meta.airflow }),
      params: Object.freeze(
        Object.entries(options.params ?? {}).map(([name, decl]) =>
          Object.freeze({
            name,
            ...decl,
            derived: decl.derived ? Object.freeze(toTemplate(decl.derived(ANY_PARAM))) : null,
          }),
        ),
      ),
      stages: Object.freeze([...stages]),
      source,
      with: (more: PipelineMeta) => make({ ...meta, ...more }),
    });
  return make(options);
}
