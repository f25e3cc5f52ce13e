/**
 * RWKV World token ids, from the reference vocabulary (rwkv_vocab_v20230424.txt of the `rwkv`
 * package) encoded by pyrwkv-tokenizer: greedy longest match over UTF-8 bytes, as RWKV-LM's
 * make_data and json2binidx produce them. Python does the encoding (`python/world_tokens.py`, in
 * the venv `python-env.ts` makes); this module normalises text, talks to it and checks what it
 * returns. Id 0 ends every document and is appended here, as make_data does.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { EXIT, ToolError } from "../tool.js";
import { PYTHON_DIR, tokenizerPython } from "./python-env.js";

/** The id that ends every document. */
export const END_OF_DOCUMENT = 0;

/** The vocabulary size train.py is given for RWKV World models (the file has ids 0..65529). */
export const WORLD_VOCAB_SIZE = 65536;

/** What `world_tokens.py info` reports: the tokenizer released with a model. */
export interface TokenizerInfo {
  readonly name: string;
  readonly vocab: string;
  /** Where the venv's rwkv package keeps the vocabulary file. */
  readonly vocab_path: string;
  readonly vocab_sha256: string;
  readonly vocab_entries: number;
  readonly encoder: string;
  readonly reference: string;
  readonly python: string;
}

/** One encoded text: its ids (without the end-of-document id) and decode(ids), null if not UTF-8. */
export interface Encoded {
  readonly ids: readonly number[];
  readonly decoded: string | null;
}

/**
 * Text as the 1C platform writes it, made canonical: the UTF-8 byte order mark removed, CRLF and
 * lone CR turned into LF, lone UTF-16 surrogates (possible through JSON `\ud800` escapes, not
 * encodable as UTF-8) replaced by U+FFFD.
 *
 * @example
 * ```ts
 * normalizeText("\uFEFFПроцедура А()\r\nКонецПроцедуры"); // "Процедура А()\nКонецПроцедуры"
 * ```
 */
export function normalizeText(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function world(command: string, lines: readonly unknown[], log?: (line: string) => void, header = false): string[] {
  const python = tokenizerPython(log);
  const input = lines.map((l) => `${JSON.stringify(l)}\n`).join("");
  const r = spawnSync(python, [path.join(PYTHON_DIR, "world_tokens.py"), command], {
    input,
    encoding: "utf8",
    maxBuffer: 2 ** 31,
  });
  if (r.status !== 0) {
    throw new ToolError(
      `the tokenizer (python/world_tokens.py ${command}) failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`,
      r.status === EXIT.data ? EXIT.data : EXIT.config,
    );
  }
  const out = r.stdout.split("\n").filter((l) => l !== "");
  if (out.length !== lines.length + (header ? 1 : 0))
    throw new ToolError(
      `the tokenizer answered ${out.length} lines for ${lines.length} inputs; its output cannot be trusted`,
      EXIT.config,
    );
  return out;
}

/**
 * Encode texts (one Python process for all of them); each id is checked to be a World id. Also
 * returns the tokenizer's identity: vocabulary file, its sha256, the packages that encode it.
 *
 * @example
 * ```ts
 * encodeTexts(["Процедура"]).encoded; // [{ ids: [27858, 2808, 28108, 27910], decoded: "Процедура" }]
 * ```
 */
export function encodeTexts(
  texts: readonly string[],
  log?: (line: string) => void,
): { tokenizer: TokenizerInfo; encoded: Encoded[] } {
  const lines = world("encode", texts, log, true);
  const tokenizer = JSON.parse(lines.shift()!) as TokenizerInfo;
  const encoded = lines.map((line, i) => {
    const e = JSON.parse(line) as Encoded;
    const bad = e.ids.find((id) => !Number.isInteger(id) || id <= END_OF_DOCUMENT || id >= WORLD_VOCAB_SIZE);
    if (bad !== undefined)
      throw new ToolError(`the tokenizer returned id ${bad} for text ${i + 1}, not a World id (1..65535)`, EXIT.config);
    return e;
  });
  return { tokenizer, encoded };
}

/**
 * Text from ids (without end-of-document ids); bytes that are not UTF-8 become U+FFFD.
 *
 * @example
 * ```ts
 * decodeTexts([[27858, 2808, 28108, 27910]]); // ["Процедура"]
 * ```
 */
export function decodeTexts(ids: readonly (readonly number[])[], log?: (line: string) => void): string[] {
  return world("decode", ids, log).map((line) => JSON.parse(line) as string);
}

/**
 * Which texts do not come back from decode(encode(text)), as 0-based positions. RWKV's make_data
 * prints ERROR on such a document and still exits 0; the demo checks the decoded text itself.
 *
 * @example
 * ```ts
 * roundTripFailures(["Да"], [{ ids: [42], decoded: "Нет" }]); // [0]
 * ```
 */
export function roundTripFailures(texts: readonly string[], encoded: readonly Encoded[]): number[] {
  return texts.flatMap((text, i) => (encoded[i]?.decoded === text ? [] : [i]));
}

/**
 * A document's ids as the binidx holds them: the text's ids, then the end-of-document id 0.
 *
 * @example
 * ```ts
 * documentIds({ ids: [27858, 2808], decoded: "Процед" }); // Uint16Array [27858, 2808, 0]
 * ```
 */
export function documentIds(encoded: Encoded): Uint16Array {
  return Uint16Array.from([...encoded.ids, END_OF_DOCUMENT]);
}
