/**
 * The binidx ("MMIDIDX") format that RWKV's trainer reads: `<prefix>.bin` holds the tokens end to
 * end, `<prefix>.idx` says where each document starts. All numbers little-endian.
 *
 * `.idx`: magic "MMIDIDX\0\0" (9 bytes), u64 version 1, u8 dtype code, u64 N documents,
 * u64 N + 1, i32[N] sizes (tokens per document), i64[N] byte offsets into `.bin`,
 * i64[N + 1] document index 0..N.
 */
import { readFileSync, writeFileSync } from "node:fs";

const MAGIC = Buffer.from("MMIDIDX\0\0", "latin1");
const HEADER_BYTES = 34;

/** Token types binidx can hold, by their dtype code. RWKV's make_data writes u16, json2binidx i32. */
export const DTYPES = Object.freeze({
  u8: { code: 1, bytes: 1 },
  i8: { code: 2, bytes: 1 },
  i16: { code: 3, bytes: 2 },
  i32: { code: 4, bytes: 4 },
  i64: { code: 5, bytes: 8 },
  u16: { code: 8, bytes: 2 },
});
/** A binidx token type name: "u16", "i32", ... */
export type Dtype = keyof typeof DTYPES;

/** A binidx file pair that could not be read, with the reason. */
export class BinidxError extends Error {
  override name = "BinidxError";
}

/** A binidx dataset in memory. */
export interface Binidx {
  readonly dtype: Dtype;
  /** Tokens per document, each including its trailing end-of-document id. */
  readonly sizes: readonly number[];
  /** Byte offset of each document in `.bin`. */
  readonly pointers: readonly number[];
  /** Every token, end to end (what train.py calls the data). */
  readonly tokens: Uint16Array | Int32Array | Uint8Array | Int8Array | Int16Array | BigInt64Array;
}

/**
 * The `.idx` and `.bin` bytes of a set of documents.
 *
 * @example
 * ```ts
 * const { idx, bin } = encodeBinidx([Uint16Array.of(105, 0)]); // one document: "h" then the end
 * ```
 */
export function encodeBinidx(
  documents: readonly ArrayLike<number>[],
  dtype: Dtype = "u16",
): { idx: Buffer; bin: Buffer } {
  const { code, bytes } = DTYPES[dtype];
  const n = documents.length;
  const idx = Buffer.alloc(HEADER_BYTES + 4 * n + 8 * n + 8 * (n + 1));
  MAGIC.copy(idx, 0);
  idx.writeBigUInt64LE(1n, 9);
  idx.writeUInt8(code, 17);
  idx.writeBigUInt64LE(BigInt(n), 18);
  idx.writeBigUInt64LE(BigInt(n + 1), 26);
  let offset = 0;
  documents.forEach((doc, i) => {
    idx.writeInt32LE(doc.length, HEADER_BYTES + 4 * i);
    idx.writeBigInt64LE(BigInt(offset), HEADER_BYTES + 4 * n + 8 * i);
    offset += doc.length * bytes;
  });
  for (let i = 0; i <= n; i++) idx.writeBigInt64LE(BigInt(i), HEADER_BYTES + 12 * n + 8 * i);
  const bin = Buffer.alloc(offset);
  let at = 0;
  for (const doc of documents) {
    for (let j = 0; j < doc.length; j++, at += bytes) writeToken(bin, at, doc[j]!, dtype);
  }
  return { idx, bin };
}

function writeToken(buf: Buffer, at: number, value: number, dtype: Dtype): void {
  switch (dtype) {
    case "u8":
      return void buf.writeUInt8(value, at);
    case "i8":
      return void buf.writeInt8(value, at);
    case "i16":
      return void buf.writeInt16LE(value, at);
    case "u16":
      return void buf.writeUInt16LE(value, at);
    case "i32":
      return void buf.writeInt32LE(value, at);
    case "i64":
      return void buf.writeBigInt64LE(BigInt(value), at);
  }
}

