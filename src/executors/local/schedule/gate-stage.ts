/**
 * A quality-gate stage: evaluated in this process by `runGate`, its verdict written to
 * `gates/<gate-id>.json` and into the stage record. Never retried. A blocking FAIL blocks
 * everything downstream; a warning FAIL is recorded and printed only.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { GateResultSchema, type Attempt } from "../../../records/manifest.js";
import type { Stage } from "../../../plan/schema.js";
import { resolveTemplate } from "../../../planner/template.js";
import { runGate } from "../../../gates/run-gate.js";
import type { RunContext, StageOutcome } from "../context.js";
import { firstLine } from "../../../common/errors.js";
import { maskDeep, maskString } from "../process/mask.js";
import { writeFileAtomic } from "../run-dir/run-dir.js";
import { storageError } from "../run-dir/storage.js";
import { gateFingerprint } from "../skip/gate-fingerprint.js";
import { finishStage, stopReason } from "./finish.js";

/**
 * Evaluate gate stage `stage` and say how it ended: "ok" (PASS, or FAIL as a warning),
 * "blocked" (a blocking FAIL) or "failed" (it could not be evaluated).
 *
 * @example
 * ```ts
 * const outcome = await runGateStage(ctx, stage);
 * ```
 */
export async function runGateStage(ctx: RunContext, stage: Stage): Promise<StageOutcome> {
  if (ctx.stop.signal.aborted) {
    finishStage(ctx, stage.id, "cancelled", stopReason(ctx));
    return "cancelled";
  }
  const gate = stage.gate;
  if (gate === null) throw new Error(`gate stage "${stage.id}" has no gate`);
  const cwd = stage.cwd === null ? ctx.root : path.resolve(ctx.root, resolveTemplate(stage.cwd, ctx.values));
  const attempt: Attempt = {
    attempt: 1,
    start: new Date().toISOString(),
    end: null,
    exitCode: null,
    signal: null,
    durationMs: null,
    outcome: "running",
    log: null,
    gpus: [],
    gpuWaitMs: 0,
    retryDelayMs: null,
  };
  ctx.store.change(stage.id, (s) => {
    s.status = "running";
    s.attempts.push(attempt);
  });
  const started = performance.now();
  const done = (outcome: Attempt["outcome"]) =>
    Object.assign(attempt, {
      end: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      outcome,
    });
  const fp = await gateFingerprint(stage, ctx.values, ctx.root, ctx.hasher).catch(() => null);
  let result;
  try {
    const parsed = GateResultSchema.safeParse(await runGate(stage.id, gate, ctx.values, cwd));
    if (!parsed.success) throw new Error("the gate evaluator returned a result that does not match GateResultSchema");
    // A metric may hold a secret's value, and a reason quotes what it compared: mask before it is shown or kept.
    result = maskDeep(parsed.data, ctx.secrets);
  } catch (error) {
    const why = maskString(firstLine(error), ctx.secrets);
    finishStage(ctx, stage.id, "failed", `gate could not be evaluated: ${why}`, () => done("failed"));
    return "failed";
  }
  const extra = gate.record ? path.resolve(cwd, resolveTemplate(gate.record, ctx.values)) : null;
  let file = path.join(ctx.paths.dir, ctx.paths.gateRel(stage.id));
  try {
    // The run's own record, then the one the gate names (for runbooks that read an existing place).
    for (const target of extra ? [file, extra] : [file]) {
      file = target;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify(result, null, 2)}\n`);
    }
  } catch (error) {
    const why = firstLine(storageError(error, file));
    finishStage(ctx, stage.id, "failed", `gate result not recorded: ${why}`, () => done("failed"));
    return "failed";
  }
  const blocks = result.verdict === "FAIL" && gate.severity === "block";
  const reason = result.verdict === "PASS" ? result.reason : `${result.verdict} (${gate.severity}): ${result.reason}`;
  ctx.store.change(
    stage.id,
    (s) => {
      s.gate = result;
      s.fingerprint = fp;
    },
    { type: "gate", at: Date.now(), stage: stage.id, result },
  );
  finishStage(ctx, stage.id, blocks ? "failed" : "success", reason, () => done(blocks ? "failed" : "success"));
  return blocks ? "blocked" : "ok";
}
