/**
 * Helpers for history tests: temp run roots and the real CLI run from any directory.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execa } from "execa";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "src/cli/bin.ts");
// An absolute loader URL, so that the CLI can run with a temp directory as its cwd.
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** A fresh temp directory. */
export function tempDir(prefix = "updraft-history-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Run the real CLI in `cwd`; never throws on a non-zero exit. */
export async function updraftIn(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = await execa(process.execPath, ["--import", TSX, BIN, ...args], {
    cwd,
    reject: false,
    env: { NO_COLOR: "1", TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json"), UPDRAFT_RUNS_DIR: "", ...env },
    extendEnv: true,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** True when the text looks like a stack trace. */
export const hasStack = (text: string) => /\n\s+at .+:\d+:\d+/.test(text);

/** The pid of a process that has already exited. */
export async function deadPid(): Promise<number> {
  const child = execa("true");
  const pid = child.pid;
  await child;
  if (pid === undefined) throw new Error("no pid for a spawned process");
  return pid;
}

/** Every run under `root` read in full (with stages), newest first, plus the warnings. */
export async function readFull(root: string) {
  const { readRuns, readRun } = await import("../../src/records/read-runs.js");
  const { runs: heads, warnings } = await readRuns(root);
  const runs = [];
  for (const head of heads) {
    const run = await readRun(head.dir, (m) => warnings.push(m));
    if (typeof run === "string") throw new Error(run);
    runs.push(run);
  }
  return { runs, warnings };
}
