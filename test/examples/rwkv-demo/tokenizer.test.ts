import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeIds,
  encodeDocument,
  END_OF_DOCUMENT,
  normalizeText,
} from "../../../examples/rwkv-demo/src/tokenizer.js";

describe("byte-level RWKV World ids (id = byte + 1, 0 = end of document)", () => {
  it("GIVEN Cyrillic BSL text WHEN encoded THEN every id is its UTF-8 byte plus one, and 0 ends it", () => {
    const ids = encodeDocument("Если А");
    const bytes = [...Buffer.from("Если А", "utf8")];
    expect([...ids]).toEqual([...bytes.map((b) => b + 1), END_OF_DOCUMENT]);
    expect([...encodeDocument("Да")]).toEqual([209, 149, 209, 177, 0]);
  });

  it("GIVEN any text WHEN encoded and decoded THEN it comes back exactly, every id in 1..256 before the final 0", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const ids = encodeDocument(text);
        expect(ids.at(-1)).toBe(0);
        expect([...ids.slice(0, -1)].every((id) => id >= 1 && id <= 256)).toBe(true);
        expect(decodeIds(ids)).toBe(text);
      }),
    );
  });

  it("GIVEN two documents WHEN decoded with a separator THEN the end-of-document ids become the separator", () => {
    const ids = [...encodeDocument("Процедура"), ...encodeDocument("Функция")];
    expect(decodeIds(ids, "|")).toBe("Процедура|Функция|");
  });

  it("GIVEN an id outside 0..256 WHEN decoded THEN it is refused with its position", () => {
    expect(() => decodeIds([66, 257])).toThrow("id 257 at position 1 is not a byte-level World id (0..256)");
    expect(() => decodeIds([-1])).toThrow(RangeError);
  });

  it("GIVEN text as the 1C platform writes it WHEN normalised THEN the BOM is gone and CRLF and CR became LF", () => {
    expect(normalizeText("\uFEFFПроцедура А()\r\n\tВозврат;\rКонецПроцедуры")).toBe(
      "Процедура А()\n\tВозврат;\nКонецПроцедуры",
    );
    expect(normalizeText("a\uFEFFb")).toBe("a\uFEFFb");
  });
});
