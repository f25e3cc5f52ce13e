/**
 * A task stage from start to end: skip it if it is up to date, else run attempts with retries
 * and backoff until one succeeds, a failure is final, or the run is stopped.
 */
import { statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { retryDelay } from "../../../planner/retry.js";
import type { Stage } from "../../../plan/schema.js";
import { runAttempt, type AttemptResult } from "./attempt.js";
import type { RunContext, StageOutcome } from "../context.js";
import { firstLine } from "../../../common/errors.js";
import { MissingCwd } from "../errors.js";
import type { OutputRecord } from "../../../records/manifest.js";
import { NotRegularFile } from "../skip/file-hash.js";
import { fingerprint, type Fingerprint } from "../skip/fingerprint.js";
import { pathHash } from "../skip/paths.js";
import { resolveStage, type ResolvedStage } from "../resolve-stage.js";
import { decideSkip } from "../skip/skip.js";
import { finishStage, stopReason } from "./finish.js";

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Run task stage `stage` to its end and say how it ended.
 *
 * @example
 * ```ts
 * const outcome = await runTaskStage(ctx, stage); // "ok" | "failed" | "cancelled"
 * ```
 */
export async function runTaskStage(ctx: RunContext, stage: Stage): Promise<StageOutcome> {
  const resolved = resolveStage(stage, ctx.values, ctx.root);
  const inputs = resolved.inputs.map((p) => p.shown);
  let f: Fingerprint | undefined;
  try {
    f = await fingerprint(stage, resolved, ctx.values, ctx.hasher);
  } catch (error) {
    if (!(error instanceof NotRegularFile) && !ctx.stop.signal.aborted) throw error;
  }
  if (ctx.stop.signal.aborted) {
    finishStage(ctx, stage.id, "cancelled", stopReason(ctx));
    return "cancelled";
  }
  if (f === undefined || f.missing.length > 0) {
    const why = f === undefined ? await badInput(ctx, stage, resolved) : `input ${f.missing.join(", ")} does not exist`;
    finishStage(ctx, stage.id, "failed", why);
    return "failed";
  }
  const fp = f.fp;
  const skip = await decideSkip(ctx, stage.id, f, resolved.outputs.length, stage.cache === true);
  if (skip.skip) {
    if (skip.status === "success")
      ctx.store.announceLater({
        type: "note",
        at: Date.now(),
        text: `${stage.id} ${skip.reason} (succeeded there; outputs intact)`,
      });
    finishStage(ctx, stage.id, skip.status, skip.reason, (s) => {
      s.fingerprint = fp;
      s.inputs = inputs;
      s.outputs = skip.outputs.map((o) => ({ ...o }));
      s.attempts = skip.attempts;
    });
    remember(ctx, stage.id, f, null);
    return "ok";
  }
  ctx.store.change(
    stage.id,
    (s) => {
      s.fingerprint = fp;
      s.inputs = inputs;
    },
    { type: "why", at: Date.now(), stage: stage.id, text: skip.why },
  );
  if (!isDirectory(resolved.cwd.absolute)) {
    finishStage(ctx, stage.id, "failed", new MissingCwd(resolved.cwd.shown).message);
    return "failed";
  }
  return attempts(ctx, stage, resolved, f);
}

/** The reason a stage cannot hash its inputs (a FIFO, device or socket among them). */
async function badInput(ctx: RunContext, stage: Stage, resolved: ResolvedStage): Promise<string> {
  for (const p of resolved.inputs)
    try {
      await pathHash(p, ctx.hasher);
    } catch (error) {
      if (error instanceof NotRegularFile) return `input ${p.shown}: ${error.message}`;
    }
  return `stage "${stage.id}": an input could not be read`;
}

/**
 * Record a successful execution in the run cache, and what its fingerprint was made of; with `keep`
 * (the stage's `cache: true`), keep its outputs in the output store.
 */
function remember(ctx: RunContext, id: string, f: Fingerprint, outputs: OutputRecord[] | null, keep = false): void {
  try {
    if (keep && outputs !== null) ctx.cache.store.save(outputs, ctx.root);
    if (outputs !== null && outputs.length > 0)
      ctx.cache.record({
        fingerprint: f.fp,
        pipeline: ctx.plan.pipeline.id,
        stage: id,
        runId: ctx.runId,
        root: ctx.root,
        outputs,
      });
    ctx.cache.setLast(ctx.plan.pipeline.id, id, { fingerprint: f.fp, runId: ctx.runId, details: f.details });
  } catch (error) {
    ctx.store.announceLater({
      type: "note",
      at: Date.now(),
      text: `${id}: could not write the run cache: ${firstLine(error)}`,
    });
  }
}

async function attempts(ctx: RunContext, stage: Stage, resolved: ResolvedStage, f: Fingerprint): Promise<StageOutcome> {
  // Interactive: one attempt, watched by the person at the terminal.
  const max = ctx.interactive ? 1 : stage.retry.retries + 1;
  for (let n = 1; ; n++) {
    let result: AttemptResult;
    try {
      result = await runAttempt(ctx, stage, resolved, n, max);
    } catch (error) {
      if (!ctx.stop.signal.aborted) throw error;
      finishStage(
        ctx,
        stage.id,
        "cancelled",
        n === 1 ? stopReason(ctx) : `stopped before attempt ${n}: ${String(ctx.stop.signal.reason)}`,
      );
      return "cancelled";
    }
    const { outcome, end } = result;
    const code = end?.exitCode ?? null;
    const final =
      outcome === "success" ||
      outcome === "cancelled" ||
      outcome === "missing-output" ||
      n === max ||
      (code !== null && stage.retry.nonRetryableExitCodes.includes(code));
    const delayMs = final ? null : Math.round(retryDelay(stage.retry, n) * 1000);
    ctx.store.change(
      stage.id,
      () => {
        Object.assign(result.attempt, {
          end: new Date().toISOString(),
          exitCode: code,
          signal: end?.signal ?? null,
          durationMs: end?.durationMs ?? 0,
          outcome,
          retryDelayMs: delayMs,
        });
      },
      {
        type: "attempt-end",
        at: Date.now(),
        stage: stage.id,
        attempt: n,
        max,
        outcome,
        exitCode: code,
        signal: end?.signal ?? null,
        durationMs: end?.durationMs ?? 0,
        retryInMs: delayMs,
        reason: result.reason,
      },
    );
    if (outcome === "success") {
      finishStage(ctx, stage.id, "success", null, (s) => {
        s.outputs = result.outputs;
      });
      remember(ctx, stage.id, f, result.outputs, stage.cache === true);
      return "ok";
    }
    if (outcome === "cancelled") {
      finishStage(ctx, stage.id, "cancelled", `attempt ${n} ${result.reason}: ${String(ctx.stop.signal.reason)}`);
      return "cancelled";
    }
    if (delayMs === null) {
      finishStage(ctx, stage.id, "failed", failureReason(stage, result, n, max));
      return "failed";
    }
    ctx.store.change(stage.id, (s) => {
      s.status = "waiting";
      s.reason = `attempt ${n} ${result.reason}; retry ${n} of ${max - 1} in ${delayMs / 1000}s`;
    });
    try {
      await sleep(delayMs, undefined, { signal: ctx.stop.signal });
    } catch {
      finishStage(ctx, stage.id, "cancelled", `stopped while waiting to retry: ${String(ctx.stop.signal.reason)}`);
      return "cancelled";
    }
  }
}

function failureReason(stage: Stage, result: AttemptResult, n: number, max: number): string {
  const why = result.reason ?? result.outcome;
  const code = result.end?.exitCode ?? null;
  if (result.outcome === "missing-output") return why;
  if (code !== null && stage.retry.nonRetryableExitCodes.includes(code) && n < max)
    return `${why}; exit code ${code} is not retried`;
  return max === 1 ? why : `${why} (attempt ${n} of ${max})`;
}
