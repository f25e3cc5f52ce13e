/**
 * Counting nouns in messages: "1 stage", "3 stages".
 */

/**
 * `n` and `noun`, with an "s" unless `n` is 1 (or the plural form given).
 *
 * @example
 * ```ts
 * plural(1, "stage"); // "1 stage"
 * plural(2, "process", "processes"); // "2 processes"
 * ```
 */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}
