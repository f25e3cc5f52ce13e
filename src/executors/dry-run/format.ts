/**
 * The dry-run: a Plan with resolved parameters, printed for a person. Runs nothing, writes nothing.
 */
import { describeRetry, describeRule } from "../../planner/describe.js";
import { formatDuration } from "../../planner/duration.js";
import type { Param, Plan, Stage, Template } from "../../plan/schema.js";
import { renderShell, resolveArgv, resolveTemplate, type ParamValue } from "../../planner/template.js";
import { shellWord } from "../../common/shell.js";
import { plural } from "../../common/plural.js";

/** Escape text for the inside of a bash double-quoted string, or of a heredoc body (where `"` is plain). */
function inDoubleQuotes(text: string, inHeredoc = false): string {
  return text.replace(inHeredoc ? /[\\$`]/g : /[\\"$`]/g, (c) => `\\${c}`);
}

/** The command a stage runs, with parameter values in place, as it could be pasted into bash. */
export function showCommand(stage: Stage, values: Readonly<Record<string, ParamValue>>): string {
  const c = stage.command;
  if (!c) return "(none)";
  if (c.kind === "argv") return resolveArgv(c.argv, values).map(shellWord).join(" ");
  return renderShell(c.script, (name, inHeredoc) => inDoubleQuotes(String(values[name]), inHeredoc));
}

export interface DryRunOptions {
  /** Label for the header, such as the pipeline file. */
  readonly source?: string | null;
  /** Where each parameter's value came from (resolveParams' `sources`): shown beside it. */
  readonly sources?: Readonly<Record<string, string>>;
}

function stageLines(stage: Stage, values: Readonly<Record<string, ParamValue>>): string[] {
  const r = (t: Template) => resolveTemplate(t, values);
  const marker = stage.kind === "gate" ? `◆ gate ${stage.id}` : `● ${stage.id}`;
  const lines = [`  ${marker}${stage.dependsOn.length ? `  ← ${stage.dependsOn.join(", ")}` : ""}`];
  const field = (name: string, value: string) =>
    lines.push(`      ${name.padEnd(9)}${value.replace(/\n/g, `\n${" ".repeat(15)}`)}`);
  if (stage.description) field("about", stage.description);
  if (stage.gate) {
    field(
      "verdict",
      stage.gate.severity === "block"
        ? "FAIL blocks everything downstream; never retried"
        : "FAIL is recorded as a warning only",
    );
    if (stage.gate.metrics) field("metrics", r(stage.gate.metrics));
    if (stage.gate.record) field("record", r(stage.gate.record));
    for (const rule of stage.gate.rules) field("rule", describeRule(rule, r));
    return lines;
  }
  field("command", showCommand(stage, values));
  if (stage.cwd) field("cwd", r(stage.cwd));
  const env = Object.entries(stage.env).map(([k, v]) => `${k}=${shellWord(r(v))}`);
  const secrets = stage.secretEnv.map((k) => `${k}=******** (secret, from the environment)`);
  for (const e of [...env, ...secrets]) field("env", e);
  if (typeof stage.gpu !== "number")
    field(
      "gpu",
      `${String(values[stage.gpu.param])} (parameter ${stage.gpu.param}; CUDA_VISIBLE_DEVICES set to the leased indices)`,
    );
  else if (stage.gpu > 0) field("gpu", `${stage.gpu} (CUDA_VISIBLE_DEVICES set to the leased indices)`);
  field("timeout", stage.timeoutSeconds === null ? "none" : `${formatDuration(stage.timeoutSeconds)} per attempt`);
  field("retry", describeRetry(stage.retry));
  for (const i of stage.inputs) field("input", r(i));
  for (const o of stage.outputs) field("output", r(o));
  return lines;
}

/** `  n = 3  (int, from UPDRAFT_PARAM_N)`; a required parameter without a value: `  run = <run: required>  (string)`. */
function paramLine(p: Param, value: ParamValue | undefined, from: string | undefined): string {
  if (from === "required") return `  ${p.name} = ${String(value)}  (${p.type})`;
  const source =
    from === undefined
      ? p.default !== null && value === p.default
        ? ", default"
        : ""
      : `, ${from === "default" ? "default" : `from ${from}`}`;
  return `  ${p.name} = ${JSON.stringify(value)}  (${p.type}${source})`;
}

/**
 * The dry-run text of a plan.
 *
 * @example
 * ```ts
 * console.log(formatDryRun(plan, { run_name: "demo" }));
 * ```
 */
export function formatDryRun(
  plan: Plan,
  values: Readonly<Record<string, ParamValue>>,
  options: DryRunOptions = {},
): string {
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const out: string[] = [];
  const from = options.source ? ` from ${options.source}` : "";
  out.push(`dry-run: pipeline ${plan.pipeline.id}${from} (plan ${plan.hash.slice(0, 12)}); nothing will run`);
  if (plan.pipeline.description) out.push(plan.pipeline.description);
  out.push(
    `${plural(plan.stages.length, "stage")} in ${plural(plan.levels.length, "level")}; critical path: ${plan.criticalPath.join(" -> ")}`,
  );
  if (plan.pipeline.schedule) out.push(`schedule: ${plan.pipeline.schedule}`);
  if (plan.params.length > 0) {
    out.push("params:");
    for (const p of plan.params) out.push(paramLine(p, values[p.name], options.sources?.[p.name]));
  }
  plan.levels.forEach((level, i) => {
    out.push("", `level ${i}${level.length > 1 ? ` (${level.length} may run side by side)` : ""}`);
    for (const id of level) out.push(...stageLines(byId.get(id)!, values));
  });
  return out.join("\n");
}
