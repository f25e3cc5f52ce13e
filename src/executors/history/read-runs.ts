/**
 * Read every run under a runs root, local manifests and Airflow audit records alike. Anything that
 * is not a readable run (truncated JSON, a stray file, an empty directory, a manifest of another
 * version) becomes a warning, never an exception.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { MANIFEST_VERSION, ManifestSchema } from "../manifest.js";
import { mapLimit } from "./pool.js";
import { readAirflowRun } from "./read-airflow.js";
import { fromManifest, type RunView } from "./run-view.js";

/** The default runs root, relative to the working directory. */
export const DEFAULT_RUNS_DIR = ".updraft/runs";

/** Runs read from a root, newest first, and what was skipped. */
export interface RunsRead {
  readonly root: string;
  readonly runs: RunView[];
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
export function runsRoot(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(option ?? (env.UPDRAFT_RUNS_DIR || DEFAULT_RUNS_DIR));
}

async function readJson(file: string): Promise<{ ok: true; data: unknown } | { ok: false; missing: boolean; message: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === "ENOENT" || code === "ENOTDIR", message: (error as Error).message };
  }
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (error) {
    return { ok: false, missing: false, message: `invalid JSON (${(error as Error).message})` };
  }
}

function localRun(dir: string, data: unknown): RunView | string {
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== MANIFEST_VERSION) return `manifest version ${JSON.stringify(version)} is not supported (this updraft reads version ${MANIFEST_VERSION})`;
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `not a valid manifest (${issue?.path.join(".") || "(root)"}: ${issue?.message})`;
  }
  return fromManifest(parsed.data, dir, path.basename(dir));
}

async function readOne(dir: string, warn: (m: string) => void): Promise<RunView | string> {
  const manifest = await readJson(path.join(dir, "manifest.json"));
  if (manifest.ok) return localRun(dir, manifest.data);
  if (!manifest.missing) return `manifest.json: ${manifest.message}`;
  const run = await readJson(path.join(dir, "run.json"));
  if (run.ok) return readAirflowRun(dir, run.data, warn);
  if (!run.missing) return `run.json: ${run.message}`;
  return "not a run directory (no manifest.json or run.json)";
}

/** Newest first; ties by id so that the order is stable. */
export function newestFirst(a: RunView, b: RunView): number {
  return Date.parse(b.start) - Date.parse(a.start) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
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
  const runs: RunView[] = [];
  const warn = (m: string) => warnings.push(m);
  const dirs = entries.filter((e) => {
    if (e.isDirectory() || e.isSymbolicLink()) return true;
    warn(`${path.join(root, e.name)}: skipped, not a run directory (a file)`);
    return false;
  });
  const results = await mapLimit(dirs, options.concurrency ?? 64, (e) => readOne(path.join(root, e.name), warn));
  results.forEach((r, i) => {
    if (typeof r === "string") warn(`${path.join(root, dirs[i]!.name)}: skipped, ${r}`);
    else runs.push(r);
  });
  runs.sort(newestFirst);
  return { root, runs, warnings };
}

/** The outcome of looking a run up by id or prefix. */
export type FindResult = { ok: true; run: RunView } | { ok: false; candidates: RunView[] };

/**
 * Find a run by its directory name or recorded run id, or a unique prefix of either.
 *
 * @example
 * ```ts
 * const found = findRun(runs, "20250301");
 * if (!found.ok) console.log(found.candidates.length ? "ambiguous" : "unknown");
 * ```
 */
export function findRun(runs: readonly RunView[], query: string): FindResult {
  const exact = runs.find((r) => r.id === query || r.runId === query);
  if (exact) return { ok: true, run: exact };
  const matches = runs.filter((r) => r.id.startsWith(query) || r.runId.startsWith(query));
  return matches.length === 1 ? { ok: true, run: matches[0]! } : { ok: false, candidates: matches };
}
