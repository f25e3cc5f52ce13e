/**
 * `updraft advise` as text: the signals table, the verdict with its reasons, the export command
 * when it says move, and the incidents behind the incident count.
 */
import pc from "picocolors";
import type { Advice } from "./advise.js";
import { table, type Cell } from "../table.js";
import { formatTime } from "../time.js";
import { plural } from "../../common/plural.js";

const MAX_INCIDENTS = 10;

function spanText(ms: number): string {
  const weeks = ms / (7 * 86_400_000);
  if (Number.isInteger(weeks)) return plural(weeks, "week");
  const days = Math.round((ms / 86_400_000) * 10) / 10;
  return plural(days, "day");
}

/**
 * The text `updraft advise` prints.
 *
 * @example
 * ```ts
 * process.stdout.write(formatAdvice(advice) + "\n");
 * ```
 */
export function formatAdvice(advice: Advice): string {
  const head = `run history of the last ${spanText(advice.windowMs)}: ${plural(advice.runs, "run")}, rates over ${plural(advice.weeks, "week")}`;
  const rows: Cell[][] = [
    ["SIGNAL", "VALUE", "MOVE WHEN", "STATUS"].map((h) => ({ text: h, paint: pc.bold })),
    ...advice.signals.map((s): Cell[] => [
      s.label,
      s.shown,
      `${s.op} ${s.shownThreshold}`,
      s.breached ? { text: "move", paint: pc.yellow } : { text: "ok", paint: pc.green },
    ]),
  ];
  const move = advice.verdict === "move to Airflow";
  const lines = [
    head,
    "",
    table(rows),
    "",
    `${pc.bold("verdict:")} ${move ? pc.yellow(advice.verdict) : pc.green(advice.verdict)}`,
  ];
  lines.push(...advice.reasons.map((r) => `  - ${r}`));
  if (move) {
    lines.push("", pc.bold("export:"));
    lines.push(
      ...advice.exports.map((e) => `  ${e.command}${e.file ? "" : pc.dim("  (no plan.json names the file)")}`),
    );
  }
  if (advice.incidents.length > 0) {
    lines.push("", pc.bold("incidents:"));
    for (const i of advice.incidents.slice(0, MAX_INCIDENTS))
      lines.push(`  ${i.runId}  ${i.pipelineId}  ${formatTime(i.start)}  ${i.cause}`);
    if (advice.incidents.length > MAX_INCIDENTS)
      lines.push(`  ... and ${advice.incidents.length - MAX_INCIDENTS} more (--json lists all)`);
  }
  return lines.join("\n");
}
