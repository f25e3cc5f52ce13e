/**
 * Validation of normalised Plan data. Every check adds problems; none throws.
 */
import { findCycles, topologicalOrder, type GraphNode } from "./graph.js";
import { problem, type Problem } from "./problems.js";
import type { Param, PipelineInfo, Stage, Template } from "../plan/schema.js";
import { boundParams, leafRules } from "../plan/rules.js";
import { argvTemplates, showTemplate, templateParams } from "./template.js";
import { checkGpuParam, checkResources, checkRetry } from "./checks/numbers.js";
import { checkSchedule } from "./checks/schedule.js";
import { checkShellParams } from "./checks/shell.js";
import { checkParamSources } from "./checks/params.js";
import { checkPaths } from "./checks/paths.js";
import { checkAirflowSettings } from "./checks/airflow.js";

/** Ids Airflow accepts for DAGs and tasks. */
export const ID_PATTERN = /^[A-Za-z0-9_.-]{1,250}$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isInt = (n: number) => Number.isInteger(n);

function checkIds(info: PipelineInfo, stages: readonly Stage[], out: Problem[]): void {
  if (!ID_PATTERN.test(info.id)) {
    out.push(
      problem(
        "invalid-pipeline-id",
        null,
        `pipeline id ${JSON.stringify(info.id)} is not a valid Airflow DAG id`,
        "use 1 to 250 letters, digits, '_', '.' or '-'",
        { source: info.source },
      ),
    );
  }
  if (!(isInt(info.maxActiveRuns) && info.maxActiveRuns >= 1)) {
    out.push(
      problem(
        "invalid-max-active-runs",
        null,
        `maxActiveRuns is ${info.maxActiveRuns}`,
        "set maxActiveRuns to a whole number of at least 1",
        { source: info.source },
      ),
    );
  }
  const seen = new Map<string, Stage>();
  for (const s of stages) {
    if (!ID_PATTERN.test(s.id)) {
      out.push(
        problem(
          "invalid-stage-id",
          s.id,
          `stage id ${JSON.stringify(s.id)} is not a valid Airflow task id`,
          "use 1 to 250 letters, digits, '_', '.' or '-'",
          { source: s.source },
        ),
      );
    }
    const first = seen.get(s.id);
    if (first) {
      const where = first.source ? ` (first declared at ${first.source.file}:${first.source.line})` : "";
      out.push(
        problem("duplicate-stage", s.id, `stage "${s.id}" is declared twice${where}`, "give each stage its own id", {
          source: s.source,
        }),
      );
    } else seen.set(s.id, s);
  }
}

function checkDependencies(stages: readonly Stage[], out: Problem[]): void {
  const ids = new Set(stages.map((s) => s.id));
  for (const s of stages) {
    for (const dep of s.dependsOn) {
      if (!ids.has(dep)) {
        out.push(
          problem(
            "unknown-dependency",
            s.id,
            `stage "${s.id}" depends on "${dep}", which is not a stage of this pipeline`,
            `declare "${dep}" in this pipeline, or remove it from dependsOn`,
            { source: s.source },
          ),
        );
      }
    }
  }
  const nodes: GraphNode[] = stages.map((s) => ({ id: s.id, dependsOn: s.dependsOn, weight: 1 }));
  // Cycle search only where the fast topological pass could not order everything.
  const ordered = topologicalOrder(nodes);
  if (ordered.length === nodes.length) return;
  const done = new Set(ordered);
  const byId = new Map(stages.map((s) => [s.id, s]));
  for (const loop of findCycles(nodes.filter((_, i) => !done.has(i)))) {
    const [head] = loop;
    const middle = loop.slice(1, -1);
    const message =
      middle.length === 0
        ? `stage "${head}" depends on itself`
        : `stage "${head}" depends on itself through ${middle.map((m) => `"${m}"`).join(", ")}`;
    out.push(
      problem("dependency-cycle", head ?? null, message, "remove one dependency of the loop", {
        detail: `cycle: ${loop.join(" -> ")}`,
        source: byId.get(head ?? "")?.source ?? null,
      }),
    );
  }
}

function checkCommand(s: Stage, out: Problem[]): void {
  const at = { source: s.source };
  if (s.kind === "gate") {
    if (!s.gate || s.gate.rules.length === 0) {
      out.push(
        problem("empty-gate", s.id, `gate "${s.id}" has no rules`, "add at least one rule, or remove the gate", at),
      );
    } else if (s.gate.metrics === null && leafRules(s.gate.rules).some((r) => "metric" in r)) {
      out.push(
        problem(
          "missing-metrics-file",
          s.id,
          `gate "${s.id}" checks metrics but names no metrics file`,
          "set metrics: the JSON file an upstream stage writes",
          at,
        ),
      );
    }
    return;
  }
  const c = s.command;
  const empty =
    c === null ||
    (c.kind === "argv" &&
      (c.argv.length === 0 || !Array.isArray(c.argv[0]) || showTemplate(c.argv[0]).trim() === "")) ||
    (c.kind === "shell" && showTemplate(c.script).trim() === "");
  if (empty) {
    out.push(
      problem(
        "empty-command",
        s.id,
        `stage "${s.id}" has an empty command`,
        'give it a command: ["program", "arg"] or sh`script`',
        at,
      ),
    );
  }
}

function checkEnv(s: Stage, out: Problem[]): void {
  const at = { source: s.source };
  for (const name of [...Object.keys(s.env), ...s.secretEnv]) {
    if (!ENV_NAME.test(name)) {
      out.push(
        problem(
          "invalid-env-name",
          s.id,
          `stage "${s.id}" sets environment variable ${JSON.stringify(name)}`,
          "use letters, digits and '_', not starting with a digit",
          at,
        ),
      );
    }
  }
  for (const name of s.secretEnv) {
    if (name in s.env) {
      out.push(
        problem(
          "secret-env-conflict",
          s.id,
          `stage "${s.id}" declares "${name}" both as env and as secretEnv`,
          "keep secrets out of env: list the name in secretEnv only",
          at,
        ),
      );
    }
  }
}

