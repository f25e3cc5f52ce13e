/**
 * Reading the team's JSONL: one record a line, either an instruction record
 * `{ "category", "instruction", "output" }` or a plain `{ "text" }` (json2binidx's format).
 * Nothing here fails on bad rows: they are counted, and the quality gate decides.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { normalizeText } from "./tokens/world.js";
import { EXIT, ToolError } from "./tool.js";

/** One usable row. */
export interface Row {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly category: string | null;
  /** The instruction, or the text itself for plain records. */
  readonly prompt: string;
  /** What the model is trained on. */
  readonly text: string;
  /** Whitespace-only instruction, output or text. */
  readonly empty: boolean;
}

/** A JSONL file as rows, with what was wrong or normalised on the way. */
export interface Dataset {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly rows: readonly Row[];
  readonly blankLines: number;
  readonly invalidJson: readonly { line: number; reason: string }[];
  readonly invalidUtf8Lines: readonly number[];
  readonly bomStripped: boolean;
  readonly crlfLines: number;
}

/**
 * The text a record is trained on, in RWKV's chat layout.
 *
 * @example
 * ```ts
 * renderRecord("Объясни код.", "Это функция."); // "User: Объясни код.\n\nAssistant: Это функция."
 * ```
 */
export function renderRecord(instruction: string, output: string): string {
  return `User: ${instruction}\n\nAssistant: ${output}`;
}

function parseRecord(line: number, text: string): Row | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "not a JSON object";
  const r = data as Record<string, unknown>;
  const category = typeof r.category === "string" ? r.category : null;
  if (typeof r.instruction === "string" && typeof r.output === "string") {
    const instruction = normalizeText(r.instruction);
    const output = normalizeText(r.output);
    const empty = instruction.trim() === "" || output.trim() === "";
    return { line, category, prompt: instruction, text: renderRecord(instruction, output), empty };
  }
  if (typeof r.text === "string") {
    const body = normalizeText(r.text);
    return { line, category, prompt: body, text: body, empty: body.trim() === "" };
  }
  return 'has neither "instruction" and "output" strings nor a "text" string';
}

/**
 * Read a JSONL file. Throws a ToolError (data) only when the file cannot be read at all.
 *
 * @example
 * ```ts
 * const data = readDataset("examples/rwkv-demo/data/train.jsonl");
 * console.log(data.rows.length, data.blankLines);
 * ```
 */
export function readDataset(file: string): Dataset {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError(
      `cannot read the dataset ${file}: ${code === "ENOENT" ? "no such file" : (code ?? (error as Error).message)}`,
      EXIT.data,
      "check the input path parameter",
    );
  }
  const bomStripped = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  const body = bomStripped ? raw.subarray(3) : raw;
  const strict = new TextDecoder("utf-8", { fatal: true });
  const rows: Row[] = [];
  const invalidJson: { line: number; reason: string }[] = [];
  const invalidUtf8Lines: number[] = [];
  let blankLines = 0;
  let crlfLines = 0;
  let start = 0;
  for (let line = 1; start < body.length; line++) {
    const nl = body.indexOf(0x0a, start);
    const end = nl === -1 ? body.length : nl;
    let bytes = body.subarray(start, end);
    start = end + 1;
    if (bytes.at(-1) === 0x0d) {
      crlfLines++;
      bytes = bytes.subarray(0, -1);
    }
    let text: string;
    try {
      text = strict.decode(bytes);
    } catch {
      invalidUtf8Lines.push(line);
      continue;
    }
    if (text.trim() === "") {
      blankLines++;
      continue;
    }
    const parsed = parseRecord(line, text);
    if (typeof parsed === "string") invalidJson.push({ line, reason: parsed });
    else rows.push(parsed);
  }
  const sha256 = createHash("sha256").update(raw).digest("hex");
  return {
    path: file,
    sha256,
    bytes: raw.length,
    rows,
    blankLines,
    invalidJson,
    invalidUtf8Lines,
    bomStripped,
    crlfLines,
  };
}
