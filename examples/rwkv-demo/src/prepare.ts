/**
 * prepare_dataset: JSONL in, quality metrics and binidx of RWKV World token ids out.
 *
 *   tsx examples/rwkv-demo/src/prepare.ts --input train.jsonl --heldout heldout.jsonl --out DATA_DIR
 *     --ctx-len 512 [--rwkv-dir ../RWKV-LM --proj-dir PROJ --n-layer 12 --n-embd 768 --micro-bsz 16
 *      --lr-init 1e-5 --lr-final 1e-5 --epoch-save 1]
 *
 * Writes to DATA_DIR: metrics.json (what the dataset gate reads), train_text_document.bin/.idx
 * (World ids from rwkv_vocab_v20230424, 0 ends each document; uint16 as RWKV's make_data writes),
 * tokenizer.json and the vocabulary file itself, train.json (magic_prime and my_exit_tokens by
 * train.py's rules, the .bin file's sha256), and train_command.txt (the exact train.py command
 * profile=rwkv runs). Bad rows are counted, not fatal: the gate decides. A document whose
 * decode(encode(text)) differs from it, and too little data for train.py, are fatal (exit 3)
 * after metrics.json is written.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeBinidx } from "./binidx.js";
import { sha256File } from "./checksums.js";
import { readDataset } from "./dataset.js";
import { magicPrime } from "./magic-prime.js";
import { datasetMetrics, tokenMetrics } from "./metrics.js";
import { modelFlags, trainCommandText, type TrainSettings } from "./train-command.js";
import { documentIds, encodeTexts, roundTripFailures } from "./tokens/world.js";
import { EXIT, options, runTool, ToolError, type Options } from "./tool.js";

const OPTIONS = [
  "input",
  "heldout",
  "out",
  "ctx-len",
  "rwkv-dir",
  "proj-dir",
  "n-layer",
  "n-embd",
  "micro-bsz",
  "lr-init",
  "lr-final",
  "epoch-save",
];

function json(file: string, data: unknown): void {
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

function settings(o: Options, out: string, magic: number, tokens: number): TrainSettings {
  return {
    ...modelFlags(o),
    projDir: o.optionalString("proj-dir") ?? path.join(out, "..", "proj"),
    dataPrefix: path.join(out, "train_text_document"),
    ctxLen: o.int("ctx-len"),
    magicPrime: magic,
    myExitTokens: tokens,
  };
}

await runTool("prepare", () => {
  const o = options(process.argv.slice(2), OPTIONS);
  const out = o.string("out");
  const ctxLen = o.int("ctx-len");
  if (ctxLen <= 0) throw new ToolError(`--ctx-len is ${ctxLen}; it must be above zero`, EXIT.usage);
  const data = readDataset(o.string("input"));
  const heldoutPath = o.optionalString("heldout");
  const heldout = heldoutPath ? readDataset(heldoutPath) : null;

  const log = (line: string) => process.stdout.write(`prepare: ${line}\n`);
  const rows = data.rows.filter((r) => !r.empty);
  const texts = rows.map((r) => r.text);
  const { tokenizer, encoded } = encodeTexts(texts, log);
  const documents = encoded.map(documentIds);
  const failures = roundTripFailures(texts, encoded);
  const total = documents.reduce((n, d) => n + d.length, 0);
  const magic = magicPrime(total, ctxLen);
  const metrics = datasetMetrics(data, heldout, {
    ...tokenMetrics(texts, documents, ctxLen),
    tokenizer: `${tokenizer.name} (${tokenizer.vocab})`,
    vocab_sha256: tokenizer.vocab_sha256,
    round_trip_failures: failures.length,
    samples: magic.slots,
    magic_prime: magic.ok ? magic.magicPrime : null,
    my_exit_tokens: total,
  });

  mkdirSync(out, { recursive: true });
  writeBinidx(path.join(out, "train_text_document"), documents, "u16");
  json(path.join(out, "metrics.json"), metrics);
  const { vocab_path: vocabPath, python: _python, ...released } = tokenizer;
  json(path.join(out, "tokenizer.json"), { ...released, end_of_document: 0, vocab_size: 65536 });
  copyFileSync(vocabPath, path.join(out, tokenizer.vocab));
  log(
    `${metrics.rows} rows -> ${metrics.documents} documents, ${total} World tokens (${metrics.tokens.chars_per_token} chars/token) in ${out}/train_text_document.bin/.idx`,
  );
  log(
    `unique ${metrics.unique_ratio}, empty ${metrics.empty_share}, top row ${metrics.top_row_share}, category deviation ${metrics.categories.max_deviation}`,
  );
  if (failures.length > 0)
    throw new ToolError(
      `decode(encode(text)) is not the text for ${failures.length} documents (input lines ${failures
        .slice(0, 5)
        .map((i) => rows[i]!.line)
        .join(", ")}${failures.length > 5 ? ", ..." : ""})`,
      EXIT.data,
      "these rows would train on different text than they hold; fix or remove them",
    );
  if (!magic.ok) throw new ToolError(magic.reason, EXIT.data, magic.hint);

  const dataSha256 = sha256File(path.join(out, "train_text_document.bin"));
  json(path.join(out, "train.json"), {
    ctx_len: ctxLen,
    tokens: total,
    samples: magic.slots,
    magic_prime: magic.magicPrime,
    my_exit_tokens: magic.myExitTokens,
    data_sha256: dataSha256,
  });
  writeFileSync(path.join(out, "train_command.txt"), trainCommandText(settings(o, out, magic.magicPrime, total)));
  log(
    `magic_prime ${magic.magicPrime} for ${magic.slots} samples of ctx_len ${ctxLen}; train.py command in ${out}/train_command.txt`,
  );
});
