/**
 * The planner: a Pipeline (or a Plan written as JSON by another tool) in, a validated and ordered
 * Plan out, or every problem found.
 */
import type { Pipeline } from "../dsl/pipeline.js";
import { metricMismatches } from "../dsl/metric-check.js";
import { levelsAndCriticalPath, topologicalOrder } from "./graph.js";
import { createHash } from "node:crypto";
import { canonicalJson } from "./hash.js";
import { normalizeInfo, normalizeParam, normalizeStage } from "./normalize.js";
import { problem, type Problem } from "./problems.js";
import { PLAN_VERSION, PlanInputSchema, type Param, type PipelineInfo, type Plan, type Stage } from "../plan/schema.js";
import { validate } from "./validate.js";
import { planWarnings } from "./checks/shell.js";
import type { Result } from "../common/result.js";

/** A Plan, or the problems that prevent one. */
export type PlanResult = Result<{ plan: Plan; warnings: Problem[] }, { problems: Problem[] }>;

/**
 * Fields added to the Plan since 0.1, with the value a plan without them implies: left out of the hash
 * while they hold it, so plan.json files of earlier runs keep their hash (resume and `run plan.json`
 * check it). A field added later goes here too.
 */
const ADDED_SINCE_0_1 = {
  pipeline: { airflow: { startDate: null, owner: null, catchup: false, gpuPool: null } },
  param: { derived: null, env: null },
  stage: { queue: null },
} as const;

/** `value` without the added fields that hold their implied value. */
function asBefore(value: object, added: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const [key, implied] of Object.entries(added))
    if (canonicalJson(out[key]) === canonicalJson(implied)) delete out[key];
  return out;
}

/** The content hash of a plan: source locations and derived fields left out. */
export function planHash(info: PipelineInfo, params: readonly Param[], stages: readonly Stage[]): string {
  const { source: _info, ...pipeline } = info;
  // Hashed piece by piece: one canonical string of a 100k-stage plan would be hundreds of MB.
  const hash = createHash("sha256");
  hash.update(
    canonicalJson({
      version: PLAN_VERSION,
      pipeline: asBefore(pipeline, ADDED_SINCE_0_1.pipeline),
      params: params.map((p) => asBefore(p, ADDED_SINCE_0_1.param)),
    }),
  );
  for (const { source: _s, ...stage } of stages)
    hash.update(`\n${canonicalJson(asBefore(stage, ADDED_SINCE_0_1.stage))}`);
  return hash.digest("hex");
}

function build(info: PipelineInfo, params: Param[], stages: Stage[], problems: Problem[]): PlanResult {
  problems.push(...validate(info, params, stages));
  if (problems.length > 0) return { ok: false, problems };
  const nodes = stages.map((s) => ({ id: s.id, dependsOn: s.dependsOn, weight: s.estimateSeconds ?? 1 }));
  const order = topologicalOrder(nodes);
  const ordered = order.map((i) => stages[i]!);
  const { levels, criticalPath } = levelsAndCriticalPath(nodes, order);
  const plan: Plan = {
    version: PLAN_VERSION,
    pipeline: info,
    params,
    stages: ordered,
    levels,
    criticalPath,
    hash: planHash(info, params, ordered),
  };
  return { ok: true, plan, warnings: planWarnings(ordered) };
}

/**
 * Validate and order a pipeline. A valid plan may come with warnings: what is allowed but is
 * probably not what was meant (problems of the same shape).
 *
 * @example
 * ```ts
 * const result = plan(myPipeline);
 * if (!result.ok) console.error(result.problems);
 * else console.log(result.plan.levels);
 * ```
 */
export function plan(pipeline: Pipeline): PlanResult {
  const problems: Problem[] = [];
  const stages = pipeline.stages.map((decl) => normalizeStage(decl, problems, pipeline.id));
  for (const decl of pipeline.stages) {
    if (!decl.gate || !decl.metricKinds) continue;
    for (const m of metricMismatches(decl.id, decl.gate.rules, decl.metricKinds))
      problems.push(problem(m.code, decl.id, m.message, m.hint, { source: decl.source }));
  }
  return build(normalizeInfo(pipeline), pipeline.params.map(normalizeParam), stages, problems);
}

/**
 * Validate a Plan written as JSON (by updraft or another tool) exactly like a pipeline; derived
 * fields are recomputed, and a stated hash must match.
 *
 * @example
 * ```ts
 * const result = planFromJson(JSON.parse(readFileSync("plan.json", "utf8")));
 * ```
 */
export function planFromJson(data: unknown): PlanResult {
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof data === "object" && data !== null && version !== undefined && version !== PLAN_VERSION) {
    return {
      ok: false,
      problems: [
        problem(
          "unsupported-plan-version",
          null,
          `plan version ${JSON.stringify(version)} is not supported`,
          `write a version ${PLAN_VERSION} plan (updraft plan --json prints one)`,
        ),
      ],
    };
  }
  const parsed = PlanInputSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) =>
        problem(
          "invalid-plan-shape",
          null,
          `plan JSON at ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`,
          "compare the file with schema/plan.schema.json",
        ),
      ),
    };
  }
  const input = parsed.data;
  const result = build(input.pipeline, input.params, input.stages, []);
  if (result.ok && input.hash !== undefined && input.hash !== result.plan.hash) {
    return {
      ok: false,
      problems: [
        problem(
          "hash-mismatch",
          null,
          `plan states hash ${input.hash} but its content hashes to ${result.plan.hash}`,
          "the file was edited after it was written: remove the hash field to accept the edit",
        ),
      ],
    };
  }
  return result;
}
