/**
 * Masking secrets in output however it is split into chunks.
 */
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { Masker, maskString } from "../../../../src/executors/local/process/mask.js";

function feed(masker: Masker, text: Buffer, cuts: number[]): string {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, text.length]) {
    out.push(masker.push(text.subarray(at, p)));
    at = p;
  }
  out.push(masker.end());
  return Buffer.concat(out).toString("utf8");
}

describe("Masker", () => {
  it("GIVEN a secret split across chunks WHEN masked THEN no output holds it", () => {
    const m = new Masker(["s3cret"]);
    expect(feed(m, Buffer.from("token=s3cret and s3cret\n"), [8, 9, 20])).toBe("token=*** and ***\n");
  });

  it("GIVEN secrets where one contains another WHEN masked THEN the longer is masked whole", () => {
    expect(maskString("abc-abcdef", ["abc", "abcdef"])).toBe("***-***");
  });

  it("GIVEN secrets that overlap in the text WHEN masked THEN the whole overlap is hidden, however the stream is cut", () => {
    // Found by FC_SEED=-1829604484: "éa" masked first left "c" of "ac"; "ac" first left "é" of "éa".
    expect(maskString("xéacx", ["ac", "éa"])).toBe("x***x");
    expect(feed(new Masker(["ac", "éa"]), Buffer.from("xéacx"), [2, 3])).toBe("x***x");
    expect(maskString("abab", ["ab"])).toBe("******");
  });

  it("GIVEN no secrets WHEN output passes THEN it is unchanged and nothing is held back", () => {
    const m = new Masker([""]);
    expect(m.active).toBe(false);
    expect(m.push(Buffer.from("abc")).toString()).toBe("abc");
  });

  it("GIVEN any text, secrets and chunking WHEN masked THEN the result equals masking the whole text at once", () => {
    const char = fc.constantFrom("a", "b", "c", "é", "\n", "🙂");
    const word = fc.array(char, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 3 }),
        fc.array(char, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (secrets, chars, cuts) => {
          const text = chars.join("");
          const got = feed(new Masker(secrets), Buffer.from(text), cuts);
          expect(got).toBe(maskString(text, secrets));
          for (const s of secrets)
            if (!"***".includes(s)) expect(got.includes(s) && !maskString(got, secrets).includes(s)).toBe(false);
        },
      ),
      { numRuns: 300 * inject("fcNumRunsFactor") },
    );
  });
});
