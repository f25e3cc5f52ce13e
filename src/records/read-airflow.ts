/**
 * Read the audit records an exported Airflow DAG writes under the runs root
 * (`airflow-<run id>/run.json`, `attempts/<stage>.<try>.json`, `gates/<gate>.json`) into a RunView.
 * A SLURM export writes the same records (`slurm-<id>/`, executor "slurm", no Airflow run id).
 * Stage status comes from each stage's last attempt; the run status from the stages.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as z from "../common/zod.js";
import {
  AttemptSchema,
  GateResultSchema,
  OutputRecordSchema,
  type Attempt,
  type GateResult,
  type OutputRecord,
  type StageRecord,
  type StageStatus,
} from "./manifest.js";
import type { Plan } from "../plan/schema.js";
import { resolveTemplate, showTemplate } from "../planner/template.js";
import { readPlanFile } from "./plan-file.js";
import { finishHead, type RunState, type RunTrigger, type RunView } from "./run-view.js";

/** `run.json` of an Airflow run. */
export const AirflowRunSchema = z.object({
  version: z.literal(1),
  executor: z.literal("airflow"),
  runId: z.string(),
  airflowRunId: z.string(),
  pipelineId: z.string(),
  planHash: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** Where each value came from (`dag_run.conf`, `default`, a variable); absent in older records. */
  paramSources: z.record(z.string(), z.string()).optional(),
  host: z.string(),
  user: z.string(),
  start: z.string(),
});

/** `attempts/<stage>.<try>.json` of an Airflow run; a successful task's lists its outputs (older records: none). */
export const AirflowAttemptSchema = z.object({
  stage: z.string(),
  kind: z.enum(["task", "gate"]),
  attempt: AttemptSchema,
  outputs: z.array(OutputRecordSchema).default([]),
});

type AirflowAttempt = z.output<typeof AirflowAttemptSchema>;

/** `run.json` of a run submitted by an exported SLURM submit.sh: Airflow's, without an Airflow run id. */
export const SlurmRunSchema = AirflowRunSchema.omit({ executor: true, airflowRunId: true }).extend({
  executor: z.literal("slurm"),
});

async function jsonFiles<T>(dir: string, schema: z.ZodType<T>, warn: (m: string) => void): Promise<T[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: T[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const file = path.join(dir, name);
    try {
      const parsed = schema.safeParse(JSON.parse(await readFile(file, "utf8")));
      if (parsed.success) out.push(parsed.data);
      else
        warn(
          `${file}: skipped, not a valid record (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`,
        );
    } catch (error) {
      warn(`${file}: skipped, ${(error as Error).message}`);
    }
  }
  return out;
}

const OUTCOME_STATUS: Record<Attempt["outcome"], StageStatus> = {
  running: "running",
  success: "success",
  failed: "failed",
  timeout: "failed",
  cancelled: "cancelled",
  "missing-output": "failed",
};

function stageFromAttempts(
  id: string,
  kind: "task" | "gate",
  records: AirflowAttempt[],
  gate: GateResult | null,
  inputs: string[],
): StageRecord {
  const ordered = [...records].sort((a, b) => a.attempt.attempt - b.attempt.attempt);
  const sorted = ordered.map((r) => r.attempt);
  const last = sorted.at(-1);
  const outputs: OutputRecord[] = last?.outcome === "success" ? ordered.at(-1)!.outputs : [];
  let status: StageStatus = last ? OUTCOME_STATUS[last.outcome] : "pending";
  if (!last && gate) status = gate.verdict === "PASS" || gate.severity === "warn" ? "success" : "failed";
  const reason =
    gate?.verdict === "FAIL"
      ? gate.reason
      : last && last.outcome !== "success" && last.outcome !== "running"
        ? `attempt ${last.attempt} ended: ${last.outcome}`
        : null;
  return { id, kind, status, reason, attempts: sorted, outputs, gate, fingerprint: null, inputs };
}

function resolved(plan: Plan, stageId: string, params: RunView["params"]): string[] {
  const stage = plan.stages.find((s) => s.id === stageId);
  return (stage?.inputs ?? []).map((t) => {
    try {
      return resolveTemplate(t, params);
    } catch {
      return showTemplate(t);
    }
  });
}

