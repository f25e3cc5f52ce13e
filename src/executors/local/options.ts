/**
 * Options of a local run, and their defaults.
 */
import os from "node:os";
import type { Manifest } from "../../records/manifest.js";
import type { OutputMode, TextStream } from "./output/reporter.js";

/** How `runPlan` runs a Plan. Every field is optional. */
export interface RunOptions {
  /** Where each parameter's value came from (resolveParams' `sources`), kept in the manifest. */
  readonly paramSources?: Readonly<Record<string, string>>;
  /** The directory the run starts in (relative paths, `cwd: null`); default: process.cwd(). */
  readonly cwd?: string;
  /** Root of run directories; default: UPDRAFT_RUNS_DIR, else `.updraft/runs` under `cwd`. */
  readonly runsDir?: string;
  /** The run cache and stat cache; default: `cache` next to the runs directory (`.updraft/cache`). */
  readonly cacheDir?: string;
  /** Remember file hashes by stat between runs (default true); false hashes every input again. */
  readonly statCache?: boolean;
  /** Run stages whose upstream blocking gate failed on the same inputs (with --only/--from). */
  readonly ignoreGates?: boolean;
  /** The environment stages extend and secrets come from; default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Stage processes at once; default: the number of CPUs. */
  readonly concurrency?: number;
  /** GPU slots; default: UPDRAFT_GPUS, else `nvidia-smi -L`. */
  readonly gpus?: number | string | null;
  /** Directory of the machine-wide GPU lock files; default: UPDRAFT_LOCK_DIR, else under the temp dir. */
  readonly lockDir?: string;
  /** Time between SIGTERM and SIGKILL when a stage is stopped; default 5000. */
  readonly graceMs?: number;
  /** Run stages even when they are up to date. */
  readonly force?: boolean;
  /** Run just these stages. */
  readonly only?: readonly string[];
  /** Run these stages and everything downstream. */
  readonly from?: readonly string[];
  /** Stop everything at the first failure. */
  readonly failFast?: boolean;
  /** Continue this run (a manifest read with `findResumeTarget`) in a new run directory. */
  readonly resume?: Manifest | null;
  /** How progress is shown; default "auto". */
  readonly output?: OutputMode;
  /** Print why each stage that starts runs (`updraft run --explain`). */
  readonly explain?: boolean;
  /** Stream stage output as `[stage] line`. */
  readonly verbose?: boolean;
  /** Where progress goes (default stderr) and where the summary goes (default stdout). */
  readonly stream?: TextStream;
  readonly summaryStream?: TextStream;
  /** Aborting it stops the run as a first Ctrl-C does. */
  readonly signal?: AbortSignal;
  /** Handle SIGINT, SIGTERM and SIGHUP of this process (the CLI sets it). */
  readonly handleSignals?: boolean;
  /**
   * When the pipeline's `maxActiveRuns` runs already go on in this runs directory: wait for one to
   * end (true), or refuse at once with a RunSetupError naming them (false, the default).
   */
  readonly wait?: boolean;
  /**
   * Give the one `only` stage this process's terminal (stdin, stdout, stderr), to debug it: one
   * attempt, no timeout, run even when up to date, with its env, params and GPU lease as in a run.
   * Its output is neither logged nor masked; Ctrl-C reaches it and ends the run.
   */
  readonly interactive?: boolean;
  /** Least time between two manifest writes; default 50. */
  readonly writeGapMs?: number;
}

/**
 * The default number of stages run at once: the number of CPUs.
 *
 * @example
 * ```ts
 * defaultConcurrency(); // 8 on an 8-core machine
 * ```
 */
export function defaultConcurrency(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length || 1;
}
