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
 * `--interactive` gives the terminal to one stage that runs a process: exactly one `--only` task
 * stage, nothing else. Throws a RunSetupError otherwise.
 *
 * @example
 * ```ts
 * checkInteractive(plan, { only: ["train"], from: [] });
 * ```
 */
export function checkInteractive(
  plan: Plan,
  options: { only?: readonly string[]; from?: readonly string[]; resume?: unknown },
): void {
  const only = options.only ?? [];
  const tasks = plan.stages.filter((s) => s.kind === "task").map((s) => s.id);
  const fix = `updraft run PIPELINE --only ${tasks[0] ?? "STAGE"} --interactive`;
  if (only.length !== 1 || (options.from ?? []).length > 0 || options.resume)
    throw new RunSetupError("--interactive gives the terminal to one stage: name it with one --only", fix);
  if (!tasks.includes(only[0]!))
    throw new RunSetupError(
      `--interactive: ${only[0]} is a quality gate, which runs no process`,
      `give a stage that runs a command: ${tasks.join(", ")}`,
    );
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
