/**
 * `--only` and `--from`: which part of the DAG a run covers.
 */
import type { Plan } from "../../../plan/schema.js";
import { didYouMean } from "../../../common/did-you-mean.js";
import { RunSetupError } from "../errors.js";

/** The stages a run covers, and why each of the others is left out. */
export interface Selection {
  readonly selected: ReadonlySet<string>;
  readonly reasons: ReadonlyMap<string, string>;
}

/**
 * Select `only` (just those stages) and `from` (those stages and everything downstream); with
 * neither, every stage. A name that is not a stage throws a RunSetupError.
 *
 * @example
 * ```ts
 * selectStages(plan, [], ["train"]).selected; // Set { "train", "eval", "release" }
 * ```
 */
export function selectStages(plan: Plan, only: readonly string[], from: readonly string[]): Selection {
  const ids = plan.stages.map((s) => s.id);
  const unknown = [...only, ...from].filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new RunSetupError(
      `no stage named ${unknown.map((u) => `"${u}"`).join(", ")} in pipeline ${plan.pipeline.id}`,
      `${unknown.length === 1 ? didYouMean(unknown[0]!, ids) : ""}stages are: ${ids.join(", ")}`,
    );
  }
  if (only.length === 0 && from.length === 0) return { selected: new Set(ids), reasons: new Map() };
  const selected = new Set(only);
  const downstream = new Set(from);
  // Plan stages are in topological order, so one pass finds everything downstream.
  for (const s of plan.stages) if (s.dependsOn.some((d) => downstream.has(d))) downstream.add(s.id);
  for (const id of downstream) selected.add(id);
  const asked = [...only.map((o) => `--only ${o}`), ...from.map((f) => `--from ${f}`)].join(" ");
  const reasons = new Map(ids.filter((id) => !selected.has(id)).map((id) => [id, `outside ${asked}`]));
  return { selected, reasons };
}
