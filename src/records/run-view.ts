/**
 * One run as history tools see it, whichever executor wrote it: a local manifest or the audit
 * records of an exported Airflow DAG, normalised into the same plain-data shape.
 */
import os from "node:os";
import type { Attempt, AttemptOutcome, Manifest, RunStatus, StageRecord, StageStatus } from "./manifest.js";
import { pidAlive } from "../common/pid.js";

/** A run's status; "interrupted": recorded as running, but its process is gone. */
export type RunState = RunStatus | "interrupted";

/** How a run was started; Airflow adds backfills to the manifest's triggers. */
export type RunTrigger = Manifest["trigger"] | "backfill";

/** Facts about a run's stages that list commands need, kept when the stages themselves are dropped. */
export interface RunFacts {
  /** Kind of the blamed stage, and the outcome of its last attempt. */
  readonly failedKind: "task" | "gate" | null;
  readonly failedOutcome: AttemptOutcome | null;
  /** The longest wait for a GPU lease of any attempt. */
  readonly longestGpuWait: { readonly stage: string; readonly ms: number } | null;
  readonly stageCount: number;
}

/** A normalised run without its stage records: what history, advise and gc work on. */
export interface RunHead {
  /** The run directory's name under the runs root: what `show`, `report` and `gc` take. */
  readonly id: string;
  /** Absolute path of the run directory. */
  readonly dir: string;
  readonly executor: Manifest["executor"];
  /** The run id its executor recorded (for Airflow runs, updraft's own id). */
  readonly runId: string;
  readonly pipelineId: string;
  readonly planHash: string;
  readonly params: Manifest["params"];
  /** Where each parameter's value came from (`--param`, `default`, a variable...); null in older records. */
  readonly paramSources: Readonly<Record<string, string>> | null;
  readonly git: Manifest["git"];
  readonly user: string;
  readonly host: string;
  readonly pid: number | null;
  readonly trigger: RunTrigger;
  readonly resumeOf: string | null;
  readonly selection: Manifest["selection"];
  readonly start: string;
  /** `start` in epoch milliseconds (0 when it is not a date), for sorting and windows. */
  readonly startMs: number;
  readonly end: string | null;
  readonly status: RunState;
  readonly durationMs: number | null;
  /** The stage that made the run fail (or was running when it was interrupted), if any. */
  readonly failedStage: string | null;
  /** Only part of the DAG was asked for (`--only` / `--from`). */
  readonly partial: boolean;
  /** Nothing was executed: every stage is pending or not selected and has no attempt. */
  readonly dryRun: boolean;
  readonly facts: RunFacts;
}

/** A normalised run with its stages, in plan order. Times are ISO strings, as in the manifest. */
export interface RunView extends RunHead {
  readonly stages: readonly StageRecord[];
}

/**
 * The head of a run: everything but the stage records, which are most of a manifest's size.
 *
 * @example
 * ```ts
 * const heads = views.map(headOf);
 * ```
 */
export function headOf(view: RunView): RunHead {
  const { stages: _stages, ...head } = view;
  return head;
}

export { pidAlive };

/**
 * Whether a run recorded as running still has a live runner; null (unknowable) for another host.
 *
 * @example
 * ```ts
 * runnerAlive({ host: os.hostname(), pid: process.pid }); // true
 * ```
 */
export function runnerAlive(run: Pick<RunHead, "host" | "pid">): boolean | null {
  if (run.host !== os.hostname() || run.pid === null) return null;
  return pidAlive(run.pid);
}

/** The parts of a stage record the run-level fields are derived from. */
export type StageFacts = Pick<StageRecord, "id" | "kind" | "status"> & {
  readonly attempts: readonly Pick<Attempt, "outcome" | "gpuWaitMs">[];
};

const FAILING: ReadonlySet<StageStatus> = new Set(["failed"]);
const ACTIVE: ReadonlySet<StageStatus> = new Set(["running", "waiting"]);
const STOPPED: ReadonlySet<StageStatus> = new Set(["cancelled", "running"]);

/**
 * The stage to blame for a run that did not succeed: the first failed one, else the one that was
 * running when it was interrupted or cancelled.
 *
 * @example
 * ```ts
 * blameStage("failed", run.stages); // "train"
 * ```
 */
export function blameStage(status: RunState, stages: readonly StageFacts[]): string | null {
  if (status === "success") return null;
  const by = (set: ReadonlySet<StageStatus>) => stages.find((s) => set.has(s.status))?.id ?? null;
  if (status === "running") return by(FAILING);
  if (status === "interrupted") return by(ACTIVE) ?? by(FAILING);
  return by(FAILING) ?? by(STOPPED);
}

