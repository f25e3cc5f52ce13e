import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  BinidxError,
  decodeBinidx,
  encodeBinidx,
  readBinidx,
  writeBinidx,
} from "../../../examples/rwkv-demo/src/binidx.js";
import { tempDir } from "./helpers.js";

// Two documents, "A" -> [66, 0] and "Да" -> [209, 149, 209, 177, 0], as uint16 (dtype code 8).
const EXPECTED_IDX = [
  "4d4d49444944580000", // magic "MMIDIDX\0\0"
  "0100000000000000", // version 1
  "08", // dtype u16
  "0200000000000000", // N = 2 documents
  "0300000000000000", // M = N + 1
  "02000000" + "05000000", // sizes, in tokens, with the end-of-document id
  "0000000000000000" + "0400000000000000", // byte offsets into .bin
  "0000000000000000" + "0100000000000000" + "0200000000000000", // doc_idx 0..N
].join("");
const EXPECTED_BIN = "4200" + "0000" + "d100" + "9500" + "d100" + "b100" + "0000";

describe("binidx (MMIDIDX version 1)", () => {
  it("GIVEN two known documents WHEN written THEN .idx and .bin are byte for byte as the format says", () => {
    const dir = tempDir();
    const tokens = writeBinidx(path.join(dir, "d"), [Uint16Array.of(66, 0), Uint16Array.of(209, 149, 209, 177, 0)]);
    expect(tokens).toBe(7);
    expect(readFileSync(path.join(dir, "d.idx")).toString("hex")).toBe(EXPECTED_IDX);
    expect(readFileSync(path.join(dir, "d.bin")).toString("hex")).toBe(EXPECTED_BIN);
    expect(readFileSync(path.join(dir, "d.idx")).length).toBe(34 + 12 * 2 + 8 * 3);
  });

  it("GIVEN the known bytes WHEN read THEN sizes, byte offsets and tokens come back", () => {
    const data = decodeBinidx(Buffer.from(EXPECTED_IDX, "hex"), Buffer.from(EXPECTED_BIN, "hex"));
    expect(data.dtype).toBe("u16");
    expect(data.sizes).toEqual([2, 5]);
    expect(data.pointers).toEqual([0, 4]);
    expect([...data.tokens]).toEqual([66, 0, 209, 149, 209, 177, 0]);
  });

  it("GIVEN any documents and either dtype train.py reads WHEN written and read back THEN nothing changes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 256 }), { maxLength: 30 }), { maxLength: 20 }),
        fc.constantFrom("u16" as const, "i32" as const),
        (docs, dtype) => {
          const { idx, bin } = encodeBinidx(docs, dtype);
          const data = decodeBinidx(idx, bin);
          expect(data.dtype).toBe(dtype);
          expect(data.sizes).toEqual(docs.map((d) => d.length));
          expect([...data.tokens]).toEqual(docs.flat());
        },
      ),
    );
  });

  it("GIVEN json2binidx's int32 layout WHEN written THEN the dtype code is 4 and offsets count 4 bytes per token", () => {
    const { idx } = encodeBinidx(
      [
        [1, 2, 0],
        [3, 0],
      ],
      "i32",
    );
    expect(idx.readUInt8(17)).toBe(4);
    expect(Number(idx.readBigInt64LE(34 + 4 * 2 + 8))).toBe(12);
  });

  it("GIVEN damaged files WHEN read THEN a BinidxError names what is wrong", () => {
    const idx = Buffer.from(EXPECTED_IDX, "hex");
    const bin = Buffer.from(EXPECTED_BIN, "hex");
    const badMagic = Buffer.from(idx);
    badMagic[0] = 0;
    expect(() => decodeBinidx(badMagic, bin)).toThrow("does not start with MMIDIDX");
    const badVersion = Buffer.from(idx);
    badVersion[9] = 2;
    expect(() => decodeBinidx(badVersion, bin)).toThrow("version 2");
    expect(() => decodeBinidx(idx.subarray(0, 60), bin)).toThrow(BinidxError);
    expect(() => decodeBinidx(idx, bin.subarray(2))).toThrow("the .bin file has 12");
    expect(() => readBinidx(path.join(tempDir(), "missing"))).toThrow("cannot read binidx");
  });
});
