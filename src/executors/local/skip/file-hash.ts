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
  type PathLike,
  type Stats,
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

const NOT_ASCII = /[^\x00-\x7f]/;
const CHUNK = 4 * 1024 * 1024;
/** Files up to this size are read synchronously: for small files the event loop's round trips cost more than the reading. */
const SMALL = 1024 * 1024;

/**
 * Paths are handled as latin1 strings of their bytes ("byte strings": one character per byte, so
 * names that are not UTF-8 survive, and they sort as the bytes do); this turns one into what `fs`
 * takes, the string itself when it is ASCII (as almost every path is), else its bytes.
 */
function fsPath(bytes: string): string | Buffer {
  return NOT_ASCII.test(bytes) ? Buffer.from(bytes, "latin1") : bytes;
}

/**
 * Hashes with a per-run memory and, when given, a stat cache.
 *
 * @example
 * ```ts
 * const hasher = new FileHasher(StatCache.open(".updraft/cache/stat.jsonl"));
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
    const bytes = typeof file === "string" && !NOT_ASCII.test(file) ? file : Buffer.from(file).toString("latin1");
    const p = fsPath(bytes);
    const info = statSync(p, { throwIfNoEntry: false });
    if (info === undefined) return null;
    if (info.isDirectory()) return this.hashDir(bytes);
    const slash = bytes.lastIndexOf("/") + 1;
    return this.hashRegular(p, bytes.slice(0, slash), bytes.slice(slash), info);
  }

  /**
   * A regular file's hash (the file `name` in `dir`, byte strings naming `p`): from the stat cache
   * or this run's memory when known (no promise then), else read.
   */
  private hashRegular(p: PathLike, dir: string, name: string, info: Stats): ContentHash | Promise<ContentHash> {
    const what = specialKind(info);
    if (what !== null) throw new NotRegularFile(p.toString(), what);
    const size = info.size;
    const known = this.stats?.get(dir, name, info) ?? null;
    if (known !== null) return { size, sha256: known };
    const memoKey = `${dir}${name}|${info.dev}|${info.ino}|${size}|${info.mtimeMs}|${info.ctimeMs}`;
    let found = this.memo.get(memoKey);
    if (found === undefined) {
      const done = (sha256: { hex: string; at: number }): ContentHash => {
        this.stats?.set(dir, name, info, sha256.hex, sha256.at);
        return { size, sha256: sha256.hex };
      };
      found = size <= SMALL ? done(this.readSmall(p)) : this.read(p, size).then(done);
      this.memo.set(memoKey, found);
    }
    return found;
  }

  /** Open a regular file without blocking, and check it again: a file swapped for a FIFO cannot hang us. */
  private openChecked(p: PathLike): number {
    const fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
    const what = specialKind(fstatSync(fd));
    if (what !== null) {
      closeSync(fd);
      throw new NotRegularFile(p.toString(), what);
    }
    return fd;
  }

  /** Read a small regular file synchronously. */
  private readSmall(p: PathLike): { hex: string; at: number } {
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
  private async read(p: PathLike, size: number): Promise<{ hex: string; at: number }> {
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

  /** A directory's hash; `dir` is a byte string (see fsPath). */
  private async hashDir(dir: string): Promise<ContentHash> {
    const hash = createHash("sha256");
    let size = 0;
    let seen = 0;
    // One hash update per line costs more than the hashing: lines are fed in batches.
    let lines = "";
    const add = (line: string) => {
      lines += line;
      if (lines.length < 64 * 1024) return;
      hash.update(lines, "latin1");
      lines = "";
    };
    const walk = async (rel: string | null): Promise<void> => {
      const here = rel === null ? `${dir}/` : `${dir}/${rel}/`;
      const ascii = !NOT_ASCII.test(here);
      // Byte strings sort as their bytes do; one lstat per entry gives both its kind and, for a
      // regular file, everything the stat cache compares (a file that is no link is its own target).
      const names = readdirSync(fsPath(here), { encoding: "latin1" }).sort();
      for (const name of names) {
        // Small files are read without yielding: give way now and then, so that a stop is heard.
        if (++seen % 1024 === 0) {
          await new Promise(setImmediate);
          this.signal?.throwIfAborted();
        }
        const full = here + name;
        const p = ascii && !NOT_ASCII.test(name) ? full : Buffer.from(full, "latin1");
        const child = full.slice(dir.length + 1);
        const info = lstatSync(p, { throwIfNoEntry: false });
        if (info === undefined) continue;
        // A link is recorded by its target, never followed: a link to "." must not loop.
        if (info.isSymbolicLink()) add(`link ${readlinkSync(p, { encoding: "latin1" })}  ${child}\n`);
        else if (info.isDirectory()) await walk(child);
        else {
          const got = this.hashRegular(p, here, name, info);
          const h = got instanceof Promise ? await got : got;
          size += h.size;
          add(`${h.sha256}  ${child}\n`);
        }
      }
    };
    await walk(null);
    return { size, sha256: hash.update(lines, "latin1").digest("hex") };
  }
}
