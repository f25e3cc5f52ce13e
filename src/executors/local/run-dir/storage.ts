/**
 * File system failures of updraft's own writes, told as causes a person can fix: a full disk, a
 * read-only folder, a denied permission. Node reports some of them obliquely (a recursive mkdir
 * under a read-only mount can say ENOENT), so the nearest existing folder is checked for the cause.
 */
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { StorageError } from "../errors.js";

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is exceeded",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EIO: "an input/output error (a failing disk?)",
};

function nearestExisting(target: string): string {
  let dir = path.resolve(target);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Why `target` cannot be written, from an errno code (checking the folder when the code is oblique). */
function causeOf(code: string | undefined, target: string): { cause: string; folder: string } {
  const folder = nearestExisting(path.dirname(target));
  if (code === "ENOSPC" || code === "EDQUOT" || code === "EIO") return { cause: CAUSES[code]!, folder };
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const why = CAUSES[(error as NodeJS.ErrnoException).code ?? ""];
    if (why) return { cause: `${why} (${folder})`, folder };
  }
  return { cause: (code && CAUSES[code]) ?? `${code ?? "error"}`, folder };
}

/**
 * A StorageError for a failed write of `target`, or the error itself when it is no file system
 * failure. `resume`: the run id to resume once fixed (null: nothing was kept, run again).
 *
 * @example
 * ```ts
 * throw storageError(error, "/p/.updraft/runs/ID/manifest.json", "ID");
 * // cannot write /p/.updraft/runs/ID/manifest.json: the disk is full
 * ```
 */
export function storageError(error: unknown, target: string, resume: string | null = null): unknown {
  if (error instanceof StorageError)
    return resume === null
      ? error
      : new StorageError(error.message, withResume(error.hint, resume), { cause: error.cause });
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code)) return error;
  const { cause, folder } = causeOf(code, target);
  const fix =
    cause.startsWith("the disk") || cause.startsWith("an input")
      ? `free space on the disk holding ${folder}, or point --runs-dir (UPDRAFT_RUNS_DIR) at another disk`
      : `make ${folder} writable, or point --runs-dir (UPDRAFT_RUNS_DIR) at a writable folder`;
  const hint = `${fix}${RUN_AGAIN}`;
  return new StorageError(`cannot write ${target}: ${cause}`, resume ? withResume(hint, resume) : hint, {
    cause: error,
  });
}

const RUN_AGAIN = "; then run again";

function withResume(hint: string, runId: string): string {
  return `${hint.endsWith(RUN_AGAIN) ? hint.slice(0, -RUN_AGAIN.length) : hint}; then continue with: updraft run --resume ${runId}`;
}
