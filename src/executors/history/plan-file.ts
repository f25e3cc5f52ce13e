/**
 * The `plan.json` kept beside a run record: the Plan the run executed.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PlanSchema, type Plan } from "../../planner/schema.js";
import { mapLimit } from "./pool.js";

/** A plan.json read back, or why it could not be. */
export type PlanFileResult = { ok: true; plan: Plan } | { ok: false; missing: boolean; message: string };

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
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return { ok: false, missing, message: `${file}: ${(error as Error).message}` };
  }
  try {
    const parsed = PlanSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: true, plan: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, missing: false, message: `${file}: not a plan (${issue?.path.join(".") || "(root)"}: ${issue?.message})` };
  } catch (error) {
    return { ok: false, missing: false, message: `${file}: invalid JSON (${(error as Error).message})` };
  }
}

/**
 * The plan of each distinct pipeline and plan hash among `runs`, read from the newest runs that
 * kept one (a few tries per plan); null when none did. Keys are `pipelineId + "\0" + planHash`.
 *
 * @example
 * ```ts
 * const plans = await plansOf(runs, (m) => process.stderr.write(`warning: ${m}\n`));
 * ```
 */
export async function plansOf(
  runs: readonly { dir: string; pipelineId: string; planHash: string }[],
  warn: (message: string) => void,
): Promise<Map<string, Plan | null>> {
  const byKey = new Map<string, { dir: string }[]>();
  for (const run of runs) {
    const key = `${run.pipelineId}\u0000${run.planHash}`;
    const list = byKey.get(key) ?? [];
    if (list.length < 3) list.push(run);
    byKey.set(key, list);
  }
  const entries = await mapLimit([...byKey], 16, async ([key, candidates]): Promise<[string, Plan | null]> => {
      for (const run of candidates) {
        const result = await readPlanFile(run.dir);
        if (result.ok) return [key, result.plan];
        if (!result.missing) warn(`${result.message}; skipped`);
      }
      return [key, null];
  });
  return new Map(entries);
}
