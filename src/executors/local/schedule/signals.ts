/**
 * Ctrl-C and friends: the first SIGINT (or a SIGTERM, a SIGHUP, or the caller's AbortSignal)
 * stops running stages gracefully and records them cancelled; a second SIGINT kills at once.
 */
import type { RunContext } from "../context.js";
import type { RunOptions } from "../options.js";

/**
 * The reason recorded when a run is interrupted.
 *
 * @example
 * ```ts
 * ctx.stop.abort(INTERRUPTED);
 * ```
 */
export const INTERRUPTED = "the run was interrupted";

/**
 * Connect the run to process signals (when `options.handleSignals`) and to `options.signal`;
 * returns the function that disconnects them.
 *
 * @example
 * ```ts
 * const unwatch = watchSignals(ctx, { handleSignals: true });
 * try { await schedule(...); } finally { unwatch(); }
 * ```
 */
export function watchSignals(ctx: RunContext, options: Pick<RunOptions, "handleSignals" | "signal">): () => void {
  let count = 0;
  const grace = `${ctx.graceMs / 1000}s`;
  const onSignal = (name: NodeJS.Signals) => {
    count++;
    if (count === 1 && !ctx.stop.signal.aborted) {
      ctx.store.announceLater({
        type: "note",
        at: Date.now(),
        text: `${name}: stopping running stages (SIGTERM, SIGKILL after ${grace}); press Ctrl-C again to kill them at once`,
      });
      ctx.stop.abort(INTERRUPTED);
      return;
    }
    if (name === "SIGINT" || count > 1) {
      ctx.store.announceLater({ type: "note", at: Date.now(), text: `${name} again: killing running stages now` });
      if (!ctx.stop.signal.aborted) ctx.stop.abort(INTERRUPTED);
      ctx.kill.abort();
    }
  };
  const onAbort = () => onSignal("SIGTERM");
  const names: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  if (options.handleSignals) for (const n of names) process.on(n, onSignal);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  return () => {
    if (options.handleSignals) for (const n of names) process.off(n, onSignal);
    options.signal?.removeEventListener("abort", onAbort);
  };
}
