/**
 * `updraft status`: for each stage, whether a run now would skip it as up to date or run it, and
 * why (`make -n`, `dvc status`). Reads files and records only; runs nothing, writes nothing but the
 * stat cache. Uses the same fingerprints, run cache and path rules as a local run.
 */
import path from "node:path";
import { shortRunId } from "../../records/read-runs.js";
import type { Plan, Stage } from "../../plan/schema.js";
import type { ParamValue } from "../../planner/template.js";
import { PastRuns } from "./run-dir/previous-runs.js";
import { defaultRunsDir } from "./run-dir/run-dir.js";
import { resolveStage } from "./resolve-stage.js";
import { RunCache } from "./skip/cache/run-cache.js";
import { STAT_FILE, StatCache } from "./skip/cache/stat-cache.js";
import { FileHasher, NotRegularFile } from "./skip/file-hash.js";
import { fingerprint } from "./skip/fingerprint.js";
import { intactExecution, whyRuns } from "./skip/skip.js";

/** One stage's status. */
export interface StageStatusLine {
  readonly stage: string;
  readonly state: "up_to_date" | "would_run";
  /** Why: the run it matches, or what changed. */
  readonly reasons: string[];
}

/** Where status looks; every field is optional, as for `runPlan`. */
export interface StatusOptions {
  readonly cwd?: string;
  readonly runsDir?: string;
  readonly cacheDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The status of every stage of `plan` with parameter values `values`, in plan order.
 *
 * @example
 * ```ts
 * const { stages } = await planStatus(plan, { run: "alt" });
 * stages[0]; // { stage: "train", state: "would_run", reasons: ["param run changed (r1 -> alt)"] }
 * ```
 */
export async function planStatus(
  plan: Plan,
  values: Readonly<Record<string, ParamValue>>,
  options: StatusOptions = {},
): Promise<{ stages: StageStatusLine[]; warnings: string[] }> {
  const root = path.resolve(options.cwd ?? process.cwd());
  const runsDir = options.runsDir
    ? path.resolve(root, options.runsDir)
    : defaultRunsDir(options.env ?? process.env, root);
  const cacheDir = options.cacheDir ? path.resolve(root, options.cacheDir) : path.join(path.dirname(runsDir), "cache");
  const stats = StatCache.open(path.join(cacheDir, STAT_FILE));
  const hasher = new FileHasher(stats);
  const cache = new RunCache(cacheDir);
  const past = new PastRuns(runsDir, plan.pipeline.id, "");
  const running = new Set<string>();
  const stages: StageStatusLine[] = [];
  for (const stage of plan.stages) {
    const line = await stageStatus(plan, stage, values, { root, hasher, cache, past, running });
    // A gate or a stage without outputs runs every time without changing what comes after it.
    if (line.state === "would_run" && stage.kind === "task" && stage.outputs.length > 0) running.add(stage.id);
    stages.push(line);
  }
  stats.save();
  return { stages, warnings: [...new Set([...stats.warnings, ...cache.warnings])] };
}

interface Env {
  readonly root: string;
  readonly hasher: FileHasher;
  readonly cache: RunCache;
  readonly past: PastRuns;
  readonly running: ReadonlySet<string>;
}

/** The run whose outputs for fingerprint `fp` the output store holds whole, or null. */
async function storedExecution(env: Env, fp: string): Promise<string | null> {
  for (const entry of env.cache.entries(fp))
    if (await env.cache.store.has(entry.outputs, env.hasher)) return entry.runId;
  return null;
}

async function stageStatus(
  plan: Plan,
  stage: Stage,
  values: Readonly<Record<string, ParamValue>>,
  env: Env,
): Promise<StageStatusLine> {
  const would = (...reasons: string[]): StageStatusLine => ({ stage: stage.id, state: "would_run", reasons });
  if (stage.kind === "gate" || stage.command === null) return would("gates are evaluated on every run");
  if (stage.outputs.length === 0) return would("it declares no outputs, so it is never up to date");
  const upstream = stage.dependsOn.filter((d) => env.running.has(d)).map((d) => `upstream ${d} will run`);
  const resolved = resolveStage(stage, values, env.root);
  let f;
  try {
    f = await fingerprint(stage, resolved, values, env.hasher);
  } catch (error) {
    if (error instanceof NotRegularFile) return would(`input ${error.message}`);
    throw error;
  }
  if (f.missing.length > 0)
    return would(...(upstream.length > 0 ? upstream : f.missing.map((m) => `input ${m} does not exist`)));
  const found = await intactExecution(env.cache, () => env.past.lastSuccess(stage.id), f, env.hasher, env.root);
  if (found !== null && upstream.length === 0)
    return {
      stage: stage.id,
      state: "up_to_date",
      reasons: [`same command, params and inputs as run ${shortRunId(found.runId)}`],
    };
  if (found !== null) return would(...upstream);
  const stored = stage.cache === true ? await storedExecution(env, f.fp) : null;
  if (stored !== null && upstream.length === 0)
    return {
      stage: stage.id,
      state: "up_to_date",
      reasons: [`same command, params and inputs as run ${stored}; a run restores its outputs from the output store`],
    };
  const why = await whyRuns(
    env.cache.last(plan.pipeline.id, stage.id),
    f,
    env.cache.entries(f.fp),
    env.past.lastSuccess(stage.id) !== null,
    env.hasher,
    env.root,
  );
  return would(...upstream, why);
}
