/**
 * eval_artefacts: the model-dependent part of evaluation (the part that needs the GPU for real).
 *
 *   tsx examples/rwkv-demo/src/eval-artefacts.ts --profile demo --model PROJ/rwkv-final.pth
 *     --base-model BASE --heldout heldout.jsonl --general general-heldout.jsonl --out EVAL_DIR
 *
 * Writes EVAL_DIR/losses.json (per-document cross-entropy of the fine-tuned and the base model on
 * the held-out 1C split and on general text) and EVAL_DIR/samples.md (completions of a few
 * held-out prompts). profile=demo scores the stand-in n-gram models; profile=rwkv is not
 * available in this example and fails with exit 4.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readDataset, renderRecord } from "./dataset.js";
import { sha256File } from "./checksums.js";
import { complete, loadModel, scoreRows, type LossReport } from "./eval-losses.js";
import { decodeTexts, encodeTexts } from "./tokens/world.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

await runTool("eval-artefacts", () => {
  const o = options(process.argv.slice(2), ["profile", "model", "base-model", "heldout", "general", "out"]);
  if (o.string("profile") === "rwkv") {
    throw new ToolError(
      "evaluation of real RWKV checkpoints is not available in this example",
      EXIT.config,
      "run your RWKV evaluation script here and write losses.json in the format eval-artefacts.ts documents",
    );
  }
  const modelPath = o.string("model");
  const basePath = o.string("base-model");
  const model = loadModel(modelPath, "model");
  const base = loadModel(basePath, "base model");
  const heldoutFile = o.string("heldout");
  const heldout = readDataset(heldoutFile).rows.filter((r) => !r.empty);
  const general = readDataset(o.string("general")).rows.filter((r) => !r.empty);
  const prompts = heldout.slice(0, 3);
  // No trailing space: World ids join a space to the word after it, as in the training text.
  const texts = prompts.map((r) => renderRecord(r.prompt, "").trimEnd());
  // One tokenizer process for everything: starting Python and loading the vocabulary is the slow part.
  const { encoded } = encodeTexts([...heldout, ...general].map((r) => r.text).concat(texts));
  const report: LossReport = {
    model: { path: modelPath, sha256: sha256File(modelPath), kind: "stand-in n-gram over RWKV World ids (not RWKV)" },
    baseModel: { path: basePath, sha256: sha256File(basePath) },
    heldout: scoreRows(heldout, encoded.slice(0, heldout.length), model, base),
    general: scoreRows(general, encoded.slice(heldout.length, heldout.length + general.length), model, base),
  };
  const out = o.string("out");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "losses.json"), `${JSON.stringify(report, null, 2)}\n`);
  const promptIds = encoded.slice(heldout.length + general.length);
  const continuations = decodeTexts(promptIds.map((e, i) => complete(model, e.ids, i + 1)));
  const samples = prompts.map(
    (r, i) =>
      `## Held-out prompt ${i + 1} (line ${r.line}, ${r.category})\n\n${"```"}text\n${texts[i]}${continuations[i]}\n${"```"}\n`,
  );
  writeFileSync(
    path.join(out, "samples.md"),
    `# Samples from ${modelPath}\n\nStand-in: an n-gram model over RWKV World ids, not RWKV; expect plausible fragments, not answers.\n\n${samples.join("\n")}`,
  );
  process.stdout.write(
    `eval-artefacts: scored ${report.heldout.length} held-out and ${report.general.length} general documents -> ${out}/losses.json, ${out}/samples.md\n`,
  );
});