/** Stages without an attempt below a failure did not run because of it. */
function markUpstream(plan: Plan, stages: Map<string, StageRecord>): void {
  const bad = new Set<StageStatus>(["failed", "upstream_failed", "blocked", "cancelled"]);
  for (const s of plan.stages) {
    const rec = stages.get(s.id);
    if (!rec || rec.attempts.length > 0 || rec.gate) continue;
    const cause = s.dependsOn.map((d) => stages.get(d)).find((d) => d && bad.has(d.status));
    if (!cause) continue;
    const status: StageStatus = cause.kind === "gate" || cause.status === "blocked" ? "blocked" : "upstream_failed";
    stages.set(s.id, { ...rec, status, reason: `upstream stage "${cause.id}" did not succeed` });
  }
}

function runStatus(stages: readonly StageRecord[]): RunState {
  const has = (...st: StageStatus[]) => stages.some((s) => st.includes(s.status));
  if (stages.length === 0 || has("running", "waiting")) return "running";
  if (has("failed", "upstream_failed", "blocked")) return "failed";
  if (has("cancelled")) return "cancelled";
  return has("pending") ? "running" : "success";
}

function trigger(airflowRunId: string): RunTrigger {
  if (airflowRunId.startsWith("scheduled__")) return "schedule";
  if (airflowRunId.startsWith("backfill__")) return "backfill";
  return "manual";
}

function buildStages(
  plan: Plan | null,
  attempts: AirflowAttempt[],
  gates: GateResult[],
  params: RunView["params"],
): StageRecord[] {
  const firstStart = (id: string) =>
    attempts
      .filter((a) => a.stage === id)
      .map((a) => a.attempt.start)
      .sort()[0] ?? "";
  const seen = [...new Set([...attempts.map((a) => a.stage), ...gates.map((g) => g.gate)])].sort((a, b) =>
    firstStart(a).localeCompare(firstStart(b)),
  );
  const order = plan
    ? [...plan.stages.map((s) => s.id), ...seen.filter((id) => !plan.stages.some((s) => s.id === id))]
    : seen;
  const map = new Map<string, StageRecord>();
  for (const id of order) {
    const mine = attempts.filter((a) => a.stage === id);
    const kind =
      plan?.stages.find((s) => s.id === id)?.kind ??
      mine[0]?.kind ??
      (gates.some((g) => g.gate === id) ? "gate" : "task");
    const gate = gates.find((g) => g.gate === id) ?? null;
    map.set(id, stageFromAttempts(id, kind, mine, gate, plan ? resolved(plan, id, params) : []));
  }
  if (plan) markUpstream(plan, map);
  return [...map.values()];
}

/**
 * Read one Airflow run directory, given its parsed `run.json`; a string says why it is not a run.
 *
 * @example
 * ```ts
 * const run = await readAirflowRun(dir, JSON.parse(readFileSync(`${dir}/run.json`, "utf8")), console.warn);
 * ```
 */
export async function readAirflowRun(
  dir: string,
  runJson: unknown,
  warn: (m: string) => void,
): Promise<RunView | string> {
  const slurm = (runJson as { executor?: unknown } | null)?.executor === "slurm";
  const parsed = (slurm ? SlurmRunSchema : AirflowRunSchema).safeParse(runJson);
  if (!parsed.success)
    return `not a valid ${slurm ? "SLURM" : "Airflow"} run record (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`;
  const run = parsed.data;
  const [attempts, gates, planFile] = await Promise.all([
    jsonFiles(path.join(dir, "attempts"), AirflowAttemptSchema, warn),
    jsonFiles(path.join(dir, "gates"), GateResultSchema, warn),
    readPlanFile(dir),
  ]);
  if (!planFile.ok && !planFile.missing) warn(`${planFile.message}; stage order taken from the attempts`);
  const stages = buildStages(planFile.ok ? planFile.plan : null, attempts, gates, run.params);
  const status = runStatus(stages);
  const ends = stages
    .flatMap((s) => s.attempts.map((a) => a.end ?? ""))
    .filter(Boolean)
    .sort();
  const head = finishHead(
    {
      id: path.basename(dir),
      dir,
      executor: run.executor,
      runId: run.runId,
      pipelineId: run.pipelineId,
      planHash: run.planHash,
      params: run.params,
      paramSources: run.paramSources ?? null,
      git: null,
      user: run.user,
      host: run.host,
      pid: null,
      trigger: run.executor === "airflow" ? trigger(run.airflowRunId) : "manual",
      resumeOf: null,
      selection: { only: [], from: [], force: false },
      start: run.start,
      end: status === "running" ? null : (ends.at(-1) ?? run.start),
      status,
    },
    stages,
  );
  return { ...head, stages };
}
