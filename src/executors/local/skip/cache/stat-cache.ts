/**
 * The stat cache: a file's identity and times (device, inode, size, mtime and ctime in ns) mapped
 * to its SHA-256, kept in `.updraft/cache/stat.json` between runs, so an unchanged file is not read
 * again. Like git's index, an entry recorded too soon after the file last changed is not trusted: a
 * change within the same clock tick would leave every stat field as it was.
 */
import type { BigIntStats } from "node:fs";
import { readJsonFile } from "../../../../common/json-file.js";
import { writeJsonAtomic } from "./atomic.js";

/** [dev, ino, size, mtimeNs, ctimeNs, sha256, recorded at (ms)] */
type Entry = [string, string, string, string, string, string, number];

/** Time after a change during which a recorded hash is not trusted (coarse clocks, drvfs). */
export const RACY_MS = 2000;

const KIND = "updraft-stat-cache";

/**
 * A persistent map from file identity to content hash.
 *
 * @example
 * ```ts
 * const cache = StatCache.open(".updraft/cache/stat.json");
 * cache.get(key, info); // "ab12..." or null
 * cache.save();
 * ```
 */
export class StatCache {
  private dirty = false;
  /** Problems found reading the file; the caller shows them as warnings. */
  readonly warnings: string[] = [];

  private constructor(
    private readonly file: string | null,
    private readonly entries: Map<string, Entry>,
    private readonly racyMs: number,
  ) {}

  /** The cache in `file` (empty when the file is absent; a corrupt file is ignored with a warning). */
  static open(file: string, racyMs = RACY_MS): StatCache {
    const cache = new StatCache(file, new Map(), racyMs);
    const read = readJsonFile(file);
    if (!read.ok && read.failure !== "invalid") return cache;
    try {
      if (!read.ok) throw new Error(read.message);
      const data = read.data as { kind?: unknown; v?: unknown; entries?: unknown };
      if (data.kind !== KIND || data.v !== 1 || typeof data.entries !== "object" || data.entries === null)
        throw new Error("not an updraft stat cache of version 1");
      for (const [key, e] of Object.entries(data.entries as Record<string, unknown>))
        if (validEntry(e)) cache.entries.set(key, e);
    } catch (error) {
      cache.warnings.push(
        `ignored the stat cache ${file}: ${(error as Error).message}; files are hashed again and it is rewritten`,
      );
      cache.dirty = true;
    }
    return cache;
  }

  /** A cache kept in memory only (for tests and one-off checks). */
  static memory(racyMs = RACY_MS): StatCache {
    return new StatCache(null, new Map(), racyMs);
  }

  /** The recorded hash of the file `key` with stat `info`, or null when unknown or not trusted. */
  get(key: string, info: BigIntStats): string | null {
    const e = this.entries.get(key);
    if (e === undefined) return null;
    const [dev, ino, size, mtime, ctime, sha, at] = e;
    if (dev !== String(info.dev) || ino !== String(info.ino) || size !== String(info.size)) return null;
    if (mtime !== String(info.mtimeNs) || ctime !== String(info.ctimeNs)) return null;
    const changed = Number((info.mtimeNs > info.ctimeNs ? info.mtimeNs : info.ctimeNs) / 1_000_000n);
    return at - changed > this.racyMs ? sha : null;
  }

  /** Remember `sha256` for `key` as it was when hashing started (`at`, ms since the epoch). */
  set(key: string, info: BigIntStats, sha256: string, at: number): void {
    const entry: Entry = [
      String(info.dev),
      String(info.ino),
      String(info.size),
      String(info.mtimeNs),
      String(info.ctimeNs),
      sha256,
      at,
    ];
    this.entries.set(key, entry);
    this.dirty = true;
  }

  /** Drop entries for which `keep(key)` is false (gc). */
  prune(keep: (key: string) => boolean): number {
    let n = 0;
    for (const key of [...this.entries.keys()])
      if (!keep(key)) {
        this.entries.delete(key);
        n++;
      }
    if (n > 0) this.dirty = true;
    return n;
  }

  /** Write the cache back atomically when it changed. Failure to write only costs speed. */
  save(): void {
    if (!this.dirty || this.file === null) return;
    try {
      writeJsonAtomic(this.file, { kind: KIND, v: 1, entries: Object.fromEntries(this.entries) });
      this.dirty = false;
    } catch {
      // A read-only project still runs; the next run hashes again.
    }
  }
}

function validEntry(e: unknown): e is Entry {
  return (
    Array.isArray(e) &&
    e.length === 7 &&
    e.slice(0, 6).every((x) => typeof x === "string") &&
    typeof e[6] === "number" &&
    /^[0-9a-f]{64}$/.test(e[5] as string)
  );
}
