/**
 * Whether a stage need not run: carried over from the run being resumed, or up to date with its
 * last successful run. Either needs the same fingerprint and intact outputs.
 */
import { copyFileSync, linkSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Attempt, OutputRecord, StageRecord } from "../../../records/manifest.js";
import { shortRunId } from "../../../records/read-runs.js";
import type { CacheEntry, LastRun, RunCache } from "./cache/run-cache.js";
import { explainChange } from "./explain.js";
import type { FileHasher } from "./file-hash.js";
import type { Fingerprint } from "./fingerprint.js";
import type { RunContext } from "../context.js";
import { changedOutput } from "./fingerprint.js";
import { firstLine } from "../../../common/errors.js";

/** A stage that need not run: the outputs and attempts its record takes over, or why it must run. */
export type SkipDecision =
  | {
      skip: true;
      status: "success" | "up_to_date";
      reason: string;
      outputs: readonly OutputRecord[];
      attempts: Attempt[];
    }
  | { skip: false; why: string };

/** Give carried-over attempts their logs in the new run directory (hard links; copies across devices). */
function carryLogs(ctx: RunContext, fromRun: string, attempts: readonly Attempt[]): Attempt[] {
  const fromDir = path.join(path.dirname(ctx.paths.dir), fromRun);
  return attempts.map((a) => {
    if (a.log === null) return { ...a };
    const source = path.join(fromDir, a.log);
    const target = path.join(ctx.paths.dir, a.log);
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
      return { ...a };
    } catch {
      return { ...a, log: null };
    }
  });
}

function intactReason(runId: string, n: number): string {
  return `same command, params and inputs as run ${shortRunId(runId)}; ${n === 1 ? "its output is" : `all ${n} outputs are`} intact`;
}

function restoredReason(runId: string, n: number): string {
  return `same command, params and inputs as run ${runId}; ${n === 1 ? "its output" : `all ${n} outputs`} restored from the output store`;
}

/**
 * Decide whether stage `id` with fingerprint `f` can be skipped: carried over from a resumed run, or
 * up to date because some recorded execution with the same fingerprint (the run cache, else the
 * last successful run in the run directories) wrote exactly the outputs now on disk.
 *
 * @example
 * ```ts
 * const d = await decideSkip(ctx, "train", f, resolved.outputs.length);
 * if (d.skip) record(d.status, d.reason);
 * ```
 */
export async function decideSkip(
  ctx: RunContext,
  id: string,
  f: Fingerprint,
  declaredOutputs: number,
  restore = false,
): Promise<SkipDecision> {
  const fp = f.fp;
  const resumed = ctx.resumed?.stages.find((s) => s.id === id);
  let resumedWhy: string | null = null;
  if (ctx.resumed && resumed?.status === "success") {
    const changed =
      resumed.fingerprint === fp
        ? await changedOutput(resumed.outputs, ctx.hasher, ctx.root)
        : "its command, params or inputs";
    if (changed === null) {
      const attempts = carryLogs(ctx, ctx.resumed.runId, resumed.attempts);
      return {
        skip: true,
        status: "success",
        reason: `carried over from run ${shortRunId(ctx.resumed.runId)}`,
        outputs: resumed.outputs,
        attempts,
      };
    }
    resumedWhy = `succeeded in run ${shortRunId(ctx.resumed.runId)}, but ${changed} changed since`;
  }
  if (ctx.force) return { skip: false, why: "--force" };
  // Like a phony make target: with no outputs, nothing shows that its work is still there.
  if (declaredOutputs === 0) return { skip: false, why: "it declares no outputs, so it is never up to date" };
  // The run directories are read only when the run cache has no intact execution (a cache pruned,
  // or records older than it): reading the last run's manifest cost a no-op run of 100 stages 8 ms.
  const past = () => ctx.past.lastSuccess(id);
  const found = await intactExecution(ctx.cache, past, f, ctx.hasher, ctx.root);
  if (found !== null)
    return {
      skip: true,
      status: "up_to_date",
      reason: intactReason(found.runId, found.outputs.length),
      outputs: found.outputs,
      attempts: [],
    };
  const entries = ctx.cache.entries(fp);
  if (restore) {
    const restored = await restoreOutputs(ctx, id, entries);
    if (restored !== null)
      return {
        skip: true,
        status: "up_to_date",
        reason: restoredReason(restored.runId, restored.outputs.length),
        outputs: restored.outputs,
        attempts: [],
      };
  }
  const last = ctx.cache.last(ctx.plan.pipeline.id, id);
  const why = await whyRuns(last, f, entries, last === null && past() !== null, ctx.hasher, ctx.root);
  return { skip: false, why: resumedWhy ?? why };
}

/** Put back the outputs of the newest recorded execution the output store holds whole; null when none. */
async function restoreOutputs(ctx: RunContext, id: string, entries: readonly CacheEntry[]): Promise<CacheEntry | null> {
  for (const entry of entries)
    try {
      if (await ctx.cache.store.restore(entry.outputs, ctx.root, ctx.hasher)) return entry;
    } catch (error) {
      ctx.cache.warnings.push(`${id}: could not restore from the output store: ${firstLine(error)}`);
      return null;
    }
  return null;
}

/** A stage's newest successful record in the run directories (see PastRuns). */
export interface PastSuccess {
  readonly runId: string;
  readonly record: StageRecord;
}

/**
 * A recorded execution with fingerprint `f` whose outputs are all on disk as it wrote them: from the
 * run cache (any of them, newest first), else the stage's last successful run (`lastSuccess`, asked
 * only then); null when none.
 *
 * @example
 * ```ts
 * await intactExecution(cache, () => past.lastSuccess("train"), f, hasher, root); // { runId, outputs } | null
 * ```
 */
export async function intactExecution(
  cache: RunCache,
  lastSuccess: () => PastSuccess | null,
  f: Fingerprint,
  hasher: FileHasher,
  root: string,
): Promise<{ runId: string; outputs: OutputRecord[] } | null> {
  for (const entry of cache.entries(f.fp))
    if ((await changedOutput(entry.outputs, hasher, root)) === null) return entry;
  const past = lastSuccess();
  if (past === null || past.record.fingerprint !== f.fp) return null;
  return (await changedOutput(past.record.outputs, hasher, root)) === null
    ? { runId: past.runId, outputs: past.record.outputs }
    : null;
}

/**
 * Why a stage that is not up to date runs, as one line of reasons.
 *
 * @example
 * ```ts
 * await whyRuns(cache.last("rwkv", "train"), f, cache.entries(f.fp), false, hasher, root); // "param run changed (r1 -> alt)"
 * ```
 */
export async function whyRuns(
  last: LastRun | null,
  f: Fingerprint,
  entries: readonly CacheEntry[],
  ranBefore: boolean,
  hasher: FileHasher,
  root: string,
): Promise<string> {
  if (entries.length > 0) {
    const changed = await changedOutput(entries[0]!.outputs, hasher, root);
    if (changed !== null) return `output ${changed}`;
  }
  if (last === null)
    return ranBefore
      ? "command, params or inputs differ from its last successful run"
      : "no earlier successful run (never ran)";
  if (last.fingerprint === f.fp) return "no recorded execution wrote the outputs on disk";
  const reasons = explainChange(last.details, f.details);
  return reasons.length > 0 ? reasons.join("; ") : `fingerprint differs from run ${shortRunId(last.runId)}`;
}
