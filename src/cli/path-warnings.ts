/**
 * The dry-run's path checks: the same rules `updraft run` applies before it starts (skip/input-check.ts).
 */
import type { Plan } from "../plan/schema.js";
import type { ParamValue } from "../planner/template.js";
import { color } from "./output.js";

/**
 * The declared-path rules `updraft run` checks before it starts anything (missing inputs no upstream
 * stage writes, FIFOs, devices and sockets), as warnings on stderr: the dry-run still shows the plan.
 *
 * @example
 * ```ts
 * await warnAboutPaths(plan, values); // "warning: updraft run here would refuse to start: ..."
 * ```
 */
export async function warnAboutPaths(plan: Plan, values: Readonly<Record<string, ParamValue>>): Promise<void> {
  const { inputIssues } = await import("../executors/local/skip/input-check.js");
  const tasks = new Set(plan.stages.map((s) => s.id));
  const issues = inputIssues(plan, tasks, values, process.cwd());
  if (issues.length === 0) return;
  const lines = [`${color.yellow("warning:")} updraft run here would refuse to start:`];
  for (const i of issues) lines.push(`${color.red("✖")} ${i.message}`, `  ${color.cyan("hint:")} ${i.hint}`);
  process.stderr.write(`${lines.join("\n")}\n`);
}
