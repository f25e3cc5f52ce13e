/**
 * What every part of a running run shares.
 */
import type { Manifest } from "../../records/manifest.js";
import type { Plan } from "../../plan/schema.js";
import type { ParamValue } from "../../planner/template.js";
import type { RunEvent } from "./output/events.js";
import type { FileHasher } from "./skip/file-hash.js";
import type { RunCache } from "./skip/cache/run-cache.js";
import type { GpuPool } from "./gpu/gpu-leases.js";
import type { ManifestStore } from "./run-dir/manifest-store.js";
import type { PastRuns } from "./run-dir/previous-runs.js";
import type { RunPaths } from "./run-dir/run-dir.js";
import type { Slots } from "./schedule/slots.js";
import type { Spawner } from "./process/spawner.js";

/** How a stage ended, as far as its dependents care. */
export type StageOutcome = "ok" | "failed" | "blocked" | "cancelled";

/** The shared state of one run. */
export interface RunContext {
  readonly plan: Plan;
  readonly values: Readonly<Record<string, ParamValue>>;
  /** The directory the run started in: relative paths and `cwd: null` mean this. */
  readonly root: string;
  readonly runId: string;
  readonly paths: RunPaths;
  readonly store: ManifestStore<RunEvent>;
  /** The parent environment stages extend. */
  readonly env: Readonly<Record<string, string>>;
  /** Secret values to mask in logs and output. */
  readonly secrets: readonly string[];
  readonly gpus: GpuPool | null;
  readonly slots: Slots;
  /** Starts stage processes from a small helper process; see spawner.ts. */
  readonly spawner: Spawner | null;
  readonly hasher: FileHasher;
  /** Successful executions by fingerprint (`.updraft/cache`), kept apart from run directories. */
  readonly cache: RunCache;
  readonly past: PastRuns;
  /** The run being resumed, if any. */
  readonly resumed: Manifest | null;
  readonly force: boolean;
  readonly graceMs: number;
  /** The one selected stage has the terminal (`run --only STAGE --interactive`). */
  readonly interactive: boolean;
  /** Stream stage output as `[stage] line` events. */
  readonly verbose: boolean;
  /** Aborted to stop gracefully (Ctrl-C, --fail-fast); its reason says why. */
  readonly stop: AbortController;
  /** Aborted to kill everything at once (a second Ctrl-C). */
  readonly kill: AbortController;
}
