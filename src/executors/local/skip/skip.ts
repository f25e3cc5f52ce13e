/**
 * Whether a stage need not run: carried over from the run being resumed, or up to date with its
 * last successful run. Either needs the same fingerprint and intact outputs.
 */
import { copyFileSync, linkSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Attempt, StageRecord } from "../../../records/manifest.js";
import type { RunContext } from "../context.js";
import { changedOutput } from "./fingerprint.js";

/** A stage that need not run: the record fields to take over, or why it must run. */
export type SkipDecision =
  | { skip: true; status: "success" | "up_to_date"; reason: string; from: StageRecord; attempts: Attempt[] }
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

/**
 * Decide whether stage `id` with fingerprint `fp` can be skipped.
 *
 * @example
 * ```ts
 * const d = await decideSkip(ctx, "train", fp, resolved.outputs.length);
 * if (d.skip) record(d.status, d.reason);
 * ```
 */
export async function decideSkip(
  ctx: RunContext,
  id: string,
  fp: string,
  declaredOutputs: number,
): Promise<SkipDecision> {
  const resumed = ctx.resumed?.stages.find((s) => s.id === id);
  let why = "no earlier successful run";
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
        reason: `carried over from run ${ctx.resumed.runId}`,
        from: resumed,
        attempts,
      };
    }
    why = `succeeded in run ${ctx.resumed.runId}, but ${changed} changed since`;
  }
  if (ctx.force) return { skip: false, why: "--force" };
  // Like a phony make target: with no outputs, nothing shows that its work is still there.
  if (declaredOutputs === 0) return { skip: false, why: "it declares no outputs, so it is never up to date" };
  const past = ctx.past.lastSuccess(id);
  if (past === null) return { skip: false, why };
  if (past.record.fingerprint !== fp)
    return { skip: false, why: `command, params or inputs differ from its last successful run ${past.runId}` };
  const changed = await changedOutput(past.record.outputs, ctx.hasher, ctx.root);
  if (changed !== null) return { skip: false, why: `output ${changed} since its last successful run ${past.runId}` };
  const n = past.record.outputs.length;
  const reason = `same command, params and inputs as run ${past.runId}; ${n === 1 ? "its output is" : `all ${n} outputs are`} intact`;
  return { skip: true, status: "up_to_date", reason, from: past.record, attempts: [] };
}
