/**
 * From declarations to Plan data: durations to seconds, handles to ids. Values that cannot be
 * normalised become problems and NaN placeholders, so validation still sees every stage.
 */
import type { NamedParamDecl, Pipeline, StageDecl } from "../dsl/pipeline.js";
import { isParamRef } from "../dsl/params.js";
import { parseDuration } from "./duration.js";
import { problem, type Problem, type ProblemCode } from "./problems.js";
import type { Param, PipelineInfo, Stage } from "../plan/schema.js";

function seconds(raw: unknown, field: string, decl: StageDecl, problems: Problem[], code: ProblemCode): number {
  const value = parseDuration(raw);
  if (value !== null) return value;
  problems.push(
    problem(
      code,
      decl.id,
      `stage "${decl.id}" has ${field} ${JSON.stringify(raw)}, which is not a duration`,
      'write it as "90s", "10m", "12h", "1d", "1h30m" or a number of seconds',
      { source: decl.source },
    ),
  );
  return Number.NaN;
}

function asNumber(raw: unknown): number {
  return typeof raw === "number" ? raw : Number.NaN;
}

/** A problem for each handle of another pipeline's stage in `dependsOn`. */
function foreignDependencies(decl: StageDecl, pipelineId: string, problems: Problem[]): void {
  for (const dep of decl.foreignDependsOn ?? []) {
    const other =
      dep.pipeline === pipelineId ? `another pipeline also named "${dep.pipeline}"` : `pipeline "${dep.pipeline}"`;
    problems.push(
      problem(
        "foreign-dependency",
        decl.id,
        `stage "${decl.id}" of pipeline "${pipelineId}" depends on stage "${dep.id}" of ${other}`,
        `use a handle returned by stage() in pipeline "${pipelineId}" (declare "${dep.id}" there if it is missing), or move "${decl.id}" into the pipeline of "${dep.id}"`,
        { source: decl.source },
      ),
    );
  }
}

/** One declared stage as Plan data, with the problems met on the way. */
export function normalizeStage(decl: StageDecl, problems: Problem[], pipelineId = ""): Stage {
  foreignDependencies(decl, pipelineId, problems);
  const r = decl.retry;
  return {
    id: String(decl.id),
    kind: decl.kind,
    description: decl.description,
    dependsOn: [...decl.dependsOn],
    command: decl.command,
    cwd: decl.cwd,
    env: { ...decl.env },
    secretEnv: [...decl.secretEnv],
    inputs: [...decl.inputs],
    outputs: [...decl.outputs],
    gpu: isParamRef(decl.gpu) ? { param: decl.gpu.name } : asNumber(decl.gpu),
    timeoutSeconds: decl.timeout === null ? null : seconds(decl.timeout, "timeout", decl, problems, "invalid-timeout"),
    retry: {
      retries: asNumber(r.retries),
      delaySeconds: seconds(r.delay, "retry delay", decl, problems, "invalid-retry-delay"),
      multiplier: asNumber(r.backoff),
      maxDelaySeconds:
        r.maxDelay === null ? null : seconds(r.maxDelay, "retry maxDelay", decl, problems, "invalid-retry-delay"),
      nonRetryableExitCodes: Array.isArray(r.nonRetryableExitCodes) ? r.nonRetryableExitCodes.map(asNumber) : [],
    },
    estimateSeconds:
      decl.estimate === null ? null : seconds(decl.estimate, "estimate", decl, problems, "invalid-estimate"),
    gate: decl.gate,
    source: decl.source,
    queue: typeof decl.queue === "string" ? decl.queue : null,
    ...(decl.cache === true ? { cache: true } : {}),
  };
}

/** A declared parameter as Plan data. */
export function normalizeParam(decl: NamedParamDecl): Param {
  return {
    name: decl.name,
    type: decl.type,
    default: decl.default,
    derived: decl.derived ? [...decl.derived] : null,
    env: decl.env,
    values: [...decl.values],
    description: decl.description,
  };
}

/** The pipeline-wide part of the Plan. */
export function normalizeInfo(pipeline: Pipeline): PipelineInfo {
  return {
    id: pipeline.id,
    description: pipeline.description,
    tags: [...pipeline.tags],
    schedule: pipeline.schedule,
    maxActiveRuns: asNumber(pipeline.maxActiveRuns),
    source: pipeline.source,
    airflow: {
      startDate: pipeline.airflow.startDate ?? null,
      owner: pipeline.airflow.owner ?? null,
      catchup: pipeline.airflow.catchup ?? false,
      gpuPool: pipeline.airflow.gpuPool ?? null,
    },
  };
}