/**
 * The blamed stage as people read it: `stage X` for a run that failed (or is failing), `during X` for a
 * cancelled or interrupted one, whose stage was stopped, not failed; "" when none.
 *
 * @example
 * ```ts
 * blameText({ status: "cancelled", failedStage: "train" }); // "during train"
 * ```
 */
export function blameText(run: Pick<RunHead, "status" | "failedStage">): string {
  if (run.failedStage === null) return "";
  return `${run.status === "cancelled" || run.status === "interrupted" ? "during" : "stage"} ${run.failedStage}`;
}

function isDryRun(stages: readonly StageFacts[]): boolean {
  return (
    stages.length > 0 &&
    stages.every((s) => s.attempts.length === 0 && (s.status === "pending" || s.status === "not_selected"))
  );
}

function factsOf(failedStage: string | null, stages: readonly StageFacts[]): RunFacts {
  const failed = stages.find((s) => s.id === failedStage);
  let longestGpuWait: RunFacts["longestGpuWait"] = null;
  for (const s of stages) {
    for (const a of s.attempts)
      if (a.gpuWaitMs > (longestGpuWait?.ms ?? 0)) longestGpuWait = { stage: s.id, ms: a.gpuWaitMs };
  }
  return {
    failedKind: failed?.kind ?? null,
    failedOutcome: failed?.attempts.at(-1)?.outcome ?? null,
    longestGpuWait,
    stageCount: stages.length,
  };
}

/** What a reader supplies; the rest of a RunHead is derived. */
export type HeadBase = Omit<RunHead, "startMs" | "durationMs" | "failedStage" | "partial" | "dryRun" | "facts">;

/**
 * Derive the computed fields of a run head (start time, duration, blamed stage, facts) from its
 * recorded fields and stages.
 *
 * @example
 * ```ts
 * const head = finishHead({ id, dir, executor: "airflow", ...recorded }, stages);
 * ```
 */
export function finishHead(b: HeadBase, stages: readonly StageFacts[]): RunHead {
  const failedStage = blameStage(b.status, stages);
  const startMs = Date.parse(b.start);
  const durationMs = b.end === null ? null : Date.parse(b.end) - startMs;
  // One literal with every field (no spread): 10,000 heads share one object shape, and build fast.
  return {
    id: b.id,
    dir: b.dir,
    executor: b.executor,
    runId: b.runId,
    pipelineId: b.pipelineId,
    planHash: b.planHash,
    params: b.params,
    paramSources: b.paramSources,
    git: b.git,
    user: b.user,
    host: b.host,
    pid: b.pid,
    trigger: b.trigger,
    resumeOf: b.resumeOf,
    selection: b.selection,
    start: b.start,
    startMs: Number.isNaN(startMs) ? 0 : startMs,
    end: b.end,
    status: b.status,
    durationMs: durationMs === null || Number.isNaN(durationMs) ? null : durationMs,
    failedStage,
    partial: b.selection.only.length > 0 || b.selection.from.length > 0,
    dryRun: isDryRun(stages),
    facts: factsOf(failedStage, stages),
  };
}

/** A manifest as far as listing needs it: stages reduced to their facts. */
export type ManifestHead = Omit<Manifest, "stages"> & { readonly stages: readonly StageFacts[] };

/**
 * The head of a local run: a "running" run whose runner is dead on this host is "interrupted".
 *
 * @example
 * ```ts
 * const head = headFromManifest(ManifestSchema.parse(data), "/repo/.updraft/runs/abc", "abc");
 * ```
 */
export function headFromManifest(m: ManifestHead, dir: string, id: string): RunHead {
  const status: RunState = m.status === "running" && runnerAlive(m) === false ? "interrupted" : m.status;
  // Field by field rather than a spread, so that the stage records are not carried along.
  const base: HeadBase = {
    id,
    dir,
    executor: m.executor,
    runId: m.runId,
    pipelineId: m.pipelineId,
    planHash: m.planHash,
    params: m.params,
    paramSources: m.paramSources ?? null,
    git: m.git,
    user: m.user,
    host: m.host,
    pid: m.pid,
    trigger: m.trigger,
    resumeOf: m.resumeOf,
    selection: m.selection,
    start: m.start,
    end: m.end,
    status,
  };
  return finishHead(base, m.stages);
}

/**
 * A local manifest as a RunView.
 *
 * @example
 * ```ts
 * const run = fromManifest(ManifestSchema.parse(data), "/repo/.updraft/runs/abc", "abc");
 * ```
 */
export function fromManifest(m: Manifest, dir: string, id: string): RunView {
  return { ...headFromManifest(m, dir, id), stages: m.stages };
}
