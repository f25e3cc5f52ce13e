/**
 * One run as history tools see it, whichever executor wrote it: a local manifest or the audit
 * records of an exported Airflow DAG, normalised into the same plain-data shape.
 */
import os from "node:os";
import type { Manifest, RunStatus, StageRecord, StageStatus } from "../manifest.js";
import { between } from "./time.js";

/** A run's status; "interrupted": recorded as running, but its process is gone. */
export type RunState = RunStatus | "interrupted";

/** How a run was started; Airflow adds backfills to the manifest's triggers. */
export type RunTrigger = Manifest["trigger"] | "backfill";

/** A normalised run. Times are ISO strings, as in the manifest. */
export interface RunView {
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
  readonly git: Manifest["git"];
  readonly user: string;
  readonly host: string;
  readonly pid: number | null;
  readonly trigger: RunTrigger;
  readonly resumeOf: string | null;
  readonly selection: Manifest["selection"];
  readonly start: string;
  readonly end: string | null;
  readonly status: RunState;
  readonly durationMs: number | null;
  /** The stage that made the run fail (or was running when it was interrupted), if any. */
  readonly failedStage: string | null;
  /** Only part of the DAG was asked for (`--only` / `--from`). */
  readonly partial: boolean;
  /** Nothing was executed: every stage is pending or not selected and has no attempt. */
  readonly dryRun: boolean;
  readonly stages: readonly StageRecord[];
}

/**
 * Whether a process id is alive on this host. EPERM means it exists but belongs to someone else.
 *
 * @example
 * ```ts
 * pidAlive(process.pid); // true
 * ```
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a run recorded as running still has a live runner; unknowable for another host. */
export function runnerAlive(run: Pick<RunView, "host" | "pid">): boolean | null {
  if (run.host !== os.hostname() || run.pid === null) return null;
  return pidAlive(run.pid);
}

const FAILING: ReadonlySet<StageStatus> = new Set(["failed"]);

/** The stage to blame for a run that did not succeed. */
export function blameStage(status: RunState, stages: readonly StageRecord[]): string | null {
  if (status === "success") return null;
  const by = (set: ReadonlySet<StageStatus>) => stages.find((s) => set.has(s.status))?.id ?? null;
  if (status === "running") return by(FAILING);
  if (status === "interrupted") return by(new Set<StageStatus>(["running", "waiting"])) ?? by(FAILING);
  return by(FAILING) ?? by(new Set<StageStatus>(["cancelled", "running"]));
}

function isDryRun(stages: readonly StageRecord[]): boolean {
  return stages.every((s) => s.attempts.length === 0 && (s.status === "pending" || s.status === "not_selected"));
}

/** The parts of a RunView every reader fills the same way. */
export function finishView(base: Omit<RunView, "durationMs" | "failedStage" | "partial" | "dryRun">): RunView {
  return {
    ...base,
    durationMs: between(base.start, base.end),
    failedStage: blameStage(base.status, base.stages),
    partial: base.selection.only.length > 0 || base.selection.from.length > 0,
    dryRun: base.stages.length > 0 && isDryRun(base.stages),
  };
}

/**
 * A local manifest as a RunView: a "running" run whose runner is dead here is "interrupted".
 *
 * @example
 * ```ts
 * const run = fromManifest(ManifestSchema.parse(data), "/repo/.updraft/runs/abc", "abc");
 * ```
 */
export function fromManifest(m: Manifest, dir: string, id: string): RunView {
  const status: RunState = m.status === "running" && runnerAlive(m) === false ? "interrupted" : m.status;
  const { version: _v, ...rest } = m;
  return finishView({ ...rest, id, dir, status });
}
