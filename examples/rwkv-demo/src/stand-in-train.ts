/**
 * The demo's stand-in trainer (stand-in: an n-gram model over RWKV World ids, not RWKV). It behaves like
 * train.py where the pipeline can see it: the same assertions, the same sample order
 * (magic_prime), checkpoints named rwkv-N.pth, a train_log.txt in train.py's line format, and
 * resumption from the highest checkpoint, so a retried attempt continues where it stopped.
 */
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { readBinidx } from "./binidx.js";
import {
  checkpointPath,
  loadCheckpoint,
  newRunHeader,
  savedEpochs,
  saveCheckpoint,
  trainLogLine,
  type CheckpointMeta,
} from "./checkpoints.js";
import { isPrime } from "./magic-prime.js";
import { NgramModel } from "./ngram.js";
import { EXIT, ToolError } from "./tool.js";

/** train.py's samples per mini-epoch is 40320; the stand-in uses far fewer so the demo shows several. */
export const STAND_IN_SAMPLES_PER_EPOCH = 64;
/** Context length of the n-gram (ids before the predicted one, plus one). */
export const STAND_IN_ORDER = 3;

/** What one stand-in training attempt needs; the numbers mirror train.py's flags. */
export interface StandInOptions {
  readonly dataPrefix: string;
  readonly projDir: string;
  /** A stand-in model to start from, or "0" for an empty model (train.py's `--load_model "0"`). */
  readonly baseModel: string;
  readonly ctxLen: number;
  readonly magicPrime: number;
  readonly myExitTokens: number;
  readonly microBsz: number;
  readonly epochSave: number;
  readonly nLayer: number;
  readonly nEmbd: number;
  readonly lrInit: number;
  readonly lrFinal: number;
  /** Called after each mini-epoch, once its checkpoint (if any) is on disk. */
  readonly afterEpoch?: (epoch: number, saved: boolean) => void;
  readonly log?: (line: string) => void;
}

/**
 * train.py's own assertions, as configuration errors (never worth a retry).
 *
 * @example
 * ```ts
 * checkTrainerSettings(512, 16, 719, 379052); // passes
 * checkTrainerSettings(500, 16, 719, 379052); // throws ToolError, exit 4
 * ```
 */
export function checkTrainerSettings(ctxLen: number, microBsz: number, magicPrime: number, dataTokens: number): void {
  const fail = (message: string, hint: string) => {
    throw new ToolError(`AssertionError (as in train.py): ${message}`, EXIT.config, hint);
  };
  if (ctxLen <= 0 || ctxLen % 16 !== 0)
    fail(`ctx_len ${ctxLen} is not a positive multiple of 16`, "set ctx_len to 256, 512, 1024, ...");
  if (microBsz <= 0 || 40320 % microBsz !== 0)
    fail(
      `40320 is not divisible by micro_bsz ${microBsz} x 1 device`,
      "use a micro_bsz that divides 40320, such as 8, 12 or 16",
    );
  const slots = Math.floor(dataTokens / ctxLen);
  if (!isPrime(magicPrime) || magicPrime % 3 !== 2 || !(magicPrime / slots > 0.9 && magicPrime / slots <= 1)) {
    fail(
      `magic_prime ${magicPrime} does not fit ${dataTokens} tokens at ctx_len ${ctxLen} (${slots} samples)`,
      "rerun prepare_dataset with the same ctx_len; it computes magic_prime",
    );
  }
}

function loadStart(
  o: StandInOptions,
  log: (line: string) => void,
): { model: NgramModel; epoch: number; samplesDone: number } {
  const saved = savedEpochs(o.projDir);
  if (saved.length === 0) {
    let model = new NgramModel(STAND_IN_ORDER);
    if (o.baseModel !== "0") {
      if (!existsSync(o.baseModel))
        throw new ToolError(
          `base model ${o.baseModel} does not exist`,
          EXIT.config,
          'set base_model to a stand-in model file, or "0" to start from nothing',
        );
      model = loadOrConfigError(o.baseModel).model;
    }
    saveCheckpoint(checkpointPath(o.projDir, -1), model, meta(o, -1, 0));
    log(`stand-in: initial model from ${o.baseModel === "0" ? "nothing" : o.baseModel} saved as rwkv-init.pth`);
    return { model, epoch: -1, samplesDone: 0 };
  }
  // Like train.py: load the highest checkpoint; if it is damaged, fall back to the one before.
  for (const epoch of saved.slice(-2).reverse()) {
    try {
      const { model, meta: m } = loadCheckpoint(checkpointPath(o.projDir, epoch));
      log(
        `stand-in: resuming from ${checkpointPath(o.projDir, epoch)} (mini-epoch ${epoch + 1} is next, as train.py numbers them)`,
      );
      return { model, epoch, samplesDone: m?.samplesDone ?? 0 };
    } catch (error) {
      log(`stand-in: cannot load rwkv-${epoch}.pth (${(error as Error).message}); trying the previous checkpoint`);
    }
  }
  throw new ToolError(
    `no loadable checkpoint in ${o.projDir}`,
    EXIT.config,
    "remove the damaged rwkv-*.pth files and run again",
  );
}

