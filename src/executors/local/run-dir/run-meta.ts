/**
 * Facts about where a run happens: git commit and dirty flag, user, host.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import type { Manifest } from "../../../records/manifest.js";

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    }).trim();
  } catch {
    return null;
  }
}

/**
 * The git commit of `cwd` and whether tracked files differ from it; null outside a repository.
 *
 * @example
 * ```ts
 * gitState(process.cwd()); // { commit: "84830e6...", dirty: false }
 * ```
 */
export function gitState(cwd: string): Manifest["git"] {
  const commit = git(cwd, ["rev-parse", "HEAD"]);
  if (commit === null) return null;
  // Untracked files are left out: run directories and scratch files would make every run dirty.
  const status = git(cwd, ["status", "--porcelain", "--untracked-files=no"]);
  return { commit, dirty: status !== null && status !== "" };
}

/**
 * The user starting the run.
 *
 * @example
 * ```ts
 * currentUser(); // "ada"
 * ```
 */
export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
}
