import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readBinidx } from "../../../examples/rwkv-demo/src/binidx.js";
import { readDataset, renderRecord } from "../../../examples/rwkv-demo/src/dataset.js";
import { tokenizerPython } from "../../../examples/rwkv-demo/src/tokens/python-env.js";
import { magicPrime } from "../../../examples/rwkv-demo/src/magic-prime.js";
import { DatasetMetricsSchema, type DatasetMetrics } from "../../../examples/rwkv-demo/src/schemas.js";
import { decodeTexts, END_OF_DOCUMENT } from "../../../examples/rwkv-demo/src/tokens/world.js";
import { DATA, hasStack, prepare, ROOT, tempDir, tool, VOCAB_SHA256, type ToolResult } from "./helpers.js";

const metricsOf = (dir: string): DatasetMetrics =>
  DatasetMetricsSchema.parse(JSON.parse(readFileSync(path.join(dir, "data/metrics.json"), "utf8")));

describe("prepare_dataset on the shipped corpus", () => {
  const dir = tempDir();
  let run: ToolResult;
  beforeAll(async () => {
    run = await prepare(dir);
  }, 600_000); // the tools start Python and tsx: slow on a busy shared machine

  it("GIVEN train.jsonl WHEN prepared THEN its metrics meet the team's thresholds", () => {
    expect(run.code).toBe(0);
    const m = metricsOf(dir);
    expect(m).toMatchObject({
      rows: 400,
      documents: 400,
      empty_rows: 0,
      unique_ratio: 1,
      invalid_json_rows: 0,
      valid_utf8: true,
      secret_rows: 0,
      leakage_rows: 0,
      russian_prompt_share: 1,
    });
    expect(m.categories.max_deviation).toBeLessThanOrEqual(0.05);
    expect(m.categories.code_generation).toMatchObject({ rows: 140, share: 0.35, target: 0.35 });
    expect(m.input.sha256).toBe(
      createHash("sha256")
        .update(readFileSync(path.join(DATA, "train.jsonl")))
        .digest("hex"),
    );
  });

  it("GIVEN the binidx written WHEN read back THEN document i decodes to record i in RWKV's chat layout, each ending with id 0", () => {
    const data = readBinidx(path.join(dir, "data/train_text_document"));
    const records = readFileSync(path.join(DATA, "train.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { instruction: string; output: string });
    expect(data.sizes).toHaveLength(400);
    expect(data.dtype).toBe("u16");
    const documents = data.sizes.map(
      (size, i) => [...data.tokens.slice(data.pointers[i]! / 2, data.pointers[i]! / 2 + size)] as number[],
    );
    expect(documents.every((d) => d.at(-1) === END_OF_DOCUMENT && d.indexOf(END_OF_DOCUMENT) === d.length - 1)).toBe(
      true,
    );
    expect(decodeTexts(documents.map((d) => d.slice(0, -1)))).toEqual(
      records.map((r) => renderRecord(r.instruction, r.output)),
    );
  });

  it("GIVEN World ids WHEN counted THEN the metrics follow them: about 2.2 characters a token, not byte-level's 0.6", () => {
    const m = metricsOf(dir);
    const data = readBinidx(path.join(dir, "data/train_text_document"));
    expect(m.tokens).toMatchObject({
      tokenizer: "RWKV World (rwkv_vocab_v20230424.txt)",
      vocab_sha256: VOCAB_SHA256,
      total: data.tokens.length,
      max_document_tokens: Math.max(...data.sizes),
      documents_over_ctx_len: data.sizes.filter((s) => s > 512).length,
      round_trip_failures: 0,
    });
    expect(m.tokens.chars_per_token).toBeCloseTo(m.tokens.chars / (m.tokens.total - 400), 5);
    expect(m.tokens.chars_per_token).toBeGreaterThan(2);
    // The same text as byte-level ids (id = byte + 1, then 0) is about 3.9x longer.
    const records = readFileSync(path.join(DATA, "train.jsonl"), "utf8").trim().split("\n");
    const bytes = records
      .map((l) => JSON.parse(l) as { instruction: string; output: string })
      .reduce((n, r) => n + Buffer.byteLength(renderRecord(r.instruction, r.output)) + 1, 0);
    expect(bytes / m.tokens.total).toBeGreaterThan(3.5);
    expect(readFileSync(path.join(dir, "data/rwkv_vocab_v20230424.txt")).length).toBe(1159262);
  });

  it("GIVEN the token count WHEN train.json is written THEN magic_prime follows train.py's rule and train_command.txt uses it", () => {
    const facts = JSON.parse(readFileSync(path.join(dir, "data/train.json"), "utf8")) as {
      tokens: number;
      magic_prime: number;
      my_exit_tokens: number;
    };
    const data = readBinidx(path.join(dir, "data/train_text_document"));
    expect(facts.tokens).toBe(data.tokens.length);
    expect(facts).toMatchObject({
      magic_prime: (magicPrime(facts.tokens, 512) as { magicPrime: number }).magicPrime,
      my_exit_tokens: facts.tokens,
    });
    const command = readFileSync(path.join(dir, "data/train_command.txt"), "utf8");
    expect(command).toContain("python train.py");
    expect(command).toContain(`--magic_prime ${facts.magic_prime}`);
    expect(command).toContain(`--my_exit_tokens ${facts.tokens}`);
    expect(command).toContain(`--data_file ${path.join(dir, "data/train_text_document")}`);
    expect(command).toMatch(/--train_stage 3 .*\n.*--data_type binidx/s);
  });
});

describe("prepare_dataset on defective data", () => {
  it("GIVEN bad.jsonl WHEN prepared THEN the metrics show its duplicates, empty rows, imbalance and secret, and the BOM and CRLF were normalised", async () => {
    const dir = tempDir();
    const r = await prepare(dir, path.join(DATA, "bad.jsonl"));
    expect(r.code).toBe(0);
    const m = metricsOf(dir);
    expect(m.rows).toBe(229);
    expect(m.empty_rows).toBe(16);
    expect(m.duplicate_rows).toBe(35);
    expect(m.top_row_share).toBeCloseTo(36 / 229, 5);
    expect(m.unique_ratio).toBeLessThan(0.9);
    expect(m.categories.code_generation.share).toBeGreaterThan(0.7);
    expect(m.categories.max_deviation).toBeGreaterThan(0.3);
    expect(m.secret_rows).toBe(1);
    expect(m.russian_prompt_share).toBeLessThan(1);
    expect(m.normalised).toEqual({ bom_stripped: true, crlf_rows: 229 });
  });

  it("GIVEN broken JSON, invalid UTF-8 and a blank line WHEN prepared THEN each is counted, not fatal", async () => {
    const dir = tempDir();
    const good = readFileSync(path.join(DATA, "train.jsonl"));
    const input = path.join(dir, "broken.jsonl");
    writeFileSync(
      input,
      Buffer.concat([
        good,
        Buffer.from('{"category": "refactoring", "instruction": \n\n[1, 2]\n'),
        Buffer.from([0xff, 0xfe, 0x0a]),
      ]),
    );
    const r = await prepare(dir, input);
    expect(r.code).toBe(0);
    expect(metricsOf(dir)).toMatchObject({
      rows: 404,
      documents: 400,
      invalid_json_rows: 2,
      invalid_utf8_rows: 1,
      valid_utf8: false,
      empty_rows: 1,
    });
  });

  it("GIVEN too little data for ctx_len WHEN prepared THEN it fails with exit 3 and the reason, after writing the metrics", async () => {
    const dir = tempDir();
    const input = path.join(dir, "tiny.jsonl");
    writeFileSync(input, readFileSync(path.join(DATA, "train.jsonl"), "utf8").split("\n").slice(0, 3).join("\n"));
    const r = await prepare(dir, input);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /prepare: error: too little data for training: \d+ tokens make \d+ samples of ctx_len 512/,
    );
    expect(r.stderr).toContain("prepare: hint: give at least about 6144 tokens (12 x ctx_len), or lower ctx_len");
    expect(hasStack(r.stderr)).toBe(false);
    expect(metricsOf(dir).tokens.magic_prime).toBeNull();
  });

  it("GIVEN a tokenizer whose decode loses a character WHEN prepared THEN it fails with exit 3 naming the rows, not silently as make_data", async () => {
    const dir = tempDir();
    const wrapper = path.join(dir, "lossy-python");
    const fixture = path.join(ROOT, "test/examples/rwkv-demo/fixtures/lossy_tokens.py");
    writeFileSync(wrapper, `#!/bin/sh\nexec '${tokenizerPython()}' '${fixture}' "$@"\n`, { mode: 0o755 });
    const input = path.join(DATA, "train.jsonl");
    const r = await tool("prepare", ["--input", input, "--out", path.join(dir, "data"), "--ctx-len", "512"], {
      UPDRAFT_TOKENIZER_PYTHON: wrapper,
    });
    const long = readDataset(input).rows.filter((row) => row.text.length > 500);
    expect(long.length).toBeGreaterThan(0);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `prepare: error: decode(encode(text)) is not the text for ${long.length} documents (input lines ${long
        .slice(0, 5)
        .map((row) => row.line)
        .join(", ")}, ...)`,
    );
    expect(hasStack(r.stderr)).toBe(false);
    expect(metricsOf(dir).tokens.round_trip_failures).toBe(long.length);
  });

  it("GIVEN a missing input, or ctx_len 0, WHEN prepared THEN a plain message and a non-retryable exit code", async () => {
    const dir = tempDir();
    const missing = await prepare(dir, path.join(dir, "nope.jsonl"));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`cannot read the dataset ${path.join(dir, "nope.jsonl")}: no such file`);
    const flags = await prepare(dir, path.join(DATA, "train.jsonl"), 0);
    expect(flags.code).toBe(2);
    expect(hasStack(missing.stderr + flags.stderr)).toBe(false);
  });
});
