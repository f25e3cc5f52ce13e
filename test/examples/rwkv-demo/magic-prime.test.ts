import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { isPrime, magicPrime } from "../../../examples/rwkv-demo/src/magic-prime.js";

describe("magic_prime and my_exit_tokens by train.py's rules", () => {
  it("GIVEN minipile (1498226207 tokens, ctx_len 512) WHEN computed THEN it is 2926181, the value RWKV-LM's demo script uses", () => {
    expect(magicPrime(1498226207, 512)).toEqual({
      ok: true,
      magicPrime: 2926181,
      slots: 2926223,
      myExitTokens: 1498226207,
    });
  });

  it("GIVEN exactly 12 samples of ctx_len WHEN computed THEN 11 fits; GIVEN 11 samples THEN nothing fits and the reason says why", () => {
    expect(magicPrime(12 * 512, 512)).toMatchObject({ ok: true, magicPrime: 11 });
    const small = magicPrime(11 * 512, 512);
    expect(small).toMatchObject({ ok: false, slots: 11 });
    if (small.ok) return;
    expect(small.reason).toBe(
      "too little data for training: 5632 tokens make 11 samples of ctx_len 512; the largest prime p <= 10 with p % 3 == 2 is 5, and 5/11 is not above 0.9 as train.py requires",
    );
    expect(small.hint).toContain("12 x ctx_len");
    expect(magicPrime(100, 512)).toMatchObject({ ok: false, slots: 0 });
  });

  it("GIVEN any data size WHEN a magic_prime is found THEN it satisfies train.py's assertions and no larger candidate exists", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000_000 }),
        fc.constantFrom(16, 256, 512, 1024, 4096),
        (tokens, ctxLen) => {
          const r = magicPrime(tokens, ctxLen);
          const slots = Math.floor(tokens / ctxLen);
          expect(r.slots).toBe(slots);
          if (!r.ok) {
            // No magic prime exists: no prime p <= slots - 1 with p % 3 == 2 has p / slots > 0.9.
            // (This happens up to 227 samples, e.g. 126: the best is 113, and 113/126 < 0.9.)
            for (let p = Math.floor(0.9 * slots); p <= slots - 1; p++)
              if (p / slots > 0.9) expect(isPrime(p) && p % 3 === 2, `${p} of ${slots}`).toBe(false);
            return;
          }
          expect(isPrime(r.magicPrime) && r.magicPrime % 3 === 2).toBe(true);
          expect(r.magicPrime / slots).toBeGreaterThan(0.9);
          expect(r.magicPrime).toBeLessThanOrEqual(slots - 1);
          for (let q = r.magicPrime + 1; q <= slots - 1; q++) expect(isPrime(q) && q % 3 === 2).toBe(false);
          expect(r.myExitTokens).toBe(tokens);
        },
      ),
      { numRuns: 200 * inject("fcNumRunsFactor") },
    );
  });

  it("GIVEN every sample count up to 5000 WHEN computed THEN a magic prime is found exactly when a brute-force search finds one", () => {
    const unfit: number[] = [];
    let best = 0; // the largest prime p <= slots - 1 with p % 3 == 2, by brute force
    for (let slots = 0; slots <= 5000; slots++) {
      if (isPrime(slots - 1) && (slots - 1) % 3 === 2) best = slots - 1;
      const fits = best > 0 && best / slots > 0.9;
      const r = magicPrime(slots * 16, 16);
      expect(r.ok, `${slots} samples`).toBe(fits);
      if (r.ok) expect(r.magicPrime).toBe(best);
      else unfit.push(slots);
    }
    // The largest sample count with no magic prime is 227: the best candidate is 197, and 197/227 < 0.9.
    expect(unfit.at(-1)).toBe(227);
    expect(unfit).toContain(126);
  });

  it("GIVEN small numbers WHEN tested for primality THEN the answers are right", () => {
    expect([0, 1, 2, 3, 4, 5, 9, 11, 25, 29, 49, 97].map(isPrime)).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});
