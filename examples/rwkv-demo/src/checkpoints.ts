/**
 * Checkpoints and the training log, named and laid out as RWKV's train.py does it:
 * `rwkv-init.pth`, `rwkv-N.pth` per saved mini-epoch, `rwkv-final.pth`, and an append-only
 * `train_log.txt`. The stand-in's `.pth` files hold its n-gram model as JSON, not torch weights.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { NgramModel, type NgramState } from "./ngram.js";

/** Training facts stored beside the model in a stand-in checkpoint. */
export interface CheckpointMeta {
  /** The mini-epoch this checkpoint ends (-1 for rwkv-init.pth). */
  readonly epoch: number;
  readonly samplesDone: number;
  /** Recorded for lineage; an n-gram has no layers, so the stand-in does not use them. */
  readonly nLayer: number;
  readonly nEmbd: number;
  readonly ctxLen: number;
}

/**
 * The mini-epoch numbers of `rwkv-N.pth` files in a project directory, by train.py's rule
 * (`rwkv-init.pth` counts as -1, `rwkv-final.pth` is ignored), in ascending order.
 *
 * @example
 * ```ts
 * savedEpochs("out/proj"); // [-1, 0, 1, 2]
 * ```
 */
export function savedEpochs(projDir: string): number[] {
  if (!existsSync(projDir)) return [];
  const found: number[] = [];
  for (const name of readdirSync(projDir)) {
    const m = /^rwkv-(init|\d+)\.pth$/.exec(name);
    if (m) found.push(m[1] === "init" ? -1 : Number(m[1]));
  }
  return found.sort((a, b) => a - b);
}

/**
 * The file name of a mini-epoch's checkpoint (-1 is the initial model).
 *
 * @example
 * ```ts
 * checkpointName(-1); // "rwkv-init.pth"
 * checkpointName(7);  // "rwkv-7.pth"
 * ```
 */
export function checkpointName(epoch: number): string {
  return epoch < 0 ? "rwkv-init.pth" : `rwkv-${epoch}.pth`;
}

/**
 * Write a stand-in checkpoint atomically (a killed process never leaves half a file).
 *
 * @example
 * ```ts
 * saveCheckpoint("out/proj/rwkv-3.pth", model, { epoch: 3, samplesDone: 128, nLayer: 12, nEmbd: 768, ctxLen: 512 });
 * ```
 */
export function saveCheckpoint(file: string, model: NgramModel, meta: CheckpointMeta): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ ...model.toState(), training: meta }));
  renameSync(tmp, file);
}

/**
 * A checkpoint that is not a stand-in model (real torch weights, a broken file).
 *
 * @example
 * ```ts
 * if (error instanceof NotStandInError) throw new ToolError(error.message, EXIT.config);
 * ```
 */
export class NotStandInError extends Error {
  override name = "NotStandInError";
}

/**
 * Read a stand-in checkpoint. Throws NotStandInError for anything else, such as real RWKV
 * weights (a torch zip file), which only profile=rwkv can train.
 *
 * @example
 * ```ts
 * const { model, meta } = loadCheckpoint("out/proj/rwkv-final.pth");
 * ```
 */
export function loadCheckpoint(file: string): { model: NgramModel; meta: CheckpointMeta | null } {
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 2).toString("latin1") === "PK") {
    throw new NotStandInError(
      `${file} is a torch checkpoint (real RWKV weights); the demo's stand-in trainer reads only its own JSON models`,
    );
  }
  try {
    const data = JSON.parse(bytes.toString("utf8")) as NgramState & { training?: CheckpointMeta };
    return { model: NgramModel.fromState(data), meta: data.training ?? null };
  } catch (error) {
    throw new NotStandInError(`${file} is not a stand-in model: ${(error as Error).message}`);
  }
}

/**
 * Python's str(datetime.now()) in local time, as train.py's log lines show it.
 *
 * @example
 * ```ts
 * pythonNow(new Date(2025, 0, 31, 12, 34, 56, 789)); // "2025-01-31 12:34:56.789000"
 * ```
 */
export function pythonNow(date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds() * 1000, 6)}`;
}

/**
 * One `train_log.txt` line, as train.py writes it at the end of a mini-epoch:
 * `<epoch> <loss:.6f> <exp(loss):.4f> <lr:.8f> <datetime> <epoch within this launch>`.
 *
 * @example
 * ```ts
 * trainLogLine(3, 1.25, 1e-5, 0, new Date()); // "3 1.250000 3.4903 0.00001000 2025-... 0"
 * ```
 */
export function trainLogLine(epoch: number, loss: number, lr: number, launchEpoch: number, date = new Date()): string {
  return `${epoch} ${loss.toFixed(6)} ${Math.exp(loss).toFixed(4)} ${lr.toFixed(8)} ${pythonNow(date)} ${launchEpoch}\n`;
}

/**
 * The header train.py appends when a launch starts: `NEW RUN <timestamp>` and its arguments.
 *
 * @example
 * ```ts
 * newRunHeader({ ctx_len: 512 }); // "NEW RUN 2025-01-31-12-34-56\n{'ctx_len': 512}\n"
 * ```
 */
export function newRunHeader(args: Readonly<Record<string, string | number | boolean>>, date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}-${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
  const repr = (v: string | number | boolean) =>
    typeof v === "string" ? `'${v}'` : typeof v === "boolean" ? (v ? "True" : "False") : String(v);
  return `NEW RUN ${stamp}\n{${Object.entries(args)
    .map(([k, v]) => `'${k}': ${repr(v)}`)
    .join(", ")}}\n`;
}

/**
 * Path of a checkpoint in a project directory.
 *
 * @example
 * ```ts
 * checkpointPath("out/proj", 3); // "out/proj/rwkv-3.pth"
 * ```
 */
export function checkpointPath(projDir: string, epoch: number): string {
  return path.join(projDir, checkpointName(epoch));
}
