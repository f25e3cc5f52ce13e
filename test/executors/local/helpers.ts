/**
 * Shared helpers of the local executor tests: temp projects, plans from the DSL, runs with quiet
 * output and isolated runs/lock directories, manifests validated against the schema, and the
 * real CLI started as a child process.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import type { Plan } from "../../../src/plan/schema.js";
import type { ParamValue } from "../../../src/planner/template.js";
import { ManifestSchema, type Manifest, type StageRecord } from "../../../src/records/manifest.js";
import { runPlan } from "../../../src/executors/local/run-plan.js";
import { listRunIds } from "../../../src/executors/local/run-dir/run-dir.js";
import type { RunOptions } from "../../../src/executors/local/options.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = path.join(REPO, "test/fixtures/executor");
const TSX = path.join(REPO, "node_modules/tsx/dist/loader.mjs");
const BIN = path.join(REPO, "src/cli/bin.ts");
/** The tsx loader and the CLI entry, for starting `updraft` by hand. */
export const TSX_LOADER = TSX;
export const BIN_FILE = BIN;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-exec-"));
  made.push(dir);
  return dir;
}

export { planOf } from "../../plan-of.js";

/** Run a plan in `dir` with silent output and everything isolated under `dir`. */
export function run(
  plan: Plan,
  dir: string,
  values: Record<string, ParamValue> = {},
  options: RunOptions = {},
): Promise<Manifest> {
  return runPlan(plan, values, {
    cwd: dir,
    runsDir: path.join(dir, "runs"),
    lockDir: path.join(dir, "locks"),
    output: "silent",
    graceMs: 500,
    concurrency: 4,
    ...options,
  });
}

/** The manifest of run `runId` as written on disk, validated against ManifestSchema. */
export function manifestOnDisk(dir: string, runId: string, runsDir = path.join(dir, "runs")): Manifest {
  return ManifestSchema.parse(JSON.parse(readFileSync(path.join(runsDir, runId, "manifest.json"), "utf8")));
}

/** Stage `id` of a manifest. */
export function stageOf(m: Manifest, id: string): StageRecord {
  const s = m.stages.find((x) => x.id === id);
  if (!s) throw new Error(`no stage ${id}`);
  return s;
}

/** Number of lines in a counter file (each run of a counting stage appends one). */
export function counter(file: string): number {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0;
}

/** Environment for CLI children: isolated runs and lock directories, no colours. */
export function cliEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    UPDRAFT_RUNS_DIR: path.join(dir, "runs"),
    UPDRAFT_LOCK_DIR: path.join(dir, "locks"),
    NO_COLOR: "1",
    ...extra,
  };
}

/** Start `updraft ARGS` (the real CLI, one node process) in `cwd`. */
export function startCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", TSX, BIN, ...args], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
  return Object.assign(child, { output: () => text });
}

/** Run `updraft ARGS` to its end (or, with `program`, `tsx PROGRAM ARGS`: a pipeline file run directly). */
export function cli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  program = BIN,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", TSX, program, ...args],
      { cwd, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Exit code of a started child (130 etc.), once it ends. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

/** Poll until `check` returns a value other than undefined/false, or fail after `ms`. */
export async function until<T>(check: () => T | undefined | false, ms = 20_000, what = "condition"): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let value: T | undefined | false;
    try {
      value = check();
    } catch {
      value = undefined;
    }
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process is alive (a zombie is not). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

/**
 * Start `updraft run` of the counting fixture (a -> b -> c) with b sleeping a minute, and wait
 * until the manifest says b is running: the moment the interrupt and crash tests strike.
 */
export async function startCountingRunAtB(dir: string, extra: readonly string[] = []) {
  const env = cliEnv(dir);
  const runner = startCli(["run", path.join(FIXTURES, "counting.ts"), "-p", "b_sleep=60", ...extra], dir, env);
  const runId = await until(() => listRunIds(path.join(dir, "runs"))[0], 30_000, "the run directory");
  await until(() => stageOf(manifestOnDisk(dir, runId), "b").status === "running", 30_000, "b running");
  return { runner, runId, env };
}
