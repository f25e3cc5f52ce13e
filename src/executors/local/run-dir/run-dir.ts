/**
 * The run directory: where a run's record lives, and how files in it are written so that a crash
 * at any moment leaves either the old or the new version, never a torn one.
 *
 * ```text
 * .updraft/runs/<run-id>/manifest.json   the run record (ManifestSchema)
 *                        plan.json       the Plan that ran
 *                        logs/<stage>.<attempt>.log
 *                        gates/<gate-id>.json
 * ```
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
  writevSync,
} from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import { ManifestSchema, type Manifest } from "../../../records/manifest.js";
import { PlanSchema, type Plan } from "../../../plan/schema.js";
import { readJsonFile } from "../../../common/json-file.js";
import type { Result } from "../../../common/result.js";
import { storageError } from "./storage.js";

/**
 * The runs root: `UPDRAFT_RUNS_DIR`, else `.updraft/runs`, relative to `cwd`.
 *
 * @example
 * ```ts
 * defaultRunsDir({}, "/work/proj"); // "/work/proj/.updraft/runs"
 * ```
 */
export function defaultRunsDir(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return path.resolve(cwd, env.UPDRAFT_RUNS_DIR || path.join(".updraft", "runs"));
}

/**
 * A new run id: the UTC start time, then a short random part, so ids sort by start time.
 *
 * @example
 * ```ts
 * newRunId(new Date("2025-11-26T14:25:01.123Z")); // "20251126T142501.123Z-9f2c1a"
 * ```
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

/** Paths of one run directory. Log and gate paths come relative to it, as the manifest stores them. */
export interface RunPaths {
  readonly dir: string;
  readonly manifest: string;
  readonly plan: string;
  logRel(stage: string, attempt: number): string;
  gateRel(gate: string): string;
}

/**
 * The paths of run `runId` under `runsDir`.
 *
 * @example
 * ```ts
 * runPaths("/p/.updraft/runs", "ID").logRel("train", 2); // "logs/train.2.log"
 * ```
 */
export function runPaths(runsDir: string, runId: string): RunPaths {
  const dir = path.join(runsDir, runId);
  return {
    dir,
    manifest: path.join(dir, "manifest.json"),
    plan: path.join(dir, "plan.json"),
    logRel: (stage, attempt) => `logs/${stage}.${attempt}.log`,
    gateRel: (gate) => `gates/${gate}.json`,
  };
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Replace `file` atomically and durably: write a temporary file (from text, or from buffers
 * written in order), fsync it, rename it over `file`, fsync the directory.
 *
 * @example
 * ```ts
 * writeFileAtomic("run/manifest.json", JSON.stringify(manifest));
 * ```
 */
export function writeFileAtomic(file: string, content: string | readonly Uint8Array[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeTmp(tmp, content);
    renameSync(tmp, file);
  } catch (error) {
    // A full or read-only disk: leave no half-written temporary file, and say what failed.
    unlinkQuiet(tmp);
    throw storageError(error, file);
  }
  fsyncDir(path.dirname(file));
}

function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created, or gone already.
  }
}

function writeTmp(tmp: string, content: string | readonly Uint8Array[]): void {
  const fd = openSync(tmp, "w");
  try {
    const parts = typeof content === "string" ? [Buffer.from(content)] : content;
    const total = parts.reduce((n, b) => n + b.length, 0);
    let written = writevSync(fd, parts as Uint8Array[]);
    // A short write is rare (a full disk reports an error instead); finish it piece by piece.
    for (const data of written < total ? [Buffer.concat(parts as Uint8Array[]).subarray(written)] : []) {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done);
      written += done;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * `writeFileAtomic` off the event loop: the same steps through `fs.promises`.
 *
 * @example
 * ```ts
 * await writeFileAtomicAsync("run/manifest.json", [Buffer.from("{}")]);
 * ```
 */
export async function writeFileAtomicAsync(file: string, parts: readonly Uint8Array[]): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const handle = await open(tmp, "w");
    try {
      const total = parts.reduce((n, b) => n + b.length, 0);
      const { bytesWritten } = await handle.writev(parts as Uint8Array[]);
      if (bytesWritten < total) await handle.write(Buffer.concat(parts as Uint8Array[]).subarray(bytesWritten));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    unlinkQuiet(tmp);
    throw storageError(error, file);
  }
  const dir = await open(path.dirname(file), "r").catch(() => null);
  // Some filesystems refuse fsync on a directory; the rename is still atomic.
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}

/** A parsed file, or why it could not be read. */
export type ReadResult<T> = Result<{ value: T }, { reason: string }>;

function readJson(file: string): ReadResult<unknown> {
  const read = readJsonFile(file);
  if (read.ok) return { ok: true, value: read.data };
  if (read.failure === "invalid")
    return { ok: false, reason: `it is not valid JSON (${read.message}); it may be truncated or edited by hand` };
  return { ok: false, reason: read.failure === "missing" ? "the file does not exist" : read.message };
}

/**
 * Read and validate a run's manifest. With `pipelineId`, a manifest of another pipeline is turned
 * away before it is validated: looking back through a shared runs folder then costs little.
 *
 * @example
 * ```ts
 * const read = readManifest(".updraft/runs/ID/manifest.json");
 * if (!read.ok) console.error(read.reason);
 * ```
 */
export function readManifest(file: string, pipelineId?: string): ReadResult<Manifest> {
  const json = readJson(file);
  if (!json.ok) return json;
  if (pipelineId !== undefined && (json.value as { pipelineId?: unknown } | null)?.pipelineId !== pipelineId)
    return { ok: false, reason: `it is not a run of pipeline "${pipelineId}"` };
  const parsed = ManifestSchema.safeParse(json.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return { ok: false, reason: `it does not match the manifest format${where}: ${issue?.message ?? "invalid"}` };
}

/**
 * Read and validate the Plan stored beside a manifest.
 *
 * @example
 * ```ts
 * const read = readStoredPlan(".updraft/runs/ID/plan.json");
 * ```
 */
export function readStoredPlan(file: string): ReadResult<Plan> {
  const json = readJson(file);
  if (!json.ok) return json;
  const parsed = PlanSchema.safeParse(json.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: "it is not a valid plan" };
}

/**
 * Run ids under `runsDir` that have a manifest, newest first.
 *
 * @example
 * ```ts
 * listRunIds(".updraft/runs"); // ["20251126T142501.123Z-9f2c1a", ...]
 * ```
 */
export function listRunIds(runsDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    return [];
  }
  return names
    .filter((name) => existsSync(path.join(runsDir, name, "manifest.json")))
    .sort()
    .reverse();
}
