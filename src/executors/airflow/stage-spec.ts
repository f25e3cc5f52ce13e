/**
 * What the generated operator needs to know about one stage, as plain data for a Python literal:
 * the command exactly as `updraft run` starts it, and where its paths and values come from.
 */
import { needsGpu } from "../../planner/params.js";
import type { Plan, Stage, Template } from "../../plan/schema.js";
import { isOptionalArg, renderShell } from "../../planner/template.js";
import type { PyData } from "./python.js";

/**
 * A template as data: plain text when it has no parameter, else its parts as in the Plan
 * (`{"param": name}` for a parameter), resolved by the generated `resolve()`.
 *
 * @example
 * ```ts
 * templateData(["out/", { param: "run" }]); // ["out/", { param: "run" }]
 * templateData(["out/x"]); // "out/x"
 * ```
 */
export function templateData(template: Template): PyData {
  if (template.every((p) => typeof p === "string")) return template.join("");
  return template.map((p) => (typeof p === "string" ? p : { param: p.param }));
}

function commandData(stage: Stage): PyData {
  const c = stage.command;
  if (c === null) return null;
  // A shell script reaches bash exactly as the local executor renders it: parameters stay
  // quoted references to their UPDRAFT_PARAM_ variables, so no value is ever bash syntax.
  if (c.kind === "shell") return { kind: "shell", script: renderShell(c.script) };
  return {
    kind: "argv",
    argv: c.argv.map((a) =>
      isOptionalArg(a) ? { optional: a.optional, argv: a.argv.map(templateData) } : templateData(a),
    ),
  };
}

/**
 * The `stage=` argument of a generated task.
 *
 * @example
 * ```ts
 * stageData(plan.stages[0]!).id; // "prepare"
 * ```
 */
export function stageData(stage: Stage): { readonly [key: string]: PyData } {
  const common = {
    id: stage.id,
    kind: stage.kind,
    cwd: stage.cwd === null ? null : templateData(stage.cwd),
  };
  if (stage.kind === "gate") {
    return { ...common, gate: JSON.parse(JSON.stringify(stage.gate)) as PyData };
  }
  return {
    ...common,
    command: commandData(stage),
    env: Object.fromEntries(Object.entries(stage.env).map(([k, v]) => [k, templateData(v)])),
    secret_env: [...stage.secretEnv],
    // Checked before the command starts (paths.py); only when declared, so other DAG files stay as they were.
    ...(stage.inputs.length > 0 ? { inputs: stage.inputs.map(templateData) } : {}),
    outputs: stage.outputs.map(templateData),
    gpu: stage.gpu,
    // Airflow's execution_timeout would count the GPU-lease wait; as updraft run does, the operator
    // starts a GPU stage's timeout with its process. Other stages keep execution_timeout (dag.ts).
    timeout_seconds: needsGpu(stage) ? stage.timeoutSeconds : null,
    non_retryable_exit_codes: [...stage.retry.nonRetryableExitCodes],
  };
}

/**
 * Whether any stage of the plan is a quality gate (the DAG file then carries the gate evaluator).
 *
 * @example
 * ```ts
 * hasGates(plan); // true
 * ```
 */
export function hasGates(plan: Plan): boolean {
  return plan.stages.some((s) => s.kind === "gate");
}