/**
 * Write `<prefix>.idx` and `<prefix>.bin`; returns the number of tokens written.
 *
 * @example
 * ```ts
 * writeBinidx("out/data/train_text_document", docs); // train.py --data_file out/data/train_text_document
 * ```
 */
export function writeBinidx(prefix: string, documents: readonly ArrayLike<number>[], dtype: Dtype = "u16"): number {
  const { idx, bin } = encodeBinidx(documents, dtype);
  writeFileSync(`${prefix}.bin`, bin);
  writeFileSync(`${prefix}.idx`, idx);
  return bin.length / DTYPES[dtype].bytes;
}

function tokenView(bin: Buffer, dtype: Dtype): Binidx["tokens"] {
  const copy = new Uint8Array(bin).buffer;
  const n = bin.length / DTYPES[dtype].bytes;
  switch (dtype) {
    case "u8":
      return new Uint8Array(copy, 0, n);
    case "i8":
      return new Int8Array(copy, 0, n);
    case "i16":
      return new Int16Array(copy, 0, n);
    case "u16":
      return new Uint16Array(copy, 0, n);
    case "i32":
      return new Int32Array(copy, 0, n);
    case "i64":
      return new BigInt64Array(copy, 0, n);
  }
}

/**
 * Read and check a binidx pair from its bytes. Throws a BinidxError naming the first
 * inconsistency (bad magic, version, dtype, sizes or offsets that do not match `.bin`).
 *
 * @example
 * ```ts
 * const data = decodeBinidx(readFileSync("d.idx"), readFileSync("d.bin"));
 * ```
 */
export function decodeBinidx(idx: Buffer, bin: Buffer): Binidx {
  if (idx.length < HEADER_BYTES || !idx.subarray(0, 9).equals(MAGIC))
    throw new BinidxError("the .idx file does not start with MMIDIDX: not a binidx index");
  const version = idx.readBigUInt64LE(9);
  if (version !== 1n) throw new BinidxError(`the .idx file has version ${version}; only version 1 is known`);
  const code = idx.readUInt8(17);
  const dtype = (Object.keys(DTYPES) as Dtype[]).find((d) => DTYPES[d].code === code);
  if (!dtype) throw new BinidxError(`the .idx file names dtype code ${code}, which is not a binidx dtype`);
  const n = Number(idx.readBigUInt64LE(18));
  const m = Number(idx.readBigUInt64LE(26));
  if (m !== n + 1)
    throw new BinidxError(`the .idx file says ${n} documents but a document index of ${m} entries (expected ${n + 1})`);
  const expected = HEADER_BYTES + 4 * n + 8 * n + 8 * m;
  if (idx.length !== expected)
    throw new BinidxError(`the .idx file is ${idx.length} bytes; ${n} documents need ${expected}`);
  const itemBytes = DTYPES[dtype].bytes;
  const sizes: number[] = [];
  const pointers: number[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const size = idx.readInt32LE(HEADER_BYTES + 4 * i);
    const pointer = Number(idx.readBigInt64LE(HEADER_BYTES + 4 * n + 8 * i));
    if (size < 0 || pointer !== offset)
      throw new BinidxError(`document ${i} has size ${size} at byte ${pointer}; expected it at byte ${offset}`);
    sizes.push(size);
    pointers.push(pointer);
    offset += size * itemBytes;
  }
  if (offset !== bin.length)
    throw new BinidxError(`the .idx file accounts for ${offset} bytes of tokens but the .bin file has ${bin.length}`);
  return { dtype, sizes, pointers, tokens: tokenView(bin, dtype) };
}

/**
 * Read `<prefix>.idx` and `<prefix>.bin`.
 *
 * @example
 * ```ts
 * const { tokens, sizes } = readBinidx("out/data/train_text_document");
 * ```
 */
export function readBinidx(prefix: string): Binidx {
  let idx: Buffer;
  let bin: Buffer;
  try {
    idx = readFileSync(`${prefix}.idx`);
    bin = readFileSync(`${prefix}.bin`);
  } catch (error) {
    throw new BinidxError(
      `cannot read binidx ${prefix}.idx/.bin: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return decodeBinidx(idx, bin);
}
