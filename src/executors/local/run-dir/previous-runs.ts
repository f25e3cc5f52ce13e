/**
 * Earlier runs of a pipeline, read from their manifests: the last successful record of each stage
 * (for "up to date"), and the run a `--resume` continues.
 */
import os from "node:os";
import path from "node:path";
import type { Manifest, StageRecord } from "../../../records/manifest.js";
import { RunSetupError } from "../errors.js";
import { isAlive, processStartedAt } from "../process/proc.js";
import { listRunIds, readManifest } from "./run-dir.js";

/** A stage's record in an earlier run. */
export interface PastRecord {
  readonly runId: string;
  readonly record: StageRecord;
}

/**
 * The newest successful record of each stage of a pipeline, found by reading manifests newest
 * first, only as far back as needed. Unreadable manifests are skipped.
 *
 * @example
 * ```ts
 * const past = new PastRuns(".updraft/runs", "rwkv", currentRunId);
 * past.lastSuccess("train"); // { runId, record } or null
 * ```
 */
export class PastRuns {
  /** The run ids to read, newest first: listed on the first lookup, since most runs need none. */
  private ids: string[] | null = null;
  private next = 0;
  private readonly found = new Map<string, PastRecord>();

  constructor(
    private readonly runsDir: string,
    private readonly pipelineId: string,
    private readonly exclude: string,
  ) {}

  lastSuccess(stageId: string): PastRecord | null {
    const ids = (this.ids ??= listRunIds(this.runsDir).filter((id) => id !== this.exclude));
    while (!this.found.has(stageId) && this.next < ids.length) this.read(ids[this.next++]!);
    return this.found.get(stageId) ?? null;
  }

  private read(runId: string): void {
    const got = readManifest(path.join(this.runsDir, runId, "manifest.json"), this.pipelineId);
    if (!got.ok) return;
    for (const record of got.value.stages) {
      const succeeded = record.status === "success" || record.status === "up_to_date";
      if (succeeded && record.fingerprint !== null && !this.found.has(record.id))
        this.found.set(record.id, { runId, record });
    }
  }
}

/**
 * A manifest's status, telling a dead runner's "running" run apart as interrupted (its pid is
 * gone, or now belongs to a process that started after the run did).
 *
 * @example
 * ```ts
 * effectiveStatus(manifestOfKilledRun); // "interrupted"
 * ```
 */
export function effectiveStatus(m: Manifest): Manifest["status"] | "interrupted" {
  if (m.status !== "running" || m.host !== os.hostname() || m.pid === null) return m.status;
  if (!isAlive(m.pid)) return "interrupted";
  // After a restart (of WSL, say) pids start over: a process younger than the run is another one.
  const started = processStartedAt(m.pid);
  // A minute of slack: the boot time that start times count from can drift (WSL clocks do).
  return started !== null && started.getTime() > Date.parse(m.start) + 60_000 ? "interrupted" : "running";
}

const RESUMABLE = new Set(["failed", "cancelled", "interrupted"]);
const LIST_HINT = "updraft history lists the runs (or look in the runs directory)";

function resolveId(runsDir: string, given: string, ids: readonly string[]): string {
  if (ids.includes(given)) return given;
  const matches = ids.filter((id) => id.startsWith(given));
  if (matches.length === 1) return matches[0]!;
  const why = matches.length > 1 ? `"${given}" matches ${matches.length} runs` : `no run "${given}" in ${runsDir}`;
  throw new RunSetupError(`cannot resume: ${why}`, LIST_HINT);
}

/**
 * The run to resume: `runId` (or a unique prefix of it), else the newest failed, cancelled or
 * interrupted run of `pipelineId`. Throws a RunSetupError naming the problem otherwise.
 *
 * @example
 * ```ts
 * const { manifest, warnings } = findResumeTarget(".updraft/runs", "rwkv", null);
 * ```
 */
export function findResumeTarget(
  runsDir: string,
  pipelineId: string | null,
  runId: string | null,
): { manifest: Manifest; warnings: string[] } {
  const ids = listRunIds(runsDir);
  if (runId !== null) {
    const id = resolveId(runsDir, runId, ids);
    const got = readManifest(path.join(runsDir, id, "manifest.json"));
    if (!got.ok) {
      throw new RunSetupError(
        `cannot resume run ${id}: its manifest.json cannot be used: ${got.reason}`,
        `start a new run instead (updraft run without --resume), or restore ${path.join(runsDir, id, "manifest.json")}`,
      );
    }
    const m = got.value;
    if (pipelineId !== null && m.pipelineId !== pipelineId) {
      throw new RunSetupError(
        `cannot resume run ${id}: it is a run of pipeline "${m.pipelineId}", not "${pipelineId}"`,
        `resume it with its own pipeline file, or give a run of "${pipelineId}"`,
      );
    }
    const status = effectiveStatus(m);
    if (!RESUMABLE.has(status)) {
      const why =
        status === "running"
          ? `it is still running (pid ${m.pid} on ${m.host})`
          : "it succeeded; there is nothing to resume";
      throw new RunSetupError(`cannot resume run ${id}: ${why}`, LIST_HINT);
    }
    return { manifest: m, warnings: [] };
  }
  const warnings: string[] = [];
  for (const id of ids) {
    const got = readManifest(path.join(runsDir, id, "manifest.json"));
    if (!got.ok) {
      warnings.push(`skipped run ${id}: its manifest.json cannot be used: ${got.reason}`);
      continue;
    }
    if ((pipelineId === null || got.value.pipelineId === pipelineId) && RESUMABLE.has(effectiveStatus(got.value)))
      return { manifest: got.value, warnings };
  }
  const of = pipelineId === null ? "" : ` of pipeline "${pipelineId}"`;
  throw new RunSetupError(
    `nothing to resume: no failed, cancelled or interrupted run${of} in ${runsDir}`,
    `${LIST_HINT}; start a new run without --resume`,
  );
}
