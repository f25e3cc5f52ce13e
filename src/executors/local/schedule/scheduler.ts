/**
 * The DAG loop: start each selected stage once its dependencies are done, in parallel where the
 * DAG allows (the concurrency slots bound the processes), and settle what a failure leaves
 * behind: dependents of a failed stage are `upstream_failed`, dependents of a blocking gate FAIL
 * are `blocked`, and independent branches run on (unless --fail-fast stops the run).
 */
import type { StageRecord } from "../../../records/manifest.js";
import type { Stage } from "../../../plan/schema.js";
import type { RunContext, StageOutcome } from "../context.js";
import { firstLine } from "../../../common/errors.js";
import { StorageError } from "../errors.js";
import { finishStage } from "./finish.js";
import { runGateStage } from "./gate-stage.js";
import { runTaskStage } from "./task-stage.js";

/**
 * What --fail-fast writes as the reason the run stopped.
 *
 * @example
 * ```ts
 * failFastReason("train"); // "--fail-fast stopped the run after train failed"
 * ```
 */
export const failFastReason = (id: string) => `--fail-fast stopped the run after ${id} failed`;

/**
 * Run every stage in `selected` to a final status.
 *
 * @example
 * ```ts
 * await schedule(ctx, selection.selected, { failFast: false });
 * ```
 */
export function schedule(
  ctx: RunContext,
  selected: ReadonlySet<string>,
  options: { failFast: boolean },
): Promise<void> {
  const stages = ctx.plan.stages.filter((s) => selected.has(s.id));
  const dependents = new Map<string, Stage[]>(stages.map((s) => [s.id, []]));
  const waitingOn = new Map<string, number>();
  for (const s of stages) {
    const deps = s.dependsOn.filter((d) => selected.has(d));
    waitingOn.set(s.id, deps.length);
    for (const d of deps) dependents.get(d)!.push(s);
  }
  const settled = new Set<string>();

  return new Promise((resolve) => {
    const settle = (id: string, outcome: StageOutcome, cause: string = id) => {
      if (settled.has(id)) return;
      settled.add(id);
      if ((outcome === "failed" || outcome === "blocked") && options.failFast && !ctx.stop.signal.aborted)
        ctx.stop.abort(failFastReason(cause));
      for (const d of dependents.get(id) ?? []) {
        if (outcome !== "ok") markDownstream(d, outcome, cause);
        else {
          const left = waitingOn.get(d.id)! - 1;
          waitingOn.set(d.id, left);
          if (left === 0 && !settled.has(d.id)) start(d);
        }
      }
      if (settled.size === stages.length) resolve();
    };

    // Dependents carry the original cause: "train failed", not "eval upstream_failed".
    const markDownstream = (stage: Stage, outcome: Exclude<StageOutcome, "ok">, cause: string) => {
      if (settled.has(stage.id)) return;
      const [status, reason]: [StageRecord["status"], string] =
        outcome === "blocked"
          ? ["blocked", `gate ${cause} failed`]
          : outcome === "cancelled"
            ? ["cancelled", `not started: ${cause} was cancelled`]
            : ["upstream_failed", `${cause} failed`];
      finishStage(ctx, stage.id, status, reason);
      settle(stage.id, outcome, cause);
    };

    const start = (stage: Stage) => {
      const run = stage.kind === "gate" ? runGateStage(ctx, stage) : runTaskStage(ctx, stage);
      run.then(
        (outcome) => settle(stage.id, outcome),
        (error: unknown) => {
          const why = error instanceof StorageError ? firstLine(error) : `internal error: ${firstLine(error)}`;
          finishStage(ctx, stage.id, "failed", why);
          settle(stage.id, "failed");
        },
      );
    };

    if (stages.length === 0) resolve();
    for (const s of stages) if (waitingOn.get(s.id) === 0) start(s);
  });
}
