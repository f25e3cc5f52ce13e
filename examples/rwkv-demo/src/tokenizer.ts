/**
 * Byte-level tokenisation to RWKV World ids: id = byte + 1, and 0 is the end of a document.
 *
 * The World vocabulary keeps ids 1..256 for the single bytes 0x00..0xFF, so these ids are valid
 * for a real RWKV World model and decode exactly; they are only longer (about 3.5x on BSL code)
 * than the greedy longest-match ids of the real tokenizer.
 */

/** The id that ends every document. */
export const END_OF_DOCUMENT = 0;

/** Ids run from 0 (end of document) to 256 (byte 0xFF). */
export const BYTE_VOCAB_SIZE = 257;

/** The vocabulary size train.py is given for RWKV World models. */
export const WORLD_VOCAB_SIZE = 65536;

/** The tokenizer description released with the model (its "vocabulary"). */
export const TOKENIZER = Object.freeze({
  kind: "byte-level RWKV World ids",
  rule: "id = UTF-8 byte + 1; id 0 = end of document",
  vocab_size: WORLD_VOCAB_SIZE,
  normalisation: "UTF-8 byte order mark removed; CRLF and CR turned into LF",
  layout: "User: <instruction>\\n\\nAssistant: <output>",
});

/**
 * Text as the 1C platform writes it, made canonical: the UTF-8 byte order mark removed, CRLF and
 * lone CR turned into LF.
 *
 * @example
 * ```ts
 * normalizeText("\uFEFFПроцедура А()\r\nКонецПроцедуры"); // "Процедура А()\nКонецПроцедуры"
 * ```
 */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

/**
 * The ids of one document: its UTF-8 bytes plus one each, then the end-of-document id 0.
 *
 * @example
 * ```ts
 * encodeDocument("Да"); // Uint16Array [209, 149, 209, 177, 0]
 * ```
 */
export function encodeDocument(text: string): Uint16Array {
  const bytes = Buffer.from(text, "utf8");
  const ids = new Uint16Array(bytes.length + 1);
  for (let i = 0; i < bytes.length; i++) ids[i] = bytes[i]! + 1;
  ids[bytes.length] = END_OF_DOCUMENT;
  return ids;
}

/**
 * Text from ids; an end-of-document id ends a document and is shown as `separator`.
 * Throws a RangeError for an id outside 0..256 (not a byte-level id).
 *
 * @example
 * ```ts
 * decodeIds([209, 149, 209, 177, 0]); // "Да"
 * ```
 */
export function decodeIds(ids: ArrayLike<number>, separator = ""): string {
  const parts: string[] = [];
  let bytes: number[] = [];
  const flush = () => {
    parts.push(Buffer.from(bytes).toString("utf8"));
    bytes = [];
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= BYTE_VOCAB_SIZE)
      throw new RangeError(`id ${id} at position ${i} is not a byte-level World id (0..256)`);
    if (id === END_OF_DOCUMENT) {
      flush();
      parts.push(separator);
    } else bytes.push(id - 1);
  }
  if (bytes.length > 0) flush();
  return parts.join("");
}
