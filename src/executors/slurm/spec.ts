/**
 * `updraft-slurm.json`: what the Python runtime of a SLURM export reads about the plan, as plain
 * data: each stage's command exactly as `updraft run` starts it, its paths and values as templates,
 * the planned retry delays, and the Plan itself (copied into each run directory as plan.json).
 */
import type { Plan, Stage } from "../../plan/schema.js";
import { retryDelays } from "../../planner/retry.js";
import { renderShell } from "../../planner/template.js";

/** How the runtime reads one stage. */
export interface StageSpec {
  readonly id: string;
  readonly kind: "task" | "gate";
  readonly cwd: Stage["cwd"];
  /** A shell script rendered as locally (parameters as quoted `UPDRAFT_PARAM_` references), or argv templates. */
  readonly command: { kind: "shell"; script: string } | Extract<Stage["command"], { kind: "argv" }> | null;
  readonly env: Stage["env"];
  readonly secretEnv: readonly string[];
  /** Checked before the command starts, as updraft run checks them (updraft_paths.py). */
  readonly inputs: Stage["inputs"];
  readonly outputs: Stage["outputs"];
  readonly gpu: Stage["gpu"];
  readonly timeoutSeconds: number | null;
  readonly nonRetryableExitCodes: readonly number[];
  /** The wait before retry n at index n - 1, in milliseconds. */
  readonly retryDelaysMs: readonly number[];
  readonly gate: Stage["gate"];
}

/** The whole spec file. */
export interface SlurmSpec {
  readonly version: 1;
  readonly pipelineId: string;
  readonly planHash: string;
  readonly projectDir: string;
  readonly runsDir: string;
  readonly params: Plan["params"];
  readonly stages: readonly StageSpec[];
  readonly plan: Plan;
}

function stageSpec(stage: Stage): StageSpec {
  const c = stage.command;
  return {
    id: stage.id,
    kind: stage.kind,
    cwd: stage.cwd,
    command: c === null ? null : c.kind === "shell" ? { kind: "shell", script: renderShell(c.script) } : c,
    env: stage.env,
    secretEnv: stage.secretEnv,
    inputs: stage.inputs,
    outputs: stage.outputs,
    gpu: stage.gpu,
    timeoutSeconds: stage.timeoutSeconds,
    nonRetryableExitCodes: stage.retry.nonRetryableExitCodes,
    retryDelaysMs: stage.kind === "gate" ? [] : retryDelays(stage.retry).map((s) => Math.round(s * 1000)),
    gate: stage.gate,
  };
}

/**
 * The spec of a plan, as the JSON text written to `updraft-slurm.json`.
 *
 * @example
 * ```ts
 * JSON.parse(specJson(plan, "/home/me/proj", ".updraft/runs")).stages[0].id; // "prepare"
 * ```
 */
export function specJson(plan: Plan, projectDir: string, runsDir: string): string {
  const spec: SlurmSpec = {
    version: 1,
    pipelineId: plan.pipeline.id,
    planHash: plan.hash,
    projectDir,
    runsDir,
    params: plan.params,
    stages: plan.stages.map(stageSpec),
    plan,
  };
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/**
 * How many attempts a stage may make (gates make one).
 *
 * @example
 * ```ts
 * attemptsOf(stage); // 4 for retries: 3
 * ```
 */
export function attemptsOf(stage: Stage): number {
  return stage.kind === "gate" ? 1 : stage.retry.retries + 1;
}
