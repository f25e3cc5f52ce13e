/**
 * One attempt of a task stage: a concurrency slot, GPU leases if it needs them, the process, and
 * the verdict on how it ended (outputs checked on success).
 */
import path from "node:path";
import type { Attempt, AttemptOutcome, OutputRecord } from "../../../records/manifest.js";
import type { Stage } from "../../../plan/schema.js";
import { stageGpus } from "../../../planner/params.js";
import type { RunContext } from "../context.js";
import { describeHolders } from "../output/events.js";
import { outputRecords } from "../skip/fingerprint.js";
import type { Lease } from "../gpu/gpu-leases.js";
import { runProcess, type ProcessEnd } from "../process/process.js";
import type { ResolvedStage } from "../resolve-stage.js";

/** How an attempt ended. `attempt` is the record in the manifest, still to be completed. */
export interface AttemptResult {
  readonly attempt: Attempt;
  readonly outcome: AttemptOutcome;
  readonly end: ProcessEnd | null;
  readonly reason: string | null;
  readonly outputs: OutputRecord[];
}

async function leaseGpus(
  ctx: RunContext,
  stage: Stage,
  n: number,
  max: number,
): Promise<{ lease: Lease | null; waitedMs: number }> {
  const need = stageGpus(stage, ctx.values);
  if (need === 0 || ctx.gpus === null) return { lease: null, waitedMs: 0 };
  const started = performance.now();
  const lease = await ctx.gpus.acquire(need, { runId: ctx.runId, stage: stage.id }, ctx.stop.signal, (holders) => {
    const reason = `attempt ${n}/${max} waiting for a GPU: ${describeHolders(holders)}`;
    ctx.store.change(
      stage.id,
      (s) => {
        s.status = "waiting";
        s.reason = reason;
      },
      { type: "gpu-wait", at: Date.now(), stage: stage.id, holders },
    );
  });
  return { lease, waitedMs: Math.round(performance.now() - started) };
}

/**
 * Run attempt `n` of `max`. Rejects only when the run is stopped before the process starts.
 *
 * @example
 * ```ts
 * const result = await runAttempt(ctx, stage, resolved, 1, stage.retry.retries + 1);
 * ```
 */
export async function runAttempt(
  ctx: RunContext,
  stage: Stage,
  resolved: ResolvedStage,
  n: number,
  max: number,
): Promise<AttemptResult> {
  const release = await ctx.slots.acquire(ctx.stop.signal);
  let lease: Lease | null = null;
  try {
    const got = await leaseGpus(ctx, stage, n, max);
    lease = got.lease;
    const gpus = lease ? [...lease.gpus] : [];
    const log = ctx.paths.logRel(stage.id, n);
    const attempt: Attempt = {
      attempt: n,
      start: new Date().toISOString(),
      end: null,
      exitCode: null,
      signal: null,
      durationMs: null,
      outcome: "running",
      log,
      gpus,
      gpuWaitMs: got.waitedMs,
      retryDelayMs: null,
    };
    ctx.store.change(
      stage.id,
      (s) => {
        s.status = "running";
        s.reason = null;
        s.attempts.push(attempt);
      },
      { type: "attempt-start", at: Date.now(), stage: stage.id, attempt: n, max, gpus },
    );
    const env: Record<string, string> = {
      ...resolved.env,
      UPDRAFT_RUN_ID: ctx.runId,
      UPDRAFT_RUN_DIR: ctx.paths.dir,
      UPDRAFT_STAGE: stage.id,
      UPDRAFT_ATTEMPT: String(n),
    };
    if (lease) env.CUDA_VISIBLE_DEVICES = gpus.join(",");
    const end = await runProcess({
      file: resolved.file,
      args: resolved.args,
      cwd: resolved.cwd.absolute,
      baseEnv: ctx.env,
      env,
      logFile: path.join(ctx.paths.dir, log),
      timeoutMs: stage.timeoutSeconds === null || ctx.interactive ? null : stage.timeoutSeconds * 1000,
      graceMs: ctx.graceMs,
      secrets: ctx.secrets,
      interactive: ctx.interactive,
      onLine: ctx.verbose
        ? (line, progress) =>
            ctx.store.announceLater({ type: "output", at: Date.now(), stage: stage.id, line, progress })
        : null,
      stop: ctx.stop.signal,
      kill: ctx.kill.signal,
      onSpawn: (pid) => lease?.setChild(pid),
      marker: { UPDRAFT_RUN_ID: ctx.runId, UPDRAFT_STAGE: stage.id, UPDRAFT_ATTEMPT: String(n) },
      spawner: ctx.spawner,
    });
    lease?.release();
    lease = null;
    release();
    return { attempt, end, ...(await verdict(ctx, end, resolved)) };
  } finally {
    lease?.release();
    release();
  }
}

async function verdict(
  ctx: RunContext,
  end: ProcessEnd,
  resolved: ResolvedStage,
): Promise<Omit<AttemptResult, "attempt" | "end">> {
  const none: OutputRecord[] = [];
  if (end.how === "cancelled") return { outcome: "cancelled", reason: "stopped while running", outputs: none };
  if (end.how === "timeout")
    return { outcome: "timeout", reason: `timed out after ${end.durationMs / 1000}s`, outputs: none };
  if (end.how === "start-error") return { outcome: "failed", reason: `could not start: ${end.error}`, outputs: none };
  if (end.exitCode !== 0) {
    return {
      outcome: "failed",
      reason: end.exitCode === null ? `killed by ${end.signal}` : `exit ${end.exitCode}`,
      outputs: none,
    };
  }
  const got = await outputRecords(resolved.outputs, ctx.hasher);
  if ("missing" in got) return { outcome: "missing-output", reason: `missing output: ${got.missing}`, outputs: none };
  return { outcome: "success", reason: null, outputs: got.records };
}