/** Every template a stage holds, with a label for messages. */
function stageTemplates(s: Stage): [string, Template][] {
  const list: [string, Template][] = [];
  if (s.command?.kind === "argv")
    s.command.argv.forEach((a, i) => argvTemplates([a]).forEach((t) => list.push([`argument ${i + 1}`, t])));
  if (s.command?.kind === "shell") list.push(["command", s.command.script]);
  if (s.cwd) list.push(["cwd", s.cwd]);
  for (const [k, v] of Object.entries(s.env)) list.push([`env ${k}`, v]);
  s.inputs.forEach((t) => list.push(["input", t]));
  s.outputs.forEach((t) => list.push(["output", t]));
  if (s.gate?.metrics) list.push(["metrics", s.gate.metrics]);
  if (s.gate?.record) list.push(["gate record", s.gate.record]);
  for (const name of boundParams(s.gate?.rules ?? [])) list.push(["rule bound", [{ param: name }]]);
  for (const r of leafRules(s.gate?.rules ?? [])) {
    if ("file" in r) list.push(["rule file", r.file]);
    if ("sums" in r) list.push(["rule sums file", r.sums]);
  }
  return list;
}

function checkParamRefs(s: Stage, declared: ReadonlySet<string>, out: Problem[]): void {
  const told = new Set<string>();
  for (const [label, template] of stageTemplates(s)) {
    for (const name of templateParams(template)) {
      if (!declared.has(name) && !told.has(`${label}\0${name}`)) {
        told.add(`${label}\0${name}`);
        out.push(
          problem(
            "unknown-param",
            s.id,
            `stage "${s.id}" uses parameter "${name}" in its ${label}, but the pipeline declares no such parameter`,
            `declare it in params: { ${name}: param.${label === "rule bound" ? "int" : "string"}() }`,
            { source: s.source },
          ),
        );
      }
    }
  }
}

/** A numeric rule's bound must come from an int or number parameter (`gte(p.min_rows)`). */
function checkBoundTypes(s: Stage, byName: ReadonlyMap<string, Param>, out: Problem[]): void {
  for (const name of boundParams(s.gate?.rules ?? [])) {
    const p = byName.get(name);
    if (!p || p.type === "int" || p.type === "number") continue;
    out.push(
      problem(
        "bound-param-type",
        s.id,
        `gate "${s.id}" compares a metric with parameter "${name}", a ${p.type} parameter`,
        `declare it as param.int() or param.number(), or compare with a number`,
        { source: s.source },
      ),
    );
  }
}

/** Problems with the parameter declarations themselves. */
export function checkParams(params: readonly Param[], out: Problem[]): void {
  const seen = new Map<string, string>();
  for (const p of params) {
    if (!PARAM_NAME.test(p.name)) {
      out.push(
        problem(
          "invalid-param",
          null,
          `parameter name ${JSON.stringify(p.name)} is not an identifier`,
          "use letters, digits and '_', not starting with a digit",
          {},
        ),
      );
    }
    const key = p.name.toUpperCase();
    const other = seen.get(key);
    if (other !== undefined) {
      out.push(
        problem(
          "duplicate-param",
          null,
          `parameters "${other}" and "${p.name}" share the environment variable UPDRAFT_PARAM_${key}`,
          "rename one of them",
          {},
        ),
      );
    } else seen.set(key, p.name);
    if (p.type === "enum" && p.values.length === 0) {
      out.push(
        problem(
          "invalid-param",
          null,
          `enum parameter "${p.name}" lists no values`,
          'list its values: param.enum(["a", "b"])',
          {},
        ),
      );
    }
    const reason = p.default === null ? null : valueTypeError(p, p.default);
    if (reason) {
      out.push(
        problem(
          "invalid-param",
          null,
          `default of parameter "${p.name}" ${reason}`,
          `give "${p.name}" a default of type ${p.type}`,
          {},
        ),
      );
    }
  }
}

/** Why `value` is not a valid value of parameter `p`, or null when it is. */
export function valueTypeError(p: Param, value: unknown): string | null {
  const shown = JSON.stringify(value);
  switch (p.type) {
    case "int":
      return typeof value === "number" && Number.isSafeInteger(value) ? null : `is ${shown}, not a whole number`;
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : `is ${shown}, not a number`;
    case "bool":
      return typeof value === "boolean" ? null : `is ${shown}, not true or false`;
    case "enum":
      return typeof value === "string" && p.values.includes(value)
        ? null
        : `is ${shown}, not one of ${p.values.join(", ")}`;
    case "string":
    case "path":
      return typeof value === "string" ? null : `is ${shown}, not text`;
  }
}

/** Every problem in a normalised pipeline, in a stable order. */
export function validate(info: PipelineInfo, params: readonly Param[], stages: readonly Stage[]): Problem[] {
  const out: Problem[] = [];
  checkIds(info, stages, out);
  checkSchedule(info, out);
  checkAirflowSettings(info, stages, out);
  checkParams(params, out);
  checkParamSources(params, out);
  checkDependencies(stages, out);
  const declared = new Set(params.map((p) => p.name));
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const s of stages) {
    checkCommand(s, out);
    checkRetry(s, out);
    checkResources(s, out);
    checkGpuParam(s, byName, out);
    checkEnv(s, out);
    checkParamRefs(s, declared, out);
    checkShellParams(s, byName, out);
    checkBoundTypes(s, byName, out);
  }
  checkPaths(stages, out);
  return out;
}
