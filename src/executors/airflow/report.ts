/**
 * The export report: every place where the exported DAG cannot behave exactly as the Plan says,
 * as data. Printed on stderr by the CLI, written into the DAG file's header, and an error under
 * `--strict`.
 */
import { formatDuration } from "../../planner/duration.js";
import { fixedGpus, needsGpu } from "../../planner/params.js";
import { plural } from "../../common/plural.js";
import { retryDelays } from "../../planner/retry.js";
import type { Plan, Stage } from "../../plan/schema.js";

/** One difference between the Plan and what Airflow will do. */
export interface ExportIssue {
  /** Kebab-case reason code. */
  readonly code:
    | "retry-multiplier"
    | "retry-jitter"
    | "retry-delay-cap"
    | "tag-too-long"
    | "glob-braces"
    | "gpu-pool-hosts"
    | "gpu-count-param";
  /** Stages concerned (empty for pipeline-wide issues). */
  readonly stages: readonly string[];
  /** One or two sentences: what differs and on which Airflow versions. */
  readonly message: string;
}

/** Airflow's `[core] max_task_retry_delay` default, which caps backoff delays before 3.3. */
const MAX_TASK_RETRY_DELAY = 24 * 60 * 60;
const MAX_TAG_LENGTH = 100;

function seconds(s: number): string {
  return formatDuration(s);
}

/** Airflow's wait before each retry under backoff before 3.3: [least, most] seconds. */
function jitterRanges(stage: Stage): [number, number][] {
  const r = stage.retry;
  const cap = (x: number) => Math.min(x, r.maxDelaySeconds ?? Infinity, MAX_TASK_RETRY_DELAY);
  return Array.from({ length: r.retries }, (_, i) => {
    const low = Math.max(1, Math.ceil(r.delaySeconds * r.multiplier ** i));
    return [cap(low), cap(2 * low - 1)];
  });
}

function retryIssues(stages: readonly Stage[]): ExportIssue[] {
  const retrying = stages.filter((s) => s.retry.retries > 0 && s.retry.multiplier !== 1);
  const issues: ExportIssue[] = [];
  const odd = retrying.filter((s) => s.retry.multiplier !== 2);
  if (odd.length > 0) {
    const list = [...new Set(odd.map((s) => s.retry.multiplier))].sort((a, b) => a - b).join(", ");
    issues.push({
      code: "retry-multiplier",
      stages: odd.map((s) => s.id),
      message: `backoff multiplier ${list}: Airflow 2.10 to 3.1 only doubles (multiplier 2); 3.2 takes the multiplier; 3.3+ waits exactly the planned delays`,
    });
  }
  const jittered = retrying.filter((s) =>
    jitterRanges(s).some(([low, high], i) => low !== high || low !== retryDelays(s.retry)[i]),
  );
  if (jittered.length > 0) {
    const example = jittered[0]!;
    const ranges = jitterRanges(example).map(([low, high]) =>
      low === high ? seconds(low) : `${seconds(low)}-${seconds(high)}`,
    );
    issues.push({
      code: "retry-jitter",
      stages: jittered.map((s) => s.id),
      message: `exponential backoff: Airflow 2.10 to 3.2 add jitter, so each retry waits between the planned delay (in whole seconds, at least 1) and about twice it (${example.id}: ${ranges.join(", ")} instead of ${retryDelays(example.retry).map(seconds).join(", ")}); Airflow 3.3+ waits exactly the planned delays`,
    });
  }
  const capped = retrying.filter((s) => retryDelays(s.retry).some((d) => d > MAX_TASK_RETRY_DELAY));
  if (capped.length > 0) {
    issues.push({
      code: "retry-delay-cap",
      stages: capped.map((s) => s.id),
      message: `retry delays above 24h: Airflow 2.10 to 3.2 cap backoff delays at [core] max_task_retry_delay (default 24h)`,
    });
  }
  return issues;
}

/**
 * GPU stages routed to two or more queues (GPU hosts) share one pool, a global counter: sized for one
 * stage, it lets one host's GPU stages wait for another's. Silent once the export was given the slots,
 * and for one queue (which may well be one host).
 */
