/**
 * The `plan.json` kept beside a run record: the Plan the run executed.
 */
import path from "node:path";
import { PlanSchema, type Plan } from "../plan/schema.js";
import { mapLimit } from "./pool.js";
import { readJsonFileAsync } from "../common/json-file.js";
import type { Result } from "../common/result.js";

/** A plan.json read back, or why it could not be. */
export type PlanFileResult = Result<{ plan: Plan }, { missing: boolean; message: string }>;

/**
 * Read and validate `<runDir>/plan.json`.
 *
 * @example
 * ```ts
 * const result = await readPlanFile(".updraft/runs/20250301-0930-ab12");
 * if (result.ok) console.log(result.plan.levels);
 * ```
 */
export async function readPlanFile(runDir: string): Promise<PlanFileResult> {
  const file = path.join(runDir, "plan.json");
  const read = await readJsonFileAsync(file);
  if (!read.ok) {
    const message = read.failure === "invalid" ? `invalid JSON (${read.message})` : read.message;
    return { ok: false, missing: read.failure === "missing", message: `${file}: ${message}` };
  }
  const parsed = PlanSchema.safeParse(read.data);
  if (parsed.success) return { ok: true, plan: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    missing: false,
    message: `${file}: not a plan (${issue?.path.join(".") || "(root)"}: ${issue?.message})`,
  };
}

/** What plansOf needs of a run. */
export interface PlanSource {
  dir: string;
  pipelineId: string;
  planHash: string;
  executor: "local" | "airflow" | "slurm";
}

/**
 * The plan of each distinct pipeline and plan hash among `runs`, read from the newest runs that
 * kept one (a few tries per plan, local runs first; Airflow runs exported before plan.json was
 * kept have none); null when none
 * did. Keys are `pipelineId + "\0" + planHash`.
 *
 * @example
 * ```ts
 * const plans = await plansOf(runs, (m) => process.stderr.write(`warning: ${m}\n`));
 * ```
 */
export async function plansOf(
  runs: readonly PlanSource[],
  warn: (message: string) => void,
): Promise<Map<string, Plan | null>> {
  const byKey = new Map<string, { local: string[]; other: string[] }>();
  for (const run of runs) {
    const key = `${run.pipelineId}\u0000${run.planHash}`;
    const entry = byKey.get(key) ?? { local: [], other: [] };
    const list = run.executor === "local" ? entry.local : entry.other;
    if (list.length < 3) list.push(run.dir);
    byKey.set(key, entry);
  }
  const entries = await mapLimit([...byKey], 16, async ([key, { local, other }]): Promise<[string, Plan | null]> => {
    for (const dir of [...local, ...other].slice(0, 3)) {
      const result = await readPlanFile(dir);
      if (result.ok) return [key, result.plan];
      if (!result.missing) warn(`${result.message}; skipped`);
    }
    return [key, null];
  });
  return new Map(entries);
}
