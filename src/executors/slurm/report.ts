/**
 * The SLURM export report: every place where the submitted jobs cannot behave exactly as
 * `updraft run` would, as data. Printed by the CLI and written into submit.sh's header.
 */
import { needsGpu } from "../../planner/params.js";
import type { Plan } from "../../plan/schema.js";

/** One difference between the Plan and what Slurm will do. */
export interface SlurmIssue {
  readonly code:
    "retry-delay-late" | "max-active-runs" | "gpu-from-gres" | "schedule" | "timeout-outer-bound" | "airflow-settings";
  /** Stages concerned (empty for pipeline-wide issues). */
  readonly stages: readonly string[];
  readonly message: string;
  /** Not a difference from `updraft run` (which ignores it too): said, but `--strict` does not refuse it. */
  readonly info?: true;
}

/** What submit.sh does with each of the pipeline's Airflow settings that is set. */
function airflowSettings(plan: Plan): SlurmIssue | null {
  const { startDate, owner, catchup, gpuPool } = plan.pipeline.airflow;
  const said: string[] = [];
  if (startDate !== null) said.push(`startDate ${startDate} (a run starts when submit.sh submits it)`);
  if (catchup) said.push("catchup (missed runs are never submitted)");
  if (owner !== null) said.push(`owner ${JSON.stringify(owner)} (jobs belong to the user who submits)`);
  if (gpuPool !== null)
    said.push(`gpuPool ${JSON.stringify(gpuPool)} (a cluster-wide GPU pool is a Slurm license: --gpu-license NAME)`);
  const queued = plan.stages.filter((s) => s.queue !== null);
  if (queued.length > 0) said.push("queue (choose a partition with SBATCH_PARTITION where you submit)");
  if (said.length === 0) return null;
  return {
    code: "airflow-settings",
    stages: queued.map((s) => s.id),
    message: `Airflow settings, not used by submit.sh (nor by updraft run): ${said.join("; ")}`,
    info: true,
  };
}

/**
 * What Slurm cannot express exactly for this plan.
 *
 * @example
 * ```ts
 * slurmReport(plan).map((i) => i.code); // ["retry-delay-late"]
 * ```
 */
export function slurmReport(plan: Plan): SlurmIssue[] {
  const issues: SlurmIssue[] = [];
  const retrying = plan.stages.filter((s) => s.kind === "task" && s.retry.retries > 0).map((s) => s.id);
  if (retrying.length > 0)
    issues.push({
      code: "retry-delay-late",
      stages: retrying,
      message:
        "a retry never starts before its planned delay, but Slurm may start it up to one scheduling pass later (sched_interval, 60 s unless configured)",
    });
  const timed = plan.stages.filter((s) => s.timeoutSeconds !== null).map((s) => s.id);
  if (timed.length > 0)
    issues.push({
      code: "timeout-outer-bound",
      stages: timed,
      message:
        "the timeout is enforced in seconds inside the job; Slurm's --time (whole minutes, with a margin) only bounds a job whose runtime is stuck, and such an attempt is recorded as cancelled",
    });
  const gpus = plan.stages.filter(needsGpu).map((s) => s.id);
  if (gpus.length > 0)
    issues.push({
      code: "gpu-from-gres",
      stages: gpus,
      message:
        "GPUs come from Slurm (--gres, CUDA_VISIBLE_DEVICES), not from updraft's lock directory: time spent pending for a GPU is not recorded (gpuWaitMs 0)",
    });
  if (plan.pipeline.maxActiveRuns !== 1)
    issues.push({
      code: "max-active-runs",
      stages: [],
      message: `maxActiveRuns ${plan.pipeline.maxActiveRuns}: Slurm can only serialise runs (singleton, maxActiveRuns 1), so runs are not limited`,
    });
  const settings = airflowSettings(plan);
  if (settings) issues.push(settings);
  if (plan.pipeline.schedule !== null)
    issues.push({
      code: "schedule",
      stages: [],
      message: `schedule ${plan.pipeline.schedule}: Slurm submits nothing on its own; run submit.sh from cron or scrontab`,
    });
  return issues;
}

/**
 * One issue as a line of text.
 *
 * @example
 * ```ts
 * formatSlurmIssue(issue); // "[retry-delay-late] train: a retry never starts before ..."
 * ```
 */
export function formatSlurmIssue(issue: SlurmIssue): string {
  const where = issue.stages.length > 0 ? ` ${issue.stages.join(", ")}:` : "";
  return `[${issue.code}]${where} ${issue.message}`;
}