function loadOrConfigError(file: string): ReturnType<typeof loadCheckpoint> {
  try {
    return loadCheckpoint(file);
  } catch (error) {
    throw new ToolError(
      (error as Error).message,
      EXIT.config,
      "profile=demo needs a stand-in base model (examples/rwkv-demo/base/rwkv-base.pth); real weights need profile=rwkv",
    );
  }
}

function meta(o: StandInOptions, epoch: number, samplesDone: number): CheckpointMeta {
  return { epoch, samplesDone, nLayer: o.nLayer, nEmbd: o.nEmbd, ctxLen: o.ctxLen };
}

/** train.py's cosine learning rate at a token count (logged only: counting has no step size). */
function learningRate(o: StandInOptions, tokensDone: number): number {
  const progress = Math.max(0, Math.min(1, tokensDone / o.myExitTokens));
  const f = o.lrFinal / o.lrInit;
  return o.lrInit * (0.5 + f / 2 + (0.5 - f / 2) * Math.cos(Math.PI * progress));
}

function toNumbers(tokens: ReturnType<typeof readBinidx>["tokens"]): ArrayLike<number> {
  return tokens instanceof BigInt64Array ? Array.from(tokens, Number) : tokens;
}

/**
 * One mini-epoch in train.py's sample order: sample i starts at `(k * i^3 mod p) * ctx_len`,
 * k = floor(p * (sqrt(5) - 1) / 2), for i = 1 + epoch * samples_per_epoch, ... up to p.
 */
function learnEpoch(
  model: NgramModel,
  tokens: ArrayLike<number>,
  o: StandInOptions,
  epoch: number,
): { nats: number; count: number; samples: number } {
  const p = BigInt(o.magicPrime);
  const factor = BigInt(Math.floor(o.magicPrime * ((Math.sqrt(5) - 1) / 2)));
  let nats = 0;
  let samples = 0;
  for (let idx = 0; idx < STAND_IN_SAMPLES_PER_EPOCH; idx++) {
    const ii = BigInt(1 + epoch * STAND_IN_SAMPLES_PER_EPOCH + idx);
    if (ii > p) break;
    const at = Number((factor * ii * ii * ii) % p) * o.ctxLen;
    nats += model.learn(tokens, at + 1, at + o.ctxLen + 1, at);
    samples++;
  }
  return { nats, count: samples * o.ctxLen, samples };
}

/**
 * Train (or finish training) into `projDir`; returns the path of `rwkv-final.pth`.
 *
 * @example
 * ```ts
 * trainStandIn({ dataPrefix: "out/data/train_text_document", projDir: "out/proj", baseModel: "0", ... });
 * ```
 */
export function trainStandIn(o: StandInOptions): string {
  const log = o.log ?? (() => {});
  const data = readBinidx(o.dataPrefix);
  const tokens = toNumbers(data.tokens);
  checkTrainerSettings(o.ctxLen, o.microBsz, o.magicPrime, tokens.length);
  mkdirSync(o.projDir, { recursive: true });
  const start = loadStart(o, log);
  const { model } = start;
  let samplesDone = start.samplesDone;
  const epochs = Math.ceil(o.magicPrime / STAND_IN_SAMPLES_PER_EPOCH);
  const begin = start.epoch + 1;
  appendFileSync(
    `${o.projDir}/train_log.txt`,
    newRunHeader({
      proj_dir: o.projDir,
      data_file: o.dataPrefix,
      ctx_len: o.ctxLen,
      magic_prime: o.magicPrime,
      my_exit_tokens: o.myExitTokens,
      epoch_begin: begin,
      epoch_save: o.epochSave,
      stand_in: "n-gram over World ids, not RWKV",
    }),
  );
  for (let epoch = begin; epoch < epochs; epoch++) {
    const { nats, count, samples } = learnEpoch(model, tokens, o, epoch);
    samplesDone += samples;
    const launchEpoch = epoch - begin;
    const saved = launchEpoch % o.epochSave === 0 || epoch === epochs - 1;
    if (saved) saveCheckpoint(checkpointPath(o.projDir, epoch), model, meta(o, epoch, samplesDone));
    const loss = count ? nats / count : 0;
    appendFileSync(
      `${o.projDir}/train_log.txt`,
      trainLogLine(epoch, loss, learningRate(o, samplesDone * o.ctxLen), launchEpoch),
    );
    log(
      `stand-in: mini-epoch ${epoch} of 0..${epochs - 1}: loss ${loss.toFixed(4)}${saved ? `, saved rwkv-${epoch}.pth` : ""}`,
    );
    o.afterEpoch?.(epoch, saved);
  }
  const final = `${o.projDir}/rwkv-final.pth`;
  saveCheckpoint(final, model, meta(o, epochs - 1, samplesDone));
  return final;
}
