/**
 * Masking secret values in a stream of output, including a value split across two chunks.
 * Works on bytes (as latin1 text, one char per byte), so multi-byte characters are never split.
 */

const MASK = "***";

/**
 * A masker for one output stream: feed chunks with `push`, then `end` once; each call returns
 * the bytes that are safe to write.
 *
 * @example
 * ```ts
 * const m = new Masker(["s3cret"]);
 * m.push(Buffer.from("token=s3c")).toString() + m.push(Buffer.from("ret\n")).toString() + m.end().toString();
 * // "token=***\n"
 * ```
 */
export class Masker {
  private readonly secrets: string[];
  private readonly keep: number;
  private held = "";

  constructor(values: readonly string[]) {
    // Longest first, so a secret containing another is masked whole.
    this.secrets = [...new Set(values.filter((v) => v.length > 0).map((v) => Buffer.from(v).toString("latin1")))].sort(
      (a, b) => b.length - a.length,
    );
    this.keep = Math.max(0, ...this.secrets.map((s) => s.length - 1));
  }

  /** Whether there is anything to mask at all. */
  get active(): boolean {
    return this.secrets.length > 0;
  }

  push(chunk: Buffer): Buffer {
    if (!this.active) return chunk;
    const text = this.held + chunk.toString("latin1");
    let cut = Math.max(0, text.length - this.keep);
    // Never cut through an occurrence: hold it back whole until it can be masked.
    for (let moved = true; moved;) {
      moved = false;
      for (const secret of this.secrets) {
        const at = text.indexOf(secret, Math.max(0, cut - secret.length + 1));
        if (at !== -1 && at < cut) {
          cut = at;
          moved = true;
        }
      }
    }
    this.held = text.slice(cut);
    return Buffer.from(maskText(text.slice(0, cut), this.secrets), "latin1");
  }

  end(): Buffer {
    const rest = this.held;
    this.held = "";
    return Buffer.from(maskText(rest, this.secrets), "latin1");
  }
}

/**
 * Every occurrence of every secret is found in the original text, and each run of overlapping
 * occurrences becomes one mask: so secrets that overlap ("ac" and "éa" in "éac") are hidden together,
 * whichever order they are tried in. Occurrences that only touch stay two masks, which keeps the
 * result the same however the stream was cut into chunks.
 */
function maskText(text: string, secrets: readonly string[]): string {
  const spans: [number, number][] = [];
  for (const secret of secrets)
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1))
      spans.push([at, at + secret.length]);
  if (spans.length === 0) return text;
  spans.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let out = "";
  let done = 0;
  let [start, end] = spans[0]!;
  for (const [s, e] of spans.slice(1)) {
    if (s < end) end = Math.max(end, e);
    else {
      out += text.slice(done, start) + MASK;
      done = end;
      [start, end] = [s, e];
    }
  }
  return out + text.slice(done, start) + MASK + text.slice(end);
}

/**
 * Mask secret values in a string (for messages that might quote a secret).
 *
 * @example
 * ```ts
 * maskString("bad token abc", ["abc"]); // "bad token ***"
 * ```
 */
export function maskString(text: string, values: readonly string[]): string {
  const secrets = [...values].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  return maskText(text, secrets);
}

/**
 * The forms a secret takes in text updraft writes itself: as is, and JSON-escaped (a gate reason
 * quotes a metric's string value with JSON.stringify, so `a"b` appears as `a\"b`).
 *
 * @example
 * ```ts
 * secretForms(['a"b']); // ['a"b', 'a\\"b']
 * ```
 */
export function secretForms(values: readonly string[]): string[] {
  const forms = values.filter((v) => v.length > 0).flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  return [...new Set(forms)];
}

/**
 * A copy of JSON-like data with every secret masked in every string (keys included), in any of
 * its `secretForms`. For gate results and other records that may quote a value read from a file.
 *
 * @example
 * ```ts
 * maskDeep({ reason: 'token is "abc"' }, ["abc"]); // { reason: 'token is "***"' }
 * ```
 */
export function maskDeep<T>(value: T, values: readonly string[]): T {
  const forms = secretForms(values);
  if (forms.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return maskString(v, forms);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [maskString(k, forms), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
