/**
 * Bounded concurrency for file reads: enough in flight to hide latency, few enough to stay under
 * the open-file limit.
 */

/**
 * Map `items` through `fn` with at most `limit` calls in flight; results keep the input order.
 *
 * @example
 * ```ts
 * const texts = await mapLimit(files, 64, (f) => readFile(f, "utf8"));
 * ```
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
