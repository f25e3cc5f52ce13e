/**
 * "Did you mean ...?": the closest of some names to a misspelt one, by edit distance.
 */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/**
 * The name in `names` nearest to `name`, when it is near enough to be a slip (at most 2 edits, or a
 * third of the name's length); otherwise null. Case counts as an edit.
 *
 * @example
 * ```ts
 * closest("trian", ["prepare", "train", "eval"]); // "train"
 * closest("deploy", ["prepare", "train"]); // null
 * ```
 */
export function closest(name: string, names: readonly string[]): string | null {
  const best = names.map((n) => ({ n, d: distance(name, n) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.n : null;
}

/**
 * `did you mean "x"? ` when a name is near, else the empty string: the start of a hint.
 *
 * @example
 * ```ts
 * `${didYouMean("trian", ids)}stages are: ${ids.join(", ")}`; // 'did you mean "train"? stages are: ...'
 * ```
 */
export function didYouMean(name: string, names: readonly string[]): string {
  const near = closest(name, names);
  return near === null ? "" : `did you mean "${near}"? `;
}
