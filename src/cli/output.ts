/**
 * Terminal output: colours (off with NO_COLOR or when not a terminal) and problem printing.
 */
import pc from "picocolors";
import type { Problem } from "../planner/problems.js";

/** Colour functions; plain text when NO_COLOR is set or stdout is not a terminal. */
export const color = pc;

/**
 * Problems as people read them: location, cause, evidence, fix.
 *
 * @example
 * ```text
 * ✖ stage "train" depends on itself through "eval"  (pipelines/rwkv.ts:12)
 *   cycle: train -> eval -> train
 *   hint: remove one dependency of the loop
 * ```
 */
export function formatProblems(problems: readonly Problem[], mark = color.red("✖")): string {
  const lines: string[] = [];
  for (const p of problems) {
    const where = p.source ? color.dim(`  (${p.source.file}:${p.source.line})`) : "";
    lines.push(`${mark} ${p.message}${where} ${color.dim(`[${p.code}]`)}`);
    if (p.detail) lines.push(`  ${p.detail}`);
    lines.push(`  ${color.cyan("hint:")} ${p.hint}`);
  }
  return lines.join("\n");
}

/**
 * Planning warnings on stderr (a plan that is valid but probably not what was meant).
 *
 * @example
 * ```ts
 * printWarnings(result.warnings); // "warning: stage "train" writes \${ in its script ..."
 * ```
 */
export function printWarnings(warnings: readonly Problem[]): void {
  if (warnings.length > 0) process.stderr.write(`${formatProblems(warnings, color.yellow("warning:"))}\n`);
}
