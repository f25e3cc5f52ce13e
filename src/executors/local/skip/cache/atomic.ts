/**
 * Atomic JSON writes for the caches: a temporary file in the same directory, flushed, then renamed
 * over the target, so a reader sees the old content or the new, never half of one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

let counter = 0;

/**
 * Write `data` as JSON to `file`, creating its directory.
 *
 * @example
 * ```ts
 * writeJsonAtomic(".updraft/cache/last/rwkv/train.json", { kind: "updraft-last-run", v: 1 });
 * ```
 */
export function writeJsonAtomic(file: string, data: unknown): void {
  writeTextAtomic(file, JSON.stringify(data));
}

/**
 * Write `text` (or bytes) to `file`, creating its directory.
 *
 * @example
 * ```ts
 * writeTextAtomic(".updraft/cache/plans/KEY.json", "{}");
 * ```
 */
export function writeTextAtomic(file: string, text: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${counter++}`;
  try {
    const fd = openSync(tmp, "w");
    try {
      const bytes = typeof text === "string" ? Buffer.from(text) : text;
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
