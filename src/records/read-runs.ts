/**
 * Read every run under a runs root, local manifests and Airflow audit records alike. Anything that
 * is not a readable run (truncated JSON, a stray file, an empty directory, a manifest of another
 * version) becomes a warning, never an exception.
 *
 * Listing keeps only each run's head (stages dropped once parsed and summarised): with 10,000 runs,
 * retaining every stage record costs more in garbage collection than reading the files.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import * as z from "../common/zod.js";
import { AttemptSchema, MANIFEST_VERSION, ManifestSchema, StageRecordSchema } from "./manifest.js";
import { mapLimit } from "./pool.js";
import { readAirflowRun } from "./read-airflow.js";
import { fromManifest, headFromManifest, headOf, type RunHead, type RunView } from "./run-view.js";
import { readJsonFile } from "../common/json-file.js";
import type { Result } from "../common/result.js";

/** The default runs root, relative to the working directory. */
export const DEFAULT_RUNS_DIR = ".updraft/runs";

/** Runs read from a root, newest first, and what was skipped. */
export interface RunsRead {
  readonly root: string;
  readonly runs: RunHead[];
  readonly warnings: string[];
}

/**
 * The runs root: `--runs-dir`, else `UPDRAFT_RUNS_DIR`, else `.updraft/runs`, made absolute.
 *
 * @example
 * ```ts
 * runsRoot(undefined, { UPDRAFT_RUNS_DIR: "/data/runs" }); // "/data/runs"
 * ```
 */
export function runsRoot(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return path.resolve(option ?? (env.UPDRAFT_RUNS_DIR || DEFAULT_RUNS_DIR));
}

// Synchronous on purpose: for small files on a local disk one blocking read measured about four
// times faster than a thread-pool read (open, stat, read, close each a round trip).
function readJson(file: string): Result<{ data: unknown }, { missing: boolean; message: string }> {
  const read = readJsonFile(file);
  if (read.ok) return read;
  const message = read.failure === "invalid" ? `invalid JSON (${read.message})` : read.message;
  return { ok: false, missing: read.failure === "missing", message };
}

/** The manifest with stages cut down to what listing reads: derived from the contract, not copied. */
const ManifestHeadSchema = ManifestSchema.extend({
  stages: z.array(
    StageRecordSchema.pick({ id: true, kind: true, status: true }).extend({
      attempts: z.array(AttemptSchema.pick({ outcome: true, gpuWaitMs: true })),
    }),
  ),
});

function validated<T>(data: unknown, schema: z.ZodType<T>): T | string {
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== MANIFEST_VERSION)
    return `manifest version ${JSON.stringify(version)} is not supported (this updraft reads version ${MANIFEST_VERSION})`;
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `not a valid manifest (${issue?.path.join(".") || "(root)"}: ${issue?.message})`;
}

type Reader<T> = { local: (dir: string, data: unknown) => T | string; airflow: (run: RunView) => T };

const FULL: Reader<RunView> = {
  local: (dir, data) => {
    const m = validated(data, ManifestSchema);
    return typeof m === "string" ? m : fromManifest(m, dir, path.basename(dir));
  },
  airflow: (run) => run,
};

const HEAD: Reader<RunHead> = {
  local: (dir, data) => {
    const m = validated(data, ManifestHeadSchema);
    return typeof m === "string" ? m : headFromManifest(m, dir, path.basename(dir));
  },
  airflow: headOf,
};

async function readWith<T>(dir: string, reader: Reader<T>, warn: (m: string) => void): Promise<T | string> {
  const manifest = readJson(path.join(dir, "manifest.json"));
  if (manifest.ok) return reader.local(dir, manifest.data);
  if (!manifest.missing) return `manifest.json: ${manifest.message}`;
  const run = readJson(path.join(dir, "run.json"));
  if (run.ok) {
    const view = await readAirflowRun(dir, run.data, warn);
    return typeof view === "string" ? view : reader.airflow(view);
  }
  if (!run.missing) return `run.json: ${run.message}`;
  return "not a run directory (no manifest.json or run.json)";
}

