/**
 * Writes the demo's JSONL files, the same bytes on every machine (seeded generators):
 *
 *   tsx examples/rwkv-demo/src/make-corpus.ts [--out examples/rwkv-demo/data]
 *
 * train.jsonl (400 rows in the team's category shares), heldout.jsonl (60 rows, no overlap),
 * bad.jsonl (duplicates, empty rows, imbalance, a secret, English prompts), general-train.jsonl
 * (templated Russian prose for the stand-in base model) and general-heldout.jsonl (hand-written
 * prose for the retention eval).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CATEGORIES, TARGET_SHARES, type Category, type InstructionRecord, type TextRecord } from "./categories.js";
import { CODE_GENERATION } from "./corpus/code-generation.js";
import { generalRecord } from "./corpus/general.js";
import { PROSE } from "./corpus/prose.js";
import { QUERIES } from "./corpus/queries.js";
import { seeded, type Rng } from "./corpus/random.js";
import { REFACTORING } from "./corpus/refactoring.js";
import { REVIEW } from "./corpus/review.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

const TEMPLATES: Record<Category, readonly ((rng: Rng) => InstructionRecord)[]> = {
  code_generation: CODE_GENERATION,
  refactoring: REFACTORING,
  queries_1c: QUERIES,
  explanation_review: REVIEW,
};

/** `count` records with distinct prompts from `make`, or a clear error when the templates run dry. */
function distinct<T extends InstructionRecord | TextRecord>(count: number, make: () => T, what: string): T[] {
  const seen = new Map<string, T>();
  for (let tries = 0; seen.size < count; tries++) {
    if (tries > count * 200)
      throw new ToolError(
        `the ${what} templates give only ${seen.size} distinct records; ${count} are needed`,
        EXIT.data,
      );
    const record = make();
    // Keyed by prompt: two records with one instruction would leak between train and held-out.
    seen.set("text" in record ? record.text : record.instruction, record);
  }
  return [...seen.values()];
}

/** Train and held-out rows in the target shares, drawn from one pool so they never overlap. */
function instructionSplits(
  rng: Rng,
  train: number,
  heldout: number,
): { train: InstructionRecord[]; heldout: InstructionRecord[] } {
  const out = { train: [] as InstructionRecord[], heldout: [] as InstructionRecord[] };
  for (const category of CATEGORIES) {
    const nTrain = Math.round(train * TARGET_SHARES[category]);
    const nHeld = Math.round(heldout * TARGET_SHARES[category]);
    const pool = distinct(nTrain + nHeld, () => rng.pick(TEMPLATES[category])(rng), category);
    out.train.push(...pool.slice(0, nTrain));
    out.heldout.push(...pool.slice(nTrain));
  }
  return { train: rng.shuffle(out.train), heldout: rng.shuffle(out.heldout) };
}

/** A dataset with the defects the quality gate must catch; returned as raw JSONL text. */
function badJsonl(rng: Rng): string {
  const take = (category: Category, n: number) => distinct(n, () => rng.pick(TEMPLATES[category])(rng), category);
  const rows: string[] = [
    ...take("code_generation", 150),
    ...take("refactoring", 12),
    ...take("queries_1c", 6),
    ...take("explanation_review", 6),
  ].map((r) => JSON.stringify(r));
  const duplicated = rows[0]!;
  for (let i = 0; i < 35; i++) rows.push(duplicated);
  for (let i = 0; i < 10; i++) rows.push("");
  for (let i = 0; i < 6; i++)
    rows.push(
      JSON.stringify({ category: "code_generation", instruction: `Напиши функцию номер ${i + 1}.`, output: "   " }),
    );
  rows.push(
    JSON.stringify({
      category: "code_generation",
      instruction: "Напиши подключение к FTP-серверу обмена.",
      output:
        '```bsl\nСоединение = Новый FTPСоединение("ftp.example.ru", 21, "exchange", "Пароль123!");\n```\npassword: Пароль123!',
    }),
  );
  for (const ask of [
    "Write a function that returns the stock balance.",
    "Refactor this loop, please.",
    "Explain what this query does.",
  ]) {
    rows.push(JSON.stringify({ category: "code_generation", instruction: ask, output: "```bsl\nВозврат 0;\n```" }));
  }
  // The 1C platform writes a byte order mark and CRLF line ends: the tools must normalise both.
  return "\uFEFF" + rng.shuffle(rows).join("\r\n") + "\r\n";
}

function jsonl(records: readonly (InstructionRecord | TextRecord)[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

await runTool("make-corpus", () => {
  const o = options(process.argv.slice(2), ["out"]);
  const out = o.optionalString("out") ?? path.join(import.meta.dirname, "..", "data");
  mkdirSync(out, { recursive: true });
  const { train, heldout } = instructionSplits(seeded(1), 400, 60);
  const generalRng = seeded(2);
  const general = distinct(300, () => generalRecord(generalRng), "general");
  const files: Record<string, string> = {
    "train.jsonl": jsonl(train),
    "heldout.jsonl": jsonl(heldout),
    "bad.jsonl": badJsonl(seeded(3)),
    "general-train.jsonl": jsonl(general),
    "general-heldout.jsonl": jsonl(PROSE.map((text) => ({ category: "general", text }))),
  };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(out, name), text);
    process.stdout.write(
      `make-corpus: ${path.join(out, name)} (${text.split("\n").filter(Boolean).length} rows, ${Buffer.byteLength(text)} bytes)\n`,
    );
  }
});
