/**
 * Content hashes of files and directories, remembered within a run by identity and mtime so an
 * output hashed after one stage is not read again as the next stage's input.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, readlink, stat } from "node:fs/promises";
import path from "node:path";

/**
 * A file's or directory's size and SHA-256. A directory's hash covers its files' relative paths
 * and hashes, and its symbolic links' targets (links inside it are not followed).
 */
export interface ContentHash {
  readonly size: number;
  readonly sha256: string;
}

const SMALL = 8 * 1024 * 1024;

/**
 * Hashes with a per-run memory.
 *
 * @example
 * ```ts
 * const hasher = new FileHasher();
 * await hasher.hash("out/data.bin"); // { size: 1024, sha256: "..." } or null when missing
 * ```
 */
export class FileHasher {
  private readonly memo = new Map<string, Promise<ContentHash>>();

  /** The hash of `file` (absolute, or relative to the process cwd), or null when it does not exist. */
  async hash(file: string): Promise<ContentHash | null> {
    let info;
    try {
      info = await stat(file);
    } catch {
      return null;
    }
    if (info.isDirectory()) return this.hashDir(file);
    const key = `${path.resolve(file)}|${info.dev}|${info.ino}|${info.size}|${info.mtimeMs}`;
    let found = this.memo.get(key);
    if (!found) {
      found = hashFile(file, info.size);
      this.memo.set(key, found);
    }
    return found;
  }

  private async hashDir(dir: string): Promise<ContentHash> {
    const entries: string[] = [];
    let size = 0;
    const walk = async (rel: string): Promise<void> => {
      const names = (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const entry of names) {
        const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
        // A link is recorded by its target, never followed: a link to "." must not loop.
        if (entry.isSymbolicLink()) entries.push(`link ${await readlink(path.join(dir, child))}  ${child}\n`);
        else if (entry.isDirectory()) await walk(child);
        else {
          const h = await this.hash(path.join(dir, child));
          if (h === null) continue;
          size += h.size;
          entries.push(`${h.sha256}  ${child}\n`);
        }
      }
    };
    await walk("");
    return { size, sha256: createHash("sha256").update(entries.join("")).digest("hex") };
  }
}

async function hashFile(file: string, size: number): Promise<ContentHash> {
  if (size <= SMALL)
    return {
      size,
      sha256: createHash("sha256")
        .update(await readFile(file))
        .digest("hex"),
    };
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { size, sha256: hash.digest("hex") };
}
