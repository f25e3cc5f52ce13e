/**
 * The SLURM export report: every place where the submitted jobs cannot behave exactly as
 * `updraft run` would, as data. Printed by the CLI and written into submit.sh's header.
 */
import type { Plan } from "../../plan/schema.js";

/** One difference between the Plan and what Slurm will do. */
export interface SlurmIssue {
  readonly code: "retry-delay-late" | "max-active-runs" | "gpu-from-gres" | "schedule" | "timeout-outer-bound";
  /** Stages concerned (empty for pipeline-wide issues). */
  readonly stages: readonly string[];
  readonly message: string;
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
  const gpus = plan.stages.filter((s) => s.gpu > 0).map((s) => s.id);
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
