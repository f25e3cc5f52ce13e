/**
 * The stat cache: a file's identity and times (device, inode, size, mtime and ctime) mapped to its
 * SHA-256, kept in `.updraft/cache/stat.jsonl` between runs, so an unchanged file is not read again.
 * Like git's index, an entry recorded too soon after the file last changed is not trusted: a change
 * within the same clock tick would leave every stat field as it was.
 *
 * Times are the milliseconds plain `stat` gives (a double: sub-microsecond steps for today's
 * dates), not BigInt nanoseconds, which cost a run over a large directory more than its reading.
 * That is safe because ctime is compared too: any later change to a trusted file (a write, a
 * rename over it, `touch -d` to an old date) sets its ctime to the clock at that moment, after the
 * entry was recorded, which was at least RACY_MS after the change before: far beyond a microsecond.
 *
 * On disk (`stat.jsonl`), entries are grouped by directory with names relative to it, as flat
 * arrays of JSON numbers and strings: a 10,000-file directory loads as one array, not 10,000 keyed
 * records. Each directory is one line, its name and its array separated by a tab, after a header
 * line. A run reads the whole file but parses only the lines of the directories it looks up: a
 * no-op run of a pipeline that never reads the 10,000-file directory no longer pays for parsing
 * its entries (about 10 ms of every start, with 1 MB of them).
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { writeTextAtomic } from "./atomic.js";

/** The stat fields the cache compares, as `fs.statSync` (not bigint) returns them. */
export interface StatFields {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** The stat cache's file in the cache folder. */
export const STAT_FILE = "stat.jsonl";
/** Where updraft 0.1 kept it, as one JSON document (removed when the new file is written). */
const OLD_STAT_FILE = "stat.json";

/** Time after a change during which a recorded hash is not trusted (coarse clocks, drvfs). */
export const RACY_MS = 2000;

const KIND = "updraft-stat-cache";
const VERSION = 3;
const TAB = 9;
const NEWLINE = 10;
/**
 * One entry in a directory's flat array: name, dev, ino, size, mtimeMs, ctimeMs - mtimeMs, sha256,
 * and how long after the file's last change hashing started (whole ms, rounded down). The last two
 * numbers are small integers most of the time, which JSON.parse reads faster than timestamps.
 */
const STRIDE = 8;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A directory's entries as stored (null until first looked up: `raw` holds its line's array, not
 * yet parsed); an index from name to offset, built when first needed; and the offset after the
 * last entry found. Entries are stored in the order a directory walk hashed them, so the next
 * lookup of a walk is almost always there, and no index is built on a no-op run.
 */
interface Dir {
  flat: (string | number)[] | null;
  raw: Buffer | null;
  index: Map<string, number> | null;
  next: number;
}

/**
 * A persistent map from file identity to content hash. Files are named by their directory (with
 * its trailing slash) and their name in it, both as latin1 strings of the path's bytes.
 *
 * @example
 * ```ts
 * const cache = StatCache.open(".updraft/cache/stat.jsonl");
 * cache.get("/p/data/", "a.csv", statSync("/p/data/a.csv")); // "ab12..." or null
 * cache.save();
 * ```
 */
export class StatCache {
  private dirty = false;
  /** Problems found reading the file; the caller shows them as warnings. */
  readonly warnings: string[] = [];

  private constructor(
    private readonly file: string | null,
    private readonly dirs: Map<string, Dir>,
    private readonly racyMs: number,
  ) {}

