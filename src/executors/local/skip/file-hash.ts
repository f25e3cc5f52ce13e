/**
 * Content hashes of files and directories. Only regular files are ever opened: a FIFO, a device or
 * a socket is refused (reading one could block forever or never end). Names inside directories
 * are hashed as the bytes the file system holds, so names that are not UTF-8 count too. Hashes
 * are remembered within a run, and across runs by the stat cache (see stat-cache.ts).
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  statSync,
  type BigIntStats,
  type Dirent,
} from "node:fs";
import { open } from "node:fs/promises";
import type { StatCache } from "./cache/stat-cache.js";

/**
 * A file's or directory's size and SHA-256. A directory's hash covers its files' relative paths
 * and hashes, and its symbolic links' targets (links inside it are not followed).
 */
export interface ContentHash {
  readonly size: number;
  readonly sha256: string;
}

/** A declared path (or a path inside a declared directory) that is not a regular file or directory. */
export class NotRegularFile extends Error {
  constructor(
    readonly file: string,
    readonly what: string,
  ) {
    super(`${file} is ${what}, not a regular file or directory; updraft never reads it`);
    this.name = "NotRegularFile";
  }
}

/**
 * What kind of thing `info` describes, for an error message; null for a file or directory.
 *
 * @example
 * ```ts
 * specialKind(statSync("/dev/zero")); // "a character device"
 * ```
 */
export function specialKind(info: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isFile(): boolean;
  isDirectory(): boolean;
}): string | null {
  if (info.isFile() || info.isDirectory()) return null;
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

const SLASH = Buffer.from("/");
const NEWLINE = Buffer.from("\n");
const CHUNK = 4 * 1024 * 1024;
/** Files up to this size are read synchronously: for small files the event loop's round trips cost more than the reading. */
const SMALL = 1024 * 1024;

/**
 * Hashes with a per-run memory and, when given, a stat cache.
 *
 * @example
 * ```ts
 * const hasher = new FileHasher(StatCache.open(".updraft/cache/stat.json"));
 * await hasher.hash("out/data.bin"); // { size: 1024, sha256: "..." } or null when missing
 * ```
 */
export class FileHasher {
  private readonly memo = new Map<string, ContentHash | Promise<ContentHash>>();
  /** Files actually read (not answered by a cache): tests and benchmarks count them. */
  filesRead = 0;
  private small: Buffer | null = null;

  constructor(
    private readonly stats: StatCache | null = null,
    private readonly signal: AbortSignal | null = null,
  ) {}

  /**
   * The hash of `file` (absolute, or relative to the process cwd; a link is followed), or null when
   * it does not exist. Throws NotRegularFile for a FIFO, device or socket.
   */
  async hash(file: string | Buffer): Promise<ContentHash | null> {
    const p = typeof file === "string" ? Buffer.from(file) : file;
    const info = statSync(p, { bigint: true, throwIfNoEntry: false });
    if (info === undefined) return null;
    if (info.isDirectory()) return this.hashDir(p);
    return this.hashRegular(p, info);
  }

  /** A regular file's hash: from this run's memory or the stat cache when known (no promise then), else read. */
  private hashRegular(p: Buffer, info: BigIntStats): ContentHash | Promise<ContentHash> {
    const what = specialKind(info);
    if (what !== null) throw new NotRegularFile(p.toString(), what);
    const key = p.toString("latin1");
    const memoKey = `${key}|${info.dev}|${info.ino}|${info.size}|${info.mtimeNs}|${info.ctimeNs}`;
    let found = this.memo.get(memoKey);
    if (found === undefined) {
      const size = Number(info.size);
      const known = this.stats?.get(key, info) ?? null;
      const done = (sha256: { hex: string; at: number }): ContentHash => {
        this.stats?.set(key, info, sha256.hex, sha256.at);
        return { size, sha256: sha256.hex };
      };
      if (known !== null) found = { size, sha256: known };
      else if (size <= SMALL) found = done(this.readSmall(p));
      else found = this.read(p, size).then(done);
      this.memo.set(memoKey, found);
    }
    return found;
  }

  /** Open a regular file without blocking, and check it again: a file swapped for a FIFO cannot hang us. */
  private openChecked(p: Buffer): number {
    const fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
    const what = specialKind(fstatSync(fd));
    if (what !== null) {
      closeSync(fd);
      throw new NotRegularFile(p.toString(), what);
    }
    return fd;
  }

  /** Read a small regular file synchronously. */
  private readSmall(p: Buffer): { hex: string; at: number } {
    const at = Date.now();
    this.filesRead++;
    const fd = this.openChecked(p);
    try {
      const hash = createHash("sha256");
      const buf = (this.small ??= Buffer.allocUnsafe(64 * 1024));
      for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
      return { hex: hash.digest("hex"), at };
    } finally {
      closeSync(fd);
    }
  }

  /** Read a large regular file, a chunk at a time, giving way to the event loop (and to a stop) between chunks. */
  private async read(p: Buffer, size: number): Promise<{ hex: string; at: number }> {
    const at = Date.now();
    this.filesRead++;
    const fh = await open(p, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const what = specialKind(await fh.stat());
      if (what !== null) throw new NotRegularFile(p.toString(), what);
      const hash = createHash("sha256");
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
      for (;;) {
        this.signal?.throwIfAborted();
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
      }
      return { hex: hash.digest("hex"), at };
    } finally {
      await fh.close();
    }
  }

  private async hashDir(dir: Buffer): Promise<ContentHash> {
    const hash = createHash("sha256");
    let size = 0;
    let seen = 0;
    const walk = async (rel: Buffer | null): Promise<void> => {
      const here = rel === null ? dir : Buffer.concat([dir, SLASH, rel]);
      const entries = (readdirSync(here, { withFileTypes: true, encoding: "buffer" }) as Dirent<Buffer>[]).sort(
        (a, b) => Buffer.compare(a.name, b.name),
      );
      for (const entry of entries) {
        // Small files are read without yielding: give way now and then, so that a stop is heard.
        if (++seen % 1024 === 0) {
          await new Promise(setImmediate);
          this.signal?.throwIfAborted();
        }
        const child = rel === null ? entry.name : Buffer.concat([rel, SLASH, entry.name]);
        const full = Buffer.concat([dir, SLASH, child]);
        const kind = entry.isFile() || entry.isDirectory() || entry.isSymbolicLink() ? entry : lstatSync(full);
        // A link is recorded by its target, never followed: a link to "." must not loop.
        if (kind.isSymbolicLink()) {
          hash.update(Buffer.concat([Buffer.from("link "), readlinkSync(full, { encoding: "buffer" })]));
          hash.update(Buffer.concat([Buffer.from("  "), child, Buffer.from("\n")]));
        } else if (kind.isDirectory()) await walk(child);
        else {
          const info = statSync(full, { bigint: true, throwIfNoEntry: false });
          if (info === undefined) continue;
          const got = this.hashRegular(full, info);
          const h = got instanceof Promise ? await got : got;
          size += h.size;
          hash.update(`${h.sha256}  `).update(child).update(NEWLINE);
        }
      }
    };
    await walk(null);
    return { size, sha256: hash.digest("hex") };
  }
}
