/**
 * release: a self-contained release directory with checksums, a model card and lineage.
 *
 *   tsx examples/rwkv-demo/src/release.ts --profile demo --run-name NAME --model PROJ/rwkv-final.pth
 *     --base-model BASE --data DATA_DIR --summary EVAL_DIR/summary.json --out RELEASE_DIR
 *
 * RELEASE_DIR gets rwkv-NAME.pth, tokenizer.json, rwkv_vocab_v20230424.txt, dataset/train_text_document.bin/.idx (hard links
 * where possible), dataset-metrics.json, eval-summary.json, model-card.md, release-manifest.json
 * (dataset version -> run id -> artefact hashes) and SHA256SUMS, which `sha256sum -c` verifies
 * from inside RELEASE_DIR. The run id comes from UPDRAFT_RUN_ID, set by the executor.
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sha256File, sumsFile } from "./checksums.js";
import { modelCard, type CardFacts } from "./model-card.js";
import { DatasetMetricsSchema, EvalSummarySchema } from "./schemas.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

/** The vocabulary the dataset was tokenised with, as prepare_dataset copied it beside the binidx. */
const VOCAB = "rwkv_vocab_v20230424.txt";

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ToolError(
      `cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.data,
    );
  }
}

/** Place a file in the release: a hard link (free for multi-GB weights), else a copy. */
function place(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Put every released file into `out`; returns their paths relative to it. */
function gather(out: string, data: string, model: string, summary: string, modelFile: string): string[] {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, "dataset"), { recursive: true });
  place(model, path.join(out, modelFile));
  place(path.join(data, "train_text_document.bin"), path.join(out, "dataset", "train_text_document.bin"));
  place(path.join(data, "train_text_document.idx"), path.join(out, "dataset", "train_text_document.idx"));
  copyFileSync(path.join(data, "tokenizer.json"), path.join(out, "tokenizer.json"));
  copyFileSync(path.join(data, VOCAB), path.join(out, VOCAB));
  copyFileSync(path.join(data, "metrics.json"), path.join(out, "dataset-metrics.json"));
  copyFileSync(summary, path.join(out, "eval-summary.json"));
  return [
    modelFile,
    "tokenizer.json",
    VOCAB,
    "dataset/train_text_document.bin",
    "dataset/train_text_document.idx",
    "dataset-metrics.json",
    "eval-summary.json",
  ];
}

/** The release manifest: dataset version -> run id -> artefact hashes. */
function releaseManifest(
  f: CardFacts,
  runName: string,
  checkpoint: string,
  out: string,
  artefacts: readonly string[],
): object {
  return {
    release: f.name,
    created: new Date().toISOString(),
    profile: f.profile,
    stand_in: f.profile === "demo" ? "an n-gram model over RWKV World ids, not RWKV; its .pth file holds JSON" : null,
    lineage: {
      dataset: {
        version: f.metrics.input.sha256,
        input: f.metrics.input.path,
        rows: f.metrics.rows,
        documents: f.metrics.documents,
        tokens: f.metrics.tokens.total,
        tokenizer: { name: f.metrics.tokens.tokenizer, vocab: VOCAB, vocab_sha256: f.metrics.tokens.vocab_sha256 },
      },
      run: { id: f.runId, pipeline: "rwkv", run_name: runName },
      training: { checkpoint, base_model: f.baseModel, ctx_len: f.train.ctx_len, magic_prime: f.train.magic_prime },
      evaluation: {
        heldout_loss: f.summary.heldout.loss,
        perplexity: f.summary.heldout.perplexity,
        domain: f.summary.domain_eval.verdict,
        retention: f.summary.retention_eval.verdict,
      },
      artefacts: artefacts.map((a) => ({
        path: a,
        sha256: sha256File(path.join(out, a)),
        bytes: statSync(path.join(out, a)).size,
      })),
    },
  };
}

await runTool("release", () => {
  const o = options(process.argv.slice(2), ["profile", "run-name", "model", "base-model", "data", "summary", "out"]);
  const [out, data, runName] = [o.string("out"), o.string("data"), o.string("run-name")];
  const metrics = DatasetMetricsSchema.parse(readJson(path.join(data, "metrics.json"), "dataset metrics"));
  const summary = EvalSummarySchema.parse(readJson(o.string("summary"), "evaluation summary"));
  const train = readJson(path.join(data, "train.json"), "training facts") as CardFacts["train"];
  const modelFile = `rwkv-${runName}.pth`;
  const artefacts = gather(out, data, o.string("model"), o.string("summary"), modelFile);
  const modelSha256 = sha256File(path.join(out, modelFile));
  const facts: CardFacts = {
    name: `rwkv-${runName}`,
    profile: o.string("profile"),
    runId: process.env.UPDRAFT_RUN_ID ?? null,
    baseModel: o.string("base-model"),
    metrics,
    summary,
    train,
    modelFile,
    modelSha256,
  };
  writeFileSync(path.join(out, "model-card.md"), modelCard(facts));
  artefacts.push("model-card.md");
  writeFileSync(
    path.join(out, "release-manifest.json"),
    `${JSON.stringify(releaseManifest(facts, runName, o.string("model"), out, artefacts), null, 2)}\n`,
  );
  writeFileSync(path.join(out, "SHA256SUMS"), sumsFile(out, [...artefacts, "release-manifest.json"]));
  process.stdout.write(
    `release: ${out}: ${modelFile} sha256 ${modelSha256.slice(0, 16)}..., dataset ${metrics.input.sha256.slice(0, 16)}... -> run ${facts.runId ?? "(no run id)"}\n`,
  );
});