/**
 * Read one run directory in full, or say why it is not a run.
 *
 * @example
 * ```ts
 * const run = await readRun(".updraft/runs/20250303-0900-a1b2", console.warn);
 * if (typeof run !== "string") console.log(run.stages.length);
 * ```
 */
export async function readRun(dir: string, warn: (m: string) => void): Promise<RunView | string> {
  return readWith(dir, FULL, warn);
}

/**
 * Newest first; ties by id so that the order is stable.
 *
 * @example
 * ```ts
 * heads.sort(newestFirst);
 * ```
 */
export function newestFirst(a: RunHead, b: RunHead): number {
  return b.startMs - a.startMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * Read all runs under `root`, newest first. A missing root is an empty history.
 *
 * @example
 * ```ts
 * const { runs, warnings } = await readRuns(runsRoot(undefined));
 * for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
 * ```
 */
export async function readRuns(root: string, options: { concurrency?: number } = {}): Promise<RunsRead> {
  const warnings: string[] = [];
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { root, runs: [], warnings };
    return { root, runs: [], warnings: [`cannot read the runs folder ${root}: ${(error as Error).message}`] };
  }
  const runs: RunHead[] = [];
  const warn = (m: string) => warnings.push(m);
  const dirs = entries.filter((e) => {
    // Hidden entries are updraft's own (`.locks/`, the maxActiveRuns slots of running pipelines).
    if (e.name.startsWith(".")) return false;
    if (e.isDirectory() || e.isSymbolicLink()) return true;
    warn(`${path.join(root, e.name)}: skipped, not a run directory (a file)`);
    return false;
  });
  // Airflow runs are many small files each: those reads overlap.
  await mapLimit(dirs, options.concurrency ?? 16, async (e) => {
    const r = await readWith(path.join(root, e.name), HEAD, warn);
    if (typeof r === "string") warn(`${path.join(root, e.name)}: skipped, ${r}`);
    else runs.push(r);
  });
  runs.sort(newestFirst);
  // Reads overlap, so warnings arrive in any order: sorted, they name entries in a stable order.
  return { root, runs, warnings: warnings.sort() };
}

/**
 * The short form of a local run id, its random suffix: what `show`, `report` and `--resume` take and
 * what people remember. Other ids come back unchanged.
 *
 * @example
 * ```ts
 * shortRunId("20251126T142501.123Z-9f2c1a"); // "9f2c1a"
 * ```
 */
export function shortRunId(runId: string): string {
  return /^\d{8}T\d{6}(?:\.\d+)?Z-([0-9a-f]+)$/.exec(runId)?.[1] ?? runId;
}

/** The outcome of looking a run up by id or prefix. */
export type FindResult = Result<{ run: RunHead }, { candidates: RunHead[] }>;

/**
 * Find a run by its directory name or recorded run id, or a unique prefix of either.
 *
 * @example
 * ```ts
 * const found = findRun(runs, "20250301"); // also "latest", "-1", "-2", or the suffix "1a2b3c"
 * if (!found.ok) console.log(found.candidates.length ? "ambiguous" : "unknown");
 * ```
 */
export function findRun(runs: readonly RunHead[], query: string): FindResult {
  const exact = runs.find((r) => r.id === query || r.runId === query);
  if (exact) return { ok: true, run: exact };
  // "latest" is -1, the newest run; -2 the one before it.
  const back = query === "latest" ? 1 : /^-[1-9]\d*$/.test(query) ? -Number(query) : 0;
  if (back > 0) {
    const run = [...runs].sort((a, b) => b.startMs - a.startMs || (a.id < b.id ? 1 : -1))[back - 1];
    return run ? { ok: true, run } : { ok: false, candidates: [] };
  }
  // The random suffix of an id (`...-1a2b3c`) is what people remember of it.
  const bySuffix = runs.filter((r) => r.id.endsWith(`-${query}`) || r.runId.endsWith(`-${query}`));
  if (bySuffix.length === 1) return { ok: true, run: bySuffix[0]! };
  const matches = runs.filter((r) => r.id.startsWith(query) || r.runId.startsWith(query));
  return matches.length === 1 ? { ok: true, run: matches[0]! } : { ok: false, candidates: matches };
}
