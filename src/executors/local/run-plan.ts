/**
 * `runPlan`: run a Plan on this machine and return its manifest. The one entry point of the local
 * executor, used by `updraft run` and by tests.
 */
import { setMaxListeners } from "node:events";
import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MANIFEST_VERSION, type Manifest, type StageRecord } from "../../records/manifest.js";
import type { Plan } from "../../plan/schema.js";
import type { ParamValue } from "../../planner/template.js";
import { gpuSlots, positiveInt, secretValues } from "./checks.js";
import type { RunContext } from "./context.js";
import type { RunEvent } from "./output/events.js";
import { FileHasher } from "./skip/file-hash.js";
import { RunCache } from "./skip/cache/run-cache.js";
import { STAT_FILE, StatCache } from "./skip/cache/stat-cache.js";
import { checkInputs } from "./skip/input-check.js";
import { defaultLockDir, GpuPool } from "./gpu/gpu-leases.js";
import { ManifestStore } from "./run-dir/manifest-store.js";
import { defaultConcurrency, type RunOptions } from "./options.js";
import { PastRuns } from "./run-dir/previous-runs.js";
import { createReporter } from "./output/reporter.js";
import { stopLeftovers } from "./process/leftovers.js";
import { currentUser, gitState } from "./run-dir/run-meta.js";
import { defaultRunsDir, newRunId, runPaths, writeFileAtomic, type RunPaths } from "./run-dir/run-dir.js";
import { storageError } from "./run-dir/storage.js";
import { schedule } from "./schedule/scheduler.js";
import { guardGates } from "./schedule/gate-guard.js";
import { checkInteractive, selectStages, type Selection } from "./schedule/selection.js";
import { watchSignals, INTERRUPTED } from "./schedule/signals.js";
import { Slots } from "./schedule/slots.js";
import { Spawner } from "./process/spawner.js";
import { holdRunSlot } from "./run-dir/run-lock.js";

function stringEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function initialRecord(id: string, kind: StageRecord["kind"], notSelected: string | undefined): StageRecord {
  return {
    id,
    kind,
    status: notSelected === undefined ? "pending" : "not_selected",
    reason: notSelected ?? null,
    attempts: [],
    outputs: [],
    gate: null,
    fingerprint: null,
    inputs: [],
  };
}

function finalStatus(m: Manifest, interrupted: boolean): Manifest["status"] {
  if (interrupted) return "cancelled";
  const bad = m.stages.some((s) => s.status === "failed" || s.status === "upstream_failed" || s.status === "blocked");
  if (bad) return "failed";
  return m.stages.some((s) => s.status === "cancelled") ? "cancelled" : "success";
}

/**
 * Run `plan` with parameter values `values`: stages as real processes, in parallel where the DAG
 * allows, with retries, timeouts, GPU leases, up-to-date skipping and a crash-safe manifest.
 * Resolves to the final manifest (its `status` says how the run ended); rejects with a
 * RunSetupError, before anything runs, when the run cannot start.
 *
 * @example
 * ```ts
 * const manifest = await runPlan(plan, { who: "Ada" }, { concurrency: 2, output: "plain" });
 * process.exitCode = manifest.status === "success" ? 0 : 1;
 * ```
 */
export async function runPlan(
  plan: Plan,
  values: Readonly<Record<string, ParamValue>>,
  options: RunOptions = {},
): Promise<Manifest> {
  const setup = check(plan, values, options);
  if (setup.selection.reasons.size > 0 && !options.ignoreGates)
    await guardGates(plan, setup.selection.selected, values, setup.root, setup.runsDir);
  // Output that must pass through the runner (secrets to mask, --verbose) is read here; the rest
  // is started by the helper, which boots when the first stage that must run is found.
  const spawner =
    setup.secrets.length === 0 && !options.verbose && !options.interactive ? new Spawner(stringEnv(setup.env)) : null;
  try {
    const runId = newRunId();
    const slot = await holdRunSlot(plan, runId, setup.runsDir, options);
    try {
      return await execute(plan, values, options, setup, spawner, runId);
    } finally {
      slot.release();
    }
  } finally {
    spawner?.close();
  }
}

