/**
 * check_setup: fail in a second, with a plain sentence, on what would otherwise fail hours later.
 *
 *   tsx examples/rwkv-demo/src/check-setup.ts --profile demo|rwkv --input train.jsonl
 *     --base-model FILE --ctx-len 512 --micro-bsz 16 [--rwkv-dir ../RWKV-LM]
 *
 * Checks train.py's own assertions on ctx_len and micro_bsz, that the input exists, and the base
 * model; for profile=rwkv also the RWKV-LM checkout and python. Then makes (once) or finds the
 * Python venv the RWKV World tokenizer runs in, for both profiles. Exit 3 (data) or 4
 * (configuration, also when Python 3.10+ is missing): neither is worth a retry.
 */
import { existsSync } from "node:fs";
import { loadCheckpoint } from "./checkpoints.js";
import { rwkvSetupProblems } from "./rwkv-train.js";
import { tokenizerPython } from "./tokens/python-env.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

await runTool("check-setup", () => {
  const o = options(process.argv.slice(2), ["profile", "input", "base-model", "ctx-len", "micro-bsz", "rwkv-dir"]);
  const profile = o.string("profile");
  if (profile !== "demo" && profile !== "rwkv")
    throw new ToolError(`--profile is ${JSON.stringify(profile)}; use demo or rwkv`, EXIT.usage);
  const ctxLen = o.int("ctx-len");
  const microBsz = o.int("micro-bsz");
  const baseModel = o.string("base-model");
  const problems: string[] = [];
  if (ctxLen <= 0 || ctxLen % 16 !== 0)
    problems.push(`ctx_len ${ctxLen} is not a positive multiple of 16 (train.py asserts it)`);
  if (microBsz <= 0 || 40320 % microBsz !== 0)
    problems.push(`micro_bsz ${microBsz} does not divide 40320 (train.py asserts 40320 % (micro_bsz x devices) == 0)`);
  if (profile === "rwkv") {
    problems.push(...rwkvSetupProblems(o.optionalString("rwkv-dir") ?? "../RWKV-LM", baseModel));
  } else if (baseModel !== "0") {
    try {
      loadCheckpoint(baseModel);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        code === "ENOENT"
          ? `base model ${baseModel} does not exist`
          : `${(error as Error).message}; profile=demo needs a stand-in base model such as examples/rwkv-demo/base/rwkv-base.pth`,
      );
    }
  }
  if (problems.length > 0)
    throw new ToolError(problems.join("; "), EXIT.config, "fix the parameters or the setup; a retry cannot help");
  const input = o.string("input");
  if (!existsSync(input))
    throw new ToolError(
      `the input dataset ${input} does not exist`,
      EXIT.data,
      "set the input parameter to your JSONL file",
    );
  const python = tokenizerPython((line) => process.stdout.write(`check-setup: ${line}\n`));
  process.stdout.write(`check-setup: RWKV World tokenizer environment: ${python}\n`);
  process.stdout.write(
    profile === "demo"
      ? "check-setup: ok (profile demo: the stand-in trainer, an n-gram model over RWKV World ids, not RWKV, runs on the CPU)\n"
      : "check-setup: ok (profile rwkv: RWKV-LM checkout, python and base model found)\n",
  );
  if (profile === "rwkv")
    process.stdout.write(
      "check-setup: note: eval_artefacts for profile rwkv is not part of this example; the run stops there after training\n",
    );
});
