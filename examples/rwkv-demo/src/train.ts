/**
 * train: one training attempt, resumable.
 *
 *   tsx examples/rwkv-demo/src/train.ts --profile demo|rwkv --data DATA_DIR --proj-dir PROJ
 *     --base-model FILE --ctx-len 512 --n-layer 12 --n-embd 768 --micro-bsz 16 --lr-init 1e-5
 *     --lr-final 1e-5 --epoch-save 1 [--rwkv-dir ../RWKV-LM] [--fail-once true]
 *
 * profile=demo runs the stand-in (an n-gram model over RWKV World ids, not RWKV) on the CPU; profile=rwkv runs
 * RWKV-LM's train.py with the command in DATA_DIR/train_command.txt. Both resume from the highest
 * rwkv-N.pth in PROJ. `--fail-once true` (demo only) kills the process once, after its second
 * saved checkpoint, as the OOM killer would; a marker file per run makes the retry succeed.
 * PROJ/dataset.json records which data PROJ's checkpoints come from; other data is refused.
 *
 * Exit codes: 0 done; 2 bad options; 3 bad data; 4 configuration (assertion, missing checkout or
 * base model): never retried. 75 CUDA out of memory and death by a signal: retried.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { trainRwkv } from "./rwkv-train.js";
import { trainStandIn } from "./stand-in-train.js";
import { modelFlags, type TrainSettings } from "./train-command.js";
import { EXIT, options, runTool, ToolError, type Options } from "./tool.js";

const OPTIONS = [
  "profile",
  "data",
  "proj-dir",
  "base-model",
  "ctx-len",
  "n-layer",
  "n-embd",
  "micro-bsz",
  "lr-init",
  "lr-final",
  "epoch-save",
  "rwkv-dir",
  "fail-once",
];

interface DataFacts {
  ctx_len: number;
  magic_prime: number;
  my_exit_tokens: number;
  data_sha256: string;
}

function readFacts(dataDir: string): DataFacts {
  const file = path.join(dataDir, "train.json");
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DataFacts;
  } catch {
    throw new ToolError(
      `cannot read ${file}`,
      EXIT.data,
      "run prepare_dataset first; it writes train.json with magic_prime",
    );
  }
}

function settings(o: Options, dataDir: string, facts: DataFacts): TrainSettings {
  const ctxLen = o.int("ctx-len");
  if (ctxLen !== facts.ctx_len) {
    throw new ToolError(
      `ctx_len ${ctxLen} differs from the ${facts.ctx_len} the data was prepared for`,
      EXIT.config,
      "rerun prepare_dataset with this ctx_len (magic_prime depends on it)",
    );
  }
  return {
    ...modelFlags(o),
    projDir: o.string("proj-dir"),
    dataPrefix: path.join(dataDir, "train_text_document"),
    ctxLen,
    magicPrime: facts.magic_prime,
    myExitTokens: facts.my_exit_tokens,
  };
}

/**
 * train.py resumes from whatever rwkv-N.pth it finds, even when it was trained on other data.
 * Record which data a project directory belongs to, and refuse to mix.
 */
function claimProjDir(projDir: string, facts: DataFacts): void {
  const file = path.join(projDir, "dataset.json");
  if (existsSync(file)) {
    const claimed = (JSON.parse(readFileSync(file, "utf8")) as { data_sha256?: string }).data_sha256;
    if (claimed === facts.data_sha256) return;
    throw new ToolError(
      `${projDir} holds checkpoints trained on other data (sha256 ${claimed}, now ${facts.data_sha256}); train.py would resume from them`,
      EXIT.config,
      `use another run_name, or delete ${projDir} to start over`,
    );
  }
  mkdirSync(projDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ data_sha256: facts.data_sha256 }, null, 2)}\n`);
}

/** Kill this process once per run, right after a checkpoint, so the retry has something to resume. */
function failOnceHook(projDir: string): (epoch: number, saved: boolean) => void {
  const marker = path.join(projDir, `fail-once.${process.env.UPDRAFT_RUN_ID ?? "manual"}.marker`);
  let savedCount = 0;
  return (epoch, saved) => {
    if (saved) savedCount++;
    if (savedCount < 2 || existsSync(marker)) return;
    writeFileSync(marker, `killed after mini-epoch ${epoch}\n`);
    process.stderr.write(
      `train: fail_once: killing this attempt after rwkv-${epoch}.pth (SIGKILL, as the OOM killer would); the retry resumes from it\n`,
    );
    process.kill(process.pid, "SIGKILL");
  };
}

await runTool("train", async () => {
  const o = options(process.argv.slice(2), OPTIONS);
  const profile = o.string("profile");
  if (profile !== "demo" && profile !== "rwkv")
    throw new ToolError(`--profile is ${JSON.stringify(profile)}; use demo or rwkv`, EXIT.usage);
  const dataDir = o.string("data");
  const facts = readFacts(dataDir);
  const s = settings(o, dataDir, facts);
  claimProjDir(s.projDir, facts);
  const baseModel = o.string("base-model");
  if (profile === "rwkv") {
    const final = await trainRwkv(s, baseModel);
    process.stdout.write(`train: ${final}\n`);
    return;
  }
  process.stdout.write(
    "train: profile demo: stand-in trainer (an n-gram model over RWKV World ids, not RWKV) on the CPU\n",
  );
  if (process.env.CUDA_VISIBLE_DEVICES !== undefined)
    process.stdout.write(`train: leased GPU ${process.env.CUDA_VISIBLE_DEVICES} (the stand-in does not use it)\n`);
  const final = trainStandIn({
    ...s,
    baseModel,
    log: (line) => process.stdout.write(`${line}\n`),
    ...(o.bool("fail-once", false) ? { afterEpoch: failOnceHook(s.projDir) } : {}),
  });
  process.stdout.write(`train: ${final} (stand-in n-gram model as JSON)\n`);
});