/** The run itself, once the checks passed. */
async function execute(
  plan: Plan,
  values: Readonly<Record<string, ParamValue>>,
  options: RunOptions,
  setup: Setup,
  spawner: Spawner | null,
  runId: string,
): Promise<Manifest> {
  const reporter = createReporter({
    mode: options.output ?? "auto",
    verbose: options.verbose ?? false,
    explain: options.explain ?? false,
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.summaryStream ? { summaryStream: options.summaryStream } : {}),
  });
  const resumed = options.resume ?? null;
  const leftovers = resumed ? await stopLeftovers(resumed, options.graceMs ?? 5000) : [];
  const paths = runPaths(setup.runsDir, runId);
  const manifest = firstManifest(plan, values, runId, setup, options);
  const store = new ManifestStore<RunEvent>(
    paths.manifest,
    manifest,
    (events) => events.forEach((e) => reporter.event(e)),
    { minGapMs: options.writeGapMs ?? 50 },
  );
  createRunDir(plan, paths, store);
  const stats = options.statCache === false ? null : StatCache.open(path.join(setup.cacheDir, STAT_FILE));
  const stop = new AbortController();
  const ctx: RunContext = {
    plan,
    values,
    root: setup.root,
    runId,
    paths,
    store,
    env: stringEnv(setup.env),
    secrets: setup.secrets,
    resumed,
    gpus: setup.gpuCount === null ? null : new GpuPool(options.lockDir ?? defaultLockDir(setup.env), setup.gpuCount),
    slots: new Slots(setup.concurrency),
    spawner,
    hasher: new FileHasher(stats, stop.signal),
    cache: new RunCache(setup.cacheDir),
    past: new PastRuns(setup.runsDir, plan.pipeline.id, runId),
    force: (options.force ?? false) || (options.interactive ?? false),
    interactive: options.interactive ?? false,
    graceMs: options.graceMs ?? 5000,
    verbose: options.verbose ?? false,
    stop,
    kill: new AbortController(),
  };
  // Every stage waiting for a slot, a GPU or a retry listens to these; that is no leak.
  setMaxListeners(0, ctx.stop.signal, ctx.kill.signal);
  const unwatch = watchSignals(ctx, options);
  try {
    store.change(
      null,
      () => undefined,
      {
        type: "run-start",
        at: Date.now(),
        runId,
        runDir: paths.dir,
        pipelineId: plan.pipeline.id,
        stages: plan.stages.length,
        resumeOf: manifest.resumeOf,
        notSelected: setup.selection.reasons.size,
      },
      ...[...leftovers, ...(stats?.warnings ?? [])].map((text): RunEvent => ({ type: "note", at: Date.now(), text })),
    );
    // The stat cache checks a directory's entries when a stage first looks one up: later warnings.
    const statWarningsShown = stats?.warnings.length ?? 0;
    await schedule(ctx, setup.selection.selected, { failFast: options.failFast ?? false });
    stats?.save();
    for (const text of new Set([...(stats?.warnings.slice(statWarningsShown) ?? []), ...ctx.cache.warnings]))
      store.announceLater({ type: "note", at: Date.now(), text });
    const interrupted = ctx.stop.signal.reason === INTERRUPTED;
    store.change(null, (_, m) => {
      m.status = finalStatus(m, interrupted);
      m.end = new Date().toISOString();
    });
    // The manifest on disk stays the last one written whole: a resume continues from there.
    await store.close().catch((error: unknown) => {
      reporter.close();
      throw storageError(error, paths.manifest, runId);
    });
  } finally {
    unwatch();
  }
  reporter.event({ type: "run-end", at: Date.now(), manifest, runDir: paths.dir });
  reporter.close();
  return manifest;
}

/** The run directory with its plan and first manifest, or nothing at all (a StorageError says why). */
function createRunDir(plan: Plan, paths: RunPaths, store: ManifestStore<RunEvent>): void {
  try {
    mkdirSync(path.join(paths.dir, "logs"), { recursive: true });
    writeFileAtomic(paths.plan, `${JSON.stringify(plan, null, 2)}\n`);
    // Before anything runs, so that a run directory always has a manifest.
    store.flush();
  } catch (error) {
    rmSync(paths.dir, { recursive: true, force: true, maxRetries: 0 });
    throw storageError(error, paths.dir);
  }
}

interface Setup {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly root: string;
  readonly runsDir: string;
  readonly cacheDir: string;
  readonly selection: Selection;
  readonly secrets: string[];
  readonly gpuCount: number | null;
  readonly concurrency: number;
}

/** Everything that must hold before anything runs; throws a RunSetupError otherwise. */
function check(plan: Plan, values: Readonly<Record<string, ParamValue>>, options: RunOptions): Setup {
  const env = options.env ?? process.env;
  const root = path.resolve(options.cwd ?? process.cwd());
  const selection = selectStages(plan, options.only ?? [], options.from ?? []);
  if (options.interactive) checkInteractive(plan, options);
  checkInputs(plan, selection.selected, values, root);
  const runsDir = options.runsDir ? path.resolve(root, options.runsDir) : defaultRunsDir(env, root);
  return {
    env,
    root,
    selection,
    runsDir,
    cacheDir: options.cacheDir ? path.resolve(root, options.cacheDir) : path.join(path.dirname(runsDir), "cache"),
    secrets: secretValues(plan, selection.selected, env),
    gpuCount: gpuSlots(plan, selection.selected, values, options.gpus ?? null, env),
    concurrency: positiveInt(options.concurrency ?? defaultConcurrency(), "--concurrency"),
  };
}

/** The manifest as the run starts: every stage pending or not selected. */
function firstManifest(
  plan: Plan,
  values: Readonly<Record<string, ParamValue>>,
  runId: string,
  setup: Setup,
  options: RunOptions,
): Manifest {
  const resumed = options.resume ?? null;
  return {
    version: MANIFEST_VERSION,
    runId,
    pipelineId: plan.pipeline.id,
    planHash: plan.hash,
    executor: "local",
    params: { ...values },
    ...(options.paramSources ? { paramSources: { ...options.paramSources } } : {}),
    git: gitState(setup.root),
    user: currentUser(),
    host: os.hostname(),
    pid: process.pid,
    trigger: resumed ? "resume" : "manual",
    resumeOf: resumed?.runId ?? null,
    selection: {
      only: [...(options.only ?? [])],
      from: [...(options.from ?? [])],
      force: options.force ?? false,
      ...(options.ignoreGates ? { ignoreGates: true } : {}),
    },
    start: new Date().toISOString(),
    end: null,
    status: "running",
    stages: plan.stages.map((s) => initialRecord(s.id, s.kind, setup.selection.reasons.get(s.id))),
  };
}
