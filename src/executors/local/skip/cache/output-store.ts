/**
 * The output store (`.updraft/cache/objects`), for stages declared with `cache: true`: each output a
 * successful execution wrote is kept by its content hash, so that returning to an earlier parameter
 * set restores that execution's outputs instead of running the stage again.
 *
 * Objects are reflinks where the file system can share blocks (btrfs, XFS, APFS) and full copies
 * otherwise, never hard links: a stage that rewrites its output in place (`> out/model.bin`
 * truncates the same inode) would write through a hard link into the store. Every object is hashed
 * again before it is restored; one that does not match its name is deleted, never restored.
 */
import {
  constants,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import path from "node:path";
import type { OutputRecord } from "../../../../records/manifest.js";
import type { FileHasher } from "../file-hash.js";
import { globMatches, isGlob, pathHash } from "../paths.js";
import type { StagePath } from "../../resolve-stage.js";

let counter = 0;
const tmpName = (target: string) => `${target}.updraft-tmp-${process.pid}-${counter++}`;

/** Copy a file or a tree, sharing blocks when the file system can (COPYFILE_FICLONE falls back to a copy). */
function cloneTo(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  if (statSync(from).isDirectory())
    cpSync(from, to, { recursive: true, mode: constants.COPYFILE_FICLONE, verbatimSymlinks: true });
  else copyFileSync(from, to, constants.COPYFILE_FICLONE);
}

/** Put a copy of `from` at `to` in one rename, replacing what was there. */
function replaceWith(from: string, to: string): void {
  const tmp = tmpName(to);
  try {
    cloneTo(from, tmp);
    if (statSync(tmp).isDirectory()) rmSync(to, { recursive: true, force: true });
    renameSync(tmp, to);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** An output path as a StagePath relative to `root` (how records name it). */
function recordPath(out: OutputRecord, root: string): StagePath {
  return { declared: out.path, base: root, absolute: path.resolve(root, out.path), shown: out.path };
}

/** The files under `dir`, relative to it (a glob object holds the files a glob matched). */
function filesUnder(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = path.join(rel, e.name);
    return e.isDirectory() ? filesUnder(dir, child) : [child];
  });
}

/**
 * The store under `dir` (`.updraft/cache/objects`).
 *
 * @example
 * ```ts
 * const store = new OutputStore(".updraft/cache/objects");
 * store.save(records, root);
 * await store.restore(entry.outputs, root, hasher); // true when every output was restored
 * ```
 */
export class OutputStore {
  /** `warnings` collects objects found corrupt and deleted; the caller shows them. */
  constructor(
    readonly dir: string,
    readonly warnings: string[] = [],
  ) {}

  /** Where the object of `out` lives: by hash, with the kind (a glob's files differ from a tree). */
  objectPath(out: OutputRecord): string {
    return path.join(this.dir, out.sha256.slice(0, 2), `${out.sha256}${isGlob(out.path) ? ".glob" : ""}`);
  }

  /** Keep the outputs just written (each kept once per content); paths are relative to `root`. */
  save(outputs: readonly OutputRecord[], root: string): void {
    for (const out of outputs) {
      const object = this.objectPath(out);
      if (existsSync(object)) continue;
      const tmp = tmpName(object);
      try {
        if (isGlob(out.path)) {
          const files = filesUnderGlob(out, root);
          for (const rel of files) cloneTo(path.join(root, rel), path.join(tmp, rel));
        } else cloneTo(path.resolve(root, out.path), tmp);
        renameSync(tmp, object);
      } catch (error) {
        rmSync(tmp, { recursive: true, force: true });
        throw error;
      }
    }
  }

  /** Whether every output has an object whose content still matches its hash; reads only. */
  async has(outputs: readonly OutputRecord[], hasher: FileHasher): Promise<boolean> {
    for (const out of outputs) if ((await this.check(out, hasher)) !== "ok") return false;
    return true;
  }

  private async check(out: OutputRecord, hasher: FileHasher): Promise<"ok" | "missing" | "corrupt"> {
    const object = this.objectPath(out);
    if (!existsSync(object)) return "missing";
    const p = isGlob(out.path)
      ? { declared: out.path, base: object, absolute: path.join(object, out.path), shown: out.path }
      : { declared: object, base: this.dir, absolute: object, shown: object };
    const h = await pathHash(p, hasher).catch(() => null);
    return h?.sha256 === out.sha256 ? "ok" : "corrupt";
  }

  /**
   * Put every output back as recorded; false (nothing touched) when an object is missing or
   * corrupt. A corrupt object is deleted with a warning.
   */
  async restore(outputs: readonly OutputRecord[], root: string, hasher: FileHasher): Promise<boolean> {
    for (const out of outputs) {
      const state = await this.check(out, hasher);
      if (state === "ok") continue;
      if (state === "corrupt") {
        const object = this.objectPath(out);
        this.warnings.push(`deleted output store object ${object}: its content no longer matches its hash`);
        rmSync(object, { recursive: true, force: true });
      }
      return false;
    }
    for (const out of outputs) {
      const object = this.objectPath(out);
      if (!isGlob(out.path)) {
        replaceWith(object, path.resolve(root, out.path));
        continue;
      }
      for (const rel of filesUnderGlob(out, root)) rmSync(path.join(root, rel), { force: true });
      for (const rel of filesUnder(object)) replaceWith(path.join(object, rel), path.join(root, rel));
    }
    return true;
  }

  /** Every object's path, for gc. */
  objects(): string[] {
    const list = (d: string) => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    };
    return list(this.dir).flatMap((a) => list(path.join(this.dir, a)).map((o) => path.join(this.dir, a, o)));
  }
}

/** The files a recorded glob output matches now, relative to `root`. */
function filesUnderGlob(out: OutputRecord, root: string): string[] {
  return globMatches(recordPath(out, root)).map((f) => path.relative(root, f));
}