function poolIssues(plan: Plan, pool: { pool: string; poolSlots?: number | undefined }): ExportIssue[] {
  const routed = plan.stages.filter((s) => needsGpu(s) && s.queue !== null);
  const distinct = [...new Set(routed.map((s) => s.queue))].sort();
  if (distinct.length < 2 || pool.poolSlots !== undefined) return [];
  const queues = distinct.join(", ");
  const slots = poolSlots(plan);
  return [
    {
      code: "gpu-pool-hosts",
      stages: routed.map((s) => s.id),
      message: `GPU stages go to queues ${queues}: every host shares the pool ${pool.pool}, sized ${plural(slots, "slot")} (the most GPUs one stage needs), so GPU stages on different hosts may wait for each other where updraft run on each host would not; export with --pool-slots set to the GPUs of all the hosts serving those queues (their sum; each host's GPU leases, UPDRAFT_GPUS and UPDRAFT_LOCK_DIR, keep its stages within its own GPUs)`,
    },
  ];
}

/**
 * Every difference between the Plan and the exported DAG's behaviour, in a fixed order; `pool` is
 * the GPU pool the export writes (its slots when given, see AirflowOptions.poolSlots).
 *
 * @example
 * ```ts
 * exportReport(plan).map((i) => i.code); // ["retry-jitter"]
 * ```
 */
export function exportReport(
  plan: Plan,
  pool: { pool: string; poolSlots?: number | undefined } = { pool: "gpu" },
): ExportIssue[] {
  const issues = retryIssues(plan.stages);
  const long = plan.pipeline.tags.filter((t) => t.length > MAX_TAG_LENGTH);
  if (long.length > 0) {
    issues.push({
      code: "tag-too-long",
      stages: [],
      message: `tags longer than ${MAX_TAG_LENGTH} characters are cut to ${MAX_TAG_LENGTH} (Airflow's limit): ${long.map((t) => JSON.stringify(t.slice(0, 20) + "...")).join(", ")}`,
    });
  }
  for (const s of plan.stages) {
    if (typeof s.gpu === "number") continue;
    const slots = fixedGpus(plan.params, s);
    issues.push({
      code: "gpu-count-param",
      stages: [s.id],
      message: `the GPU count comes from parameter ${s.gpu.param}: the task leases as many devices as the run's value (CUDA_VISIBLE_DEVICES, as updraft run does), but Airflow fixes pool_slots when it parses the DAG, so the task always takes ${plural(slots, "slot")} of the GPU pool (the parameter's default, or 1 without one) whatever the value; under UPDRAFT_GPU_LEASE=pool those slots are its whole lease`,
    });
  }
  const braces = plan.stages.filter((s) => [...s.inputs, ...s.outputs].some(hasBraces));
  if (braces.length > 0) {
    issues.push({
      code: "glob-braces",
      stages: braces.map((s) => s.id),
      message:
        "a declared path uses a glob brace or extglob group ({a,b}, @(x)), which Python's glob on the worker does not expand: the task checks it as a literal path; declare one pattern per alternative",
    });
  }
  return [...issues, ...poolIssues(plan, pool)];
}

/** Whether a declared path's text has a brace or extglob group (what tinyglobby expands, Python does not). */
function hasBraces(t: Plan["stages"][number]["outputs"][number]): boolean {
  const text = t.map((part) => (typeof part === "string" ? part : "x")).join("");
  return /\{[^{}]*(,|\.\.)[^{}]*\}|[@!+*?]\(/.test(text);
}

/**
 * Slots of the GPU pool: the most GPUs any stage needs, at least 1.
 *
 * @example
 * ```ts
 * poolSlots(plan); // 1
 * ```
 */
export function poolSlots(plan: Plan): number {
  return Math.max(1, ...plan.stages.map((s) => fixedGpus(plan.params, s)));
}

/**
 * One report entry as a line of text (stage lists shortened after five names).
 *
 * @example
 * ```ts
 * formatIssue({ code: "retry-jitter", stages: ["train"], message: "..." }); // "retry-jitter [train]: ..."
 * ```
 */
export function formatIssue(issue: ExportIssue): string {
  const shown = issue.stages.slice(0, 5).join(", ");
  const more = issue.stages.length > 5 ? ` and ${issue.stages.length - 5} more` : "";
  const where = issue.stages.length > 0 ? ` [${shown}${more}]` : "";
  return `${issue.code}${where}: ${issue.message}`;
}
