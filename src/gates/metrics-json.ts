/**
 * Reading a metrics file exactly as Python's `json.loads` reads it. Evaluation scripts are usually
 * Python, and `json.dump` writes the bare tokens `NaN`, `Infinity` and `-Infinity`; rejecting those
 * files would report "invalid JSON" where the truth is "the loss is NaN". So both evaluators accept
 * the three tokens (and nothing else beyond strict JSON), and every rule on a non-finite value fails.
 */
import { randomUUID } from "node:crypto";

/** A parsed metrics file, or why there is none: a clause such as "is not valid JSON". */
export type MetricsInput = { readonly value: unknown } | { readonly error: string };

const TOKENS = /"(?:[^"\\]|\\[\s\S])*"|-?Infinity|NaN/g;

/**
 * Parse JSON text, also accepting the `NaN`, `Infinity` and `-Infinity` tokens that Python writes.
 * Throws a SyntaxError on anything else that is not strict JSON, as `JSON.parse` does.
 *
 * @example
 * ```ts
 * parsePythonJson('{"loss": NaN}'); // { loss: NaN }
 * ```
 */
export function parsePythonJson(text: string): unknown {
  // Each bare token outside a string becomes a string literal carrying an unguessable marker,
  // which the reviver turns back into its number. A marker used as an object key is an error,
  // as Python's parser rejects `{NaN: 1}`.
  const marker = `\u0000updraft-${randomUUID()}:`;
  const special: Record<string, number> = { NaN, Infinity, "-Infinity": -Infinity };
  const replaced = text.replace(TOKENS, (token, offset: number) =>
    token.startsWith('"') || !valueMayStartAt(text, offset) ? token : JSON.stringify(marker + token),
  );
  return JSON.parse(replaced, (key, value: unknown) => {
    if (key.startsWith(marker)) throw new SyntaxError("a bare NaN or Infinity cannot be an object key");
    if (typeof value === "string" && value.startsWith(marker)) return special[value.slice(marker.length)];
    return value;
  });
}

/**
 * Whether JSON allows a value to start at `offset`: at the beginning, or after "[", "," or ":".
 * A bare token anywhere else (after a stray backslash, say) is left alone, so the parse fails as
 * Python's does, instead of the inserted marker completing a broken string.
 */
function valueMayStartAt(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && " \t\n\r".includes(text[i]!)) i--;
  return i < 0 || "[,:".includes(text[i]!);
}

/**
 * A metrics file's bytes as the evaluators read them: strict UTF-8 (a byte-order mark is kept,
 * so it makes the JSON invalid, as in Python), then `parsePythonJson`.
 *
 * @example
 * ```ts
 * parseMetricsBytes(Buffer.from('{"rows": 3}')); // { value: { rows: 3 } }
 * parseMetricsBytes(Buffer.from("")); // { error: "is empty" }
 * ```
 */
export function parseMetricsBytes(bytes: Uint8Array): MetricsInput {
  if (bytes.length === 0) return { error: "is empty" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { error: "is not valid UTF-8" };
  }
  try {
    return { value: parsePythonJson(text) };
  } catch {
    return { error: "is not valid JSON" };
  }
}
