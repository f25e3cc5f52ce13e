/**
 * Declared paths checked before anything runs: an input that does not exist is an error (unless an
 * upstream stage declares it as an output), and an input or output that is a FIFO, a device or a
 * socket is refused without ever being opened.
 */
import type { Plan, Stage } from "../../../plan/schema.js";
import type { ParamValue } from "../../../planner/template.js";
import { RunSetupError } from "../errors.js";
import { resolveStage, type ResolvedStage } from "../resolve-stage.js";
import { pathProblem, producedBy } from "./paths.js";

/** The stages `id` depends on, directly or not. */
function upstreamOf(byId: ReadonlyMap<string, Stage>, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (s: Stage | undefined) => {
    for (const d of s?.dependsOn ?? []) if (!seen.has(d)) (seen.add(d), visit(byId.get(d)));
  };
  visit(byId.get(id));
  return seen;
}

/** One problem with a declared path: what, and how to fix it. */
export interface PathIssue {
  readonly stage: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * Every problem with the declared paths of the `selected` task stages.
 *
 * @example
 * ```ts
 * inputIssues(plan, new Set(["train"]), values, root); // [{ stage: "train", message, hint }]
 * ```
 */
export function inputIssues(
  plan: Plan,
  selected: ReadonlySet<string>,
  values: Readonly<Record<string, ParamValue>>,
  root: string,
): PathIssue[] {
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const resolved = new Map<string, ResolvedStage>();
  for (const s of plan.stages)
    if (s.kind === "task" && s.command !== null) resolved.set(s.id, resolveStage(s, values, root));
  const issues: PathIssue[] = [];
  for (const s of plan.stages) {
    const r = resolved.get(s.id);
    if (!selected.has(s.id) || r === undefined) continue;
    // Only a missing input needs the upstream outputs; a long chain would otherwise pay n² here.
    const upstream = () => [...upstreamOf(byId, s.id)].flatMap((id) => resolved.get(id)?.outputs ?? []);
    for (const p of r.inputs) {
      const problem = pathProblem(p);
      if (problem === "missing" && !producedBy(p, upstream()))
        issues.push({
          stage: s.id,
          message: `stage "${s.id}": input ${p.shown} does not exist (looked for ${p.absolute})`,
          hint: "create it, correct the path in the pipeline, or declare it as an output of a stage this one depends on",
        });
      else if (problem !== null && problem !== "missing") issues.push(special(s.id, "input", p.shown, problem));
    }
    for (const p of r.outputs) {
      const problem = pathProblem(p);
      if (problem !== null && problem !== "missing") issues.push(special(s.id, "output", p.shown, problem));
    }
  }
  return issues;
}

function special(stage: string, role: string, shown: string, what: string): PathIssue {
  return {
    stage,
    message: `stage "${stage}": ${role} ${shown} is ${what}, not a regular file or directory; updraft never opens it`,
    hint: `declare the regular file or directory the stage ${role === "input" ? "reads" : "writes"} instead`,
  };
}

/**
 * Throw a RunSetupError listing every problem `inputIssues` finds.
 *
 * @example
 * ```ts
 * checkInputs(plan, selection.selected, values, root);
 * ```
 */
export function checkInputs(
  plan: Plan,
  selected: ReadonlySet<string>,
  values: Readonly<Record<string, ParamValue>>,
  root: string,
): void {
  const issues = inputIssues(plan, selected, values, root);
  if (issues.length === 0) return;
  throw new RunSetupError(issues.map((i) => i.message).join("\n"), issues[0]!.hint);
}