  /**
   * The cache in `file`: empty when the file is absent or was written by an older updraft (it is
   * rebuilt), ignored with a warning when corrupt. A directory's line is checked when that
   * directory is first looked up; a bad one is ignored with a warning then.
   */
  static open(file: string, racyMs = RACY_MS): StatCache {
    const cache = new StatCache(file, new Map(), racyMs);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return cache;
    }
    try {
      const headEnd = bytes.indexOf(NEWLINE);
      const head = JSON.parse(bytes.toString("utf8", 0, headEnd < 0 ? bytes.length : headEnd)) as {
        kind?: unknown;
        v?: unknown;
      } | null;
      if (head?.kind === KIND && typeof head.v === "number" && head.v < VERSION) {
        cache.dirty = true;
        return cache;
      }
      if (head?.kind !== KIND || head.v !== VERSION) throw new Error(`not an updraft stat cache of version ${VERSION}`);
      for (let start = headEnd + 1; start > 0 && start < bytes.length;) {
        let end = bytes.indexOf(NEWLINE, start);
        if (end < 0) end = bytes.length;
        const tab = bytes.indexOf(TAB, start);
        if (tab < 0 || tab > end) throw new Error(`line without a tab at byte ${start}`);
        const dir = JSON.parse(bytes.toString("utf8", start, tab)) as unknown;
        if (typeof dir !== "string") throw new Error(`a directory name that is not a string at byte ${start}`);
        cache.dirs.set(dir, { flat: null, raw: bytes.subarray(tab + 1, end), index: null, next: 0 });
        start = end + 1;
      }
    } catch (error) {
      cache.dirs.clear();
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

  /** The recorded hash of the file `name` in `dir` with stat `info`, or null when unknown or not trusted. */
  get(dir: string, name: string, info: StatFields): string | null {
    const d = this.dir(dir);
    if (d === undefined) return null;
    const f = d.flat!;
    const o = f[d.next] === name ? d.next : indexOf(d).get(name);
    if (o === undefined) return null;
    d.next = o + STRIDE;
    if (f[o + 1] !== info.dev || f[o + 2] !== info.ino || f[o + 3] !== info.size) return null;
    // Timestamps of the same magnitude subtract exactly, so equal differences mean equal ctimes.
    if (f[o + 4] !== info.mtimeMs || f[o + 5] !== info.ctimeMs - info.mtimeMs) return null;
    return (f[o + 7] as number) > this.racyMs ? (f[o + 6] as string) : null;
  }

  /** Remember `sha256` for the file `name` in `dir` as it was when hashing started (`at`, ms since the epoch). */
  set(dir: string, name: string, info: StatFields, sha256: string, at: number): void {
    let d = this.dir(dir);
    if (d === undefined) this.dirs.set(dir, (d = { flat: [], raw: null, index: new Map(), next: 0 }));
    const index = indexOf(d);
    let o = index.get(name);
    if (o === undefined) {
      o = d.flat!.length;
      index.set(name, o);
    }
    const { dev, ino, size, mtimeMs: m, ctimeMs: c } = info;
    d.flat!.splice(o, STRIDE, name, dev, ino, size, m, c - m, sha256, Math.floor(at - Math.max(m, c)));
    this.dirty = true;
  }

  /** Drop entries of files (directory and name joined) for which `keep(file)` is false (gc). */
  prune(keep: (file: string) => boolean): number {
    let n = 0;
    for (const dir of [...this.dirs.keys()]) {
      const d = this.dir(dir);
      if (d === undefined) continue;
      const flat: (string | number)[] = [];
      for (let o = 0; o < d.flat!.length; o += STRIDE)
        if (keep(dir + (d.flat![o] as string))) flat.push(...d.flat!.slice(o, o + STRIDE));
        else n++;
      if (flat.length === 0) this.dirs.delete(dir);
      else this.dirs.set(dir, { flat, raw: null, index: null, next: 0 });
    }
    if (n > 0) this.dirty = true;
    return n;
  }

  /**
   * Write the cache back atomically when it changed (lines not looked up are copied as they were
   * read). Failure to write only costs speed. Also removes the `stat.json` of updraft versions
   * that kept the cache in one JSON document.
   */
  save(): void {
    if (!this.dirty || this.file === null) return;
    const parts: Buffer[] = [Buffer.from(`${JSON.stringify({ kind: KIND, v: VERSION })}\n`)];
    for (const [dir, d] of this.dirs)
      parts.push(Buffer.from(`${JSON.stringify(dir)}\t`), d.raw ?? Buffer.from(JSON.stringify(d.flat)), LINE_END);
    try {
      writeTextAtomic(this.file, Buffer.concat(parts));
      this.dirty = false;
    } catch {
      // A read-only project still runs; the next run hashes again.
      return;
    }
    if (path.basename(this.file) === STAT_FILE)
      rmSync(path.join(path.dirname(this.file), OLD_STAT_FILE), { force: true });
  }

  /** The entries of `dir`, parsed on first use; undefined when there are none or its line is bad. */
  private dir(dir: string): Dir | undefined {
    const d = this.dirs.get(dir);
    if (d === undefined || d.flat !== null) return d;
    let flat: unknown;
    try {
      flat = JSON.parse(d.raw!.toString("utf8"));
    } catch {
      flat = null;
    }
    if (validFlat(flat)) {
      d.flat = flat;
      d.raw = null;
      return d;
    }
    this.dirs.delete(dir);
    this.dirty = true;
    this.warnings.push(
      `ignored the stat cache ${this.file}: bad entries for ${JSON.stringify(dir)}; its files are hashed again and it is rewritten`,
    );
    return undefined;
  }
}

const LINE_END = Buffer.from("\n");

function indexOf(d: Dir): Map<string, number> {
  if (d.index === null) {
    d.index = new Map();
    for (let o = 0; o < d.flat!.length; o += STRIDE) d.index.set(d.flat![o] as string, o);
  }
  return d.index;
}

function validFlat(flat: unknown): flat is (string | number)[] {
  if (!Array.isArray(flat) || flat.length % STRIDE !== 0) return false;
  // Written out, not looped over: this runs before the JIT has warmed up, over every entry.
  const number = (x: unknown) => typeof x === "number";
  for (let o = 0; o < flat.length; o += STRIDE) {
    const sha = flat[o + 6] as unknown;
    if (typeof flat[o] !== "string" || typeof sha !== "string" || sha.length !== 64 || !SHA256.test(sha)) return false;
    if (!number(flat[o + 1]) || !number(flat[o + 2]) || !number(flat[o + 3]) || !number(flat[o + 4])) return false;
    if (!number(flat[o + 5]) || !number(flat[o + 7])) return false;
  }
  return true;
}
