/**
 * Ending a stage: its final status and reason, recorded and announced together.
 */
import type { StageRecord } from "../../../records/manifest.js";
import type { RunContext } from "../context.js";

/**
 * End stage `id` with `status`, announcing it; `more` changes other fields in the same write.
 *
 * @example
 * ```ts
 * finishStage(ctx, "train", "failed", "exit 1 (attempt 4 of 4)");
 * ```
 */
export function finishStage(
  ctx: RunContext,
  id: string,
  status: StageRecord["status"],
  reason: string | null,
  more: (s: StageRecord) => void = () => undefined,
): void {
  ctx.store.change(
    id,
    (s) => {
      s.status = status;
      s.reason = reason;
      more(s);
    },
    { type: "stage-end", at: Date.now(), stage: id, status, reason },
  );
}

/**
 * Why the run was stopped, for stages it never started.
 *
 * @example
 * ```ts
 * stopReason(ctx); // "not started: the run was interrupted"
 * ```
 */
export function stopReason(ctx: RunContext): string {
  return `not started: ${String(ctx.stop.signal.reason ?? "the run was stopped")}`;
}
