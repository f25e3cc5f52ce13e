/**
 * profile=rwkv: run RWKV-LM's real train.py and turn how it ended into an exit code the
 * pipeline's retry policy understands.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { savedEpochs } from "./checkpoints.js";
import { trainArgv, trainDir, type TrainSettings } from "./train-command.js";
import { EXIT, ToolError } from "./tool.js";

/**
 * Problems that stop profile=rwkv before any work: the checkout, python, the base model.
 * Returns plain sentences; empty when everything is in place.
 *
 * @example
 * ```ts
 * rwkvSetupProblems("../RWKV-LM", "/models/rwkv7-g1.pth"); // [] when ready
 * ```
 */
export function rwkvSetupProblems(rwkvDir: string, baseModel: string): string[] {
  const problems: string[] = [];
  const script = path.join(trainDir(rwkvDir), "train.py");
  if (!existsSync(script))
    problems.push(
      `no RWKV-LM checkout at ${path.resolve(rwkvDir)} (expected ${script}); clone https://github.com/BlinkDL/RWKV-LM there or set rwkv_dir`,
    );
  const python = spawnSync("python", ["--version"], { encoding: "utf8" });
  if (python.error || python.status !== 0)
    problems.push("python is not on PATH; activate the environment that has torch, deepspeed and pytorch_lightning");
  if (baseModel !== "0" && !existsSync(baseModel))
    problems.push(`base model ${baseModel} does not exist; set base_model to the .pth to fine-tune`);
  return problems;
}

/**
 * Which exit code a finished train.py run deserves, from its exit and the end of its stderr;
 * null when it succeeded.
 *
 * @example
 * ```ts
 * classifyTrainFailure(1, null, "AssertionError"); // { exitCode: 4, reason: "train.py failed an assertion ..." }
 * ```
 */
export function classifyTrainFailure(
  code: number | null,
  signal: string | null,
  stderrTail: string,
): { exitCode: number; reason: string } | null {
  if (signal)
    return {
      exitCode: 128 + (signal === "SIGKILL" ? 9 : 15),
      reason: `train.py was killed by ${signal} (out of memory or stopped); the retry resumes from the last checkpoint`,
    };
  if (code === 0) return null;
  if (/CUDA out of memory|OutOfMemoryError/.test(stderrTail))
    return { exitCode: EXIT.transient, reason: "CUDA out of memory; worth a retry once the GPU is free" };
  if (/AssertionError/.test(stderrTail))
    return {
      exitCode: EXIT.config,
      reason: "train.py failed an assertion (ctx_len, batch size or magic_prime); see the log above",
    };
  if (/size mismatch|FileNotFoundError|No such file or directory|ModuleNotFoundError/.test(stderrTail)) {
    return {
      exitCode: EXIT.config,
      reason: "train.py stopped on a setup error (wrong model size, a missing file or package); see the log above",
    };
  }
  return { exitCode: code ?? 1, reason: `train.py exited with code ${code}` };
}

/**
 * Run train.py for one attempt; resolves to the final checkpoint's path or throws a ToolError
 * whose exit code says whether a retry can help.
 *
 * @example
 * ```ts
 * await trainRwkv(settings, "/models/rwkv7-g1.pth");
 * ```
 */
export async function trainRwkv(s: TrainSettings, baseModel: string): Promise<string> {
  const problems = rwkvSetupProblems(s.rwkvDir, baseModel);
  if (problems.length > 0) throw new ToolError(problems.join("; "), EXIT.config, "fix the setup; retrying cannot help");
  mkdirSync(s.projDir, { recursive: true });
  if (savedEpochs(s.projDir).length === 0) {
    if (baseModel === "0")
      throw new ToolError(
        'base_model is "0": training from scratch needs a train_stage 1 run first',
        EXIT.config,
        "set base_model to the .pth to fine-tune",
      );
    copyFileSync(baseModel, path.join(s.projDir, "rwkv-init.pth"));
  }
  const [python, ...args] = trainArgv(s);
  const child = spawn(python!, args, { cwd: trainDir(s.rwkvDir), stdio: ["ignore", "inherit", "pipe"] });
  let tail = "";
  child.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-65536);
  });
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on("close", (c, sig) => resolve([c, sig])),
  );
  const failure = classifyTrainFailure(code, signal, tail);
  if (failure) throw new ToolError(failure.reason, failure.exitCode);
  const final = path.join(s.projDir, "rwkv-final.pth");
  if (!existsSync(final)) throw new ToolError(`train.py finished but wrote no ${final}`, 1);
  return final;
}
