/**
 * The real RWKV-v7 training command (RWKV-LM, RWKV-v7/train_temp/train.py), built in one place:
 * the prepare step writes it next to the data, and the train step runs exactly it for
 * `profile=rwkv`.
 */
import path from "node:path";
import { WORLD_VOCAB_SIZE } from "./tokens/world.js";
import type { Options } from "./tool.js";

/** What one training run needs. Paths may be relative to the current directory. */
export interface TrainSettings {
  readonly rwkvDir: string;
  readonly projDir: string;
  /** `<data dir>/train_text_document` (train.py adds .bin / .idx). */
  readonly dataPrefix: string;
  readonly ctxLen: number;
  readonly nLayer: number;
  readonly nEmbd: number;
  readonly microBsz: number;
  readonly lrInit: number;
  readonly lrFinal: number;
  readonly epochSave: number;
  readonly magicPrime: number;
  readonly myExitTokens: number;
}

/**
 * The model and optimiser flags that the prepare and train tools both take, with train.py's defaults.
 *
 * @example
 * ```ts
 * const settings = { ...modelFlags(o), projDir, dataPrefix, ctxLen, magicPrime, myExitTokens };
 * ```
 */
export function modelFlags(
  o: Options,
): Pick<TrainSettings, "rwkvDir" | "nLayer" | "nEmbd" | "microBsz" | "lrInit" | "lrFinal" | "epochSave"> {
  return {
    rwkvDir: o.optionalString("rwkv-dir") ?? "../RWKV-LM",
    nLayer: o.int("n-layer", 12),
    nEmbd: o.int("n-embd", 768),
    microBsz: o.int("micro-bsz", 16),
    lrInit: o.number("lr-init", 1e-5),
    lrFinal: o.number("lr-final", 1e-5),
    epochSave: o.int("epoch-save", 1),
  };
}

/**
 * The directory train.py runs in (it imports `src.*` relative to it).
 *
 * @example
 * ```ts
 * trainDir("../RWKV-LM"); // "<abs>/RWKV-LM/RWKV-v7/train_temp"
 * ```
 */
export function trainDir(rwkvDir: string): string {
  return path.resolve(rwkvDir, "RWKV-v7", "train_temp");
}

/**
 * train.py's argv. train_stage 3 makes train.py resume from the highest `rwkv-N.pth` in proj_dir,
 * or start from `rwkv-init.pth` there (the base model, copied in before the first attempt).
 *
 * @example
 * ```ts
 * trainArgv(settings); // ["python", "train.py", "--load_model", "/abs/proj/rwkv-init.pth", ...]
 * ```
 */
export function trainArgv(s: TrainSettings): string[] {
  const proj = path.resolve(s.projDir);
  const flags: Record<string, string | number> = {
    load_model: path.join(proj, "rwkv-init.pth"),
    proj_dir: proj,
    my_testing: "x070",
    ctx_len: s.ctxLen,
    train_stage: 3,
    epoch_count: 999999,
    epoch_begin: 0,
    data_file: path.resolve(s.dataPrefix),
    data_type: "binidx",
    vocab_size: WORLD_VOCAB_SIZE,
    my_exit_tokens: s.myExitTokens,
    magic_prime: s.magicPrime,
    micro_bsz: s.microBsz,
    n_layer: s.nLayer,
    n_embd: s.nEmbd,
    lr_init: s.lrInit,
    lr_final: s.lrFinal,
    warmup_steps: 10,
    beta1: 0.9,
    beta2: 0.99,
    adam_eps: 1e-18,
    weight_decay: 0.001,
    epoch_save: s.epochSave,
    head_size: 64,
    accelerator: "gpu",
    devices: 1,
    precision: "bf16",
    strategy: "deepspeed_stage_2",
    grad_cp: 1,
  };
  return ["python", "train.py", ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)])];
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_\-+=/.,:@%]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command as a person would paste it into bash, with the steps around it.
 *
 * @example
 * ```ts
 * writeFileSync("out/data/train_command.txt", trainCommandText(settings));
 * ```
 */
export function trainCommandText(s: TrainSettings): string {
  const argv = trainArgv(s);
  return [
    "# profile=rwkv runs this (RWKV-LM RWKV-v7/train_temp); RWKV World ids (rwkv_vocab_v20230424), vocab_size 65536.",
    "# Before the first attempt the base model is copied to <proj_dir>/rwkv-init.pth; train.py then",
    "# resumes from the highest rwkv-N.pth there, so a retried attempt continues instead of restarting.",
    `cd ${quote(trainDir(s.rwkvDir))}`,
    argv.map(quote).join(" ").replace(/ (--)/g, " \\\n  $1"),
    "",
  ].join("\n");
}
