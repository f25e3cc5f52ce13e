/**
 * The data-size numbers RWKV's trainer insists on. train.py samples position
 * `(k * i^3 mod p) * ctx_len` for i = 1, 2, ...; with p prime and p % 3 == 2, cubing is a
 * permutation mod p, so one pass of p samples visits every ctx_len slot of the data once.
 */

/**
 * Whether `n` is prime (trial division; fine for the slot counts of any real dataset).
 *
 * @example
 * ```ts
 * isPrime(2926181); // true
 * ```
 */
export function isPrime(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  if (n % 3 === 0) return n === 3;
  for (let d = 5; d * d <= n; d += 6) {
    if (n % d === 0 || n % (d + 2) === 0) return false;
  }
  return true;
}

/** The numbers for train.py, or why the data cannot be trained on. */
export type MagicPrime =
  | { ok: true; magicPrime: number; slots: number; myExitTokens: number }
  | { ok: false; slots: number; reason: string; hint: string };

/**
 * `magic_prime`: the largest prime p <= tokens // ctx_len - 1 with p % 3 == 2, accepted only when
 * 0.9 < p / (tokens // ctx_len) <= 1 (train.py asserts this). `my_exit_tokens` is the token count.
 *
 * @example
 * ```ts
 * magicPrime(1498226207, 512); // { ok: true, magicPrime: 2926181, slots: 2926223, myExitTokens: 1498226207 }
 * magicPrime(5000, 512);       // { ok: false, reason: "...", ... }
 * ```
 */
export function magicPrime(tokens: number, ctxLen: number): MagicPrime {
  const slots = Math.floor(tokens / ctxLen);
  const need = 12 * ctxLen;
  const tooLittle = (detail: string): MagicPrime => ({
    ok: false,
    slots,
    reason: `too little data for training: ${tokens} tokens make ${slots} samples of ctx_len ${ctxLen}; ${detail}`,
    hint: `give at least about ${need} tokens (12 x ctx_len), or lower ctx_len`,
  });
  for (let p = slots - 1; p >= 2; p--) {
    if (p % 3 !== 2 || !isPrime(p)) continue;
    if (p / slots > 0.9) return { ok: true, magicPrime: p, slots, myExitTokens: tokens };
    return tooLittle(
      `the largest prime p <= ${slots - 1} with p % 3 == 2 is ${p}, and ${p}/${slots} is not above 0.9 as train.py requires`,
    );
  }
  return tooLittle(`there is no prime p <= ${Math.max(0, slots - 1)} with p % 3 == 2`);
}
