/**
 * `updraft gc --cache`: prune the run cache and the stat cache. An entry whose outputs are all on
 * disk as it recorded them is what current outputs rely on, and stays; an unusable entry, or one
 * whose outputs were overwritten or deleted, goes. Output store objects that no kept entry names
 * go with them (so the store keeps only what the outputs on disk are); stat entries of files that
 * are gone go too, and so do all validated plans (see plan-cache.ts).
 */
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { FileHasher } from "../file-hash.js";
import { changedOutput } from "../fingerprint.js";
import { prunePlans } from "./plan-cache.js";
import { RunCache } from "./run-cache.js";
import { STAT_FILE, StatCache } from "./stat-cache.js";

/** What a prune did (or, with `dryRun`, would do). */
export interface PruneResult {
  readonly kept: number;
  readonly removed: string[];
  readonly statEntriesRemoved: number;
  /** Output store objects removed, and the bytes they held. */
  readonly objectsRemoved: number;
  readonly bytesFreed: number;
  /** Validated plans removed. */
  readonly plansRemoved: number;
}

/**
 * Prune the caches under `cacheDir`.
 *
 * @example
 * ```ts
 * const { kept, removed } = await pruneCache(".updraft/cache", { dryRun: false });
 * ```
 */
export async function pruneCache(cacheDir: string, options: { dryRun: boolean }): Promise<PruneResult> {
  const cache = new RunCache(cacheDir);
  const hasher = new FileHasher();
  const removed: string[] = [];
  let kept = 0;
  const used = new Set<string>();
  for (const { file, entry } of cache.allEntries()) {
    let intact = false;
    try {
      intact = entry !== null && (await changedOutput(entry.outputs, hasher, entry.root)) === null;
    } catch {
      intact = false;
    }
    if (intact && entry !== null) {
      kept++;
      for (const out of entry.outputs) used.add(cache.store.objectPath(out));
      continue;
    }
    removed.push(file);
    if (!options.dryRun) rmSync(file, { force: true });
  }
  let objectsRemoved = 0;
  let bytesFreed = 0;
  for (const object of cache.store.objects()) {
    if (used.has(object)) continue;
    objectsRemoved++;
    bytesFreed += (await hasher.hash(object).catch(() => null))?.size ?? 0;
    if (!options.dryRun) rmSync(object, { recursive: true, force: true });
  }
  const stats = StatCache.open(path.join(cacheDir, STAT_FILE));
  const statEntriesRemoved = stats.prune((key) => existsSync(Buffer.from(key, "latin1")));
  if (!options.dryRun) stats.save();
  const plansRemoved = prunePlans(cacheDir, options);
  return { kept, removed, statEntriesRemoved, objectsRemoved, bytesFreed, plansRemoved };
}
