/**
 * `updraft show`: one run in detail, stage by stage, attempt by attempt, then its lineage.
 */
import path from "node:path";
import pc from "picocolors";
import type { Attempt, GateResult, StageRecord } from "./manifest.js";
import { describeRule } from "../planner/describe.js";
import { statusCell } from "./format-history.js";
import { lineage, type LineageStep } from "./lineage.js";
import { blameText, type RunView } from "./run-view.js";
import { formatMs, formatTime } from "./time.js";

/** Where the text shows file paths relative to. */
export interface ShowOptions {
  cwd: string;
}

const paintStatus = (status: RunView["status"]) => {
  const cell = statusCell(status);
  return typeof cell === "string" ? cell : cell.paint(cell.text);
};

function header(run: RunView): string[] {
  // Each value with where it came from, when the run recorded it: `n=3 (--param)`.
  const params =
    Object.entries(run.params)
      .map(([k, v]) => `${k}=${String(v)}${run.paramSources?.[k] ? ` (${run.paramSources[k]})` : ""}`)
      .join(" ") || "-";
  const sel = run.partial
    ? `only [${run.selection.only.join(", ")}] from [${run.selection.from.join(", ")}]`
    : "whole pipeline";
  return [
    `${pc.bold("run")} ${run.id}${run.runId !== run.id ? ` (run id ${run.runId})` : ""}  ${pc.dim(`[${run.executor}]`)}`,
    `  pipeline  ${run.pipelineId}  plan ${run.planHash.slice(0, 12)}`,
    `  status    ${paintStatus(run.status)}${run.failedStage ? `  (${blameText(run)})` : ""}${run.dryRun ? "  (dry run)" : ""}`,
    `  trigger   ${run.trigger}${run.resumeOf ? ` of ${run.resumeOf}` : ""}  by ${run.user}@${run.host}${run.pid !== null ? `  pid ${run.pid}` : ""}`,
    `  time      ${formatTime(run.start)} -> ${formatTime(run.end)} UTC  (${run.status === "running" ? "running" : formatMs(run.durationMs)})`,
    `  git       ${run.git ? `${run.git.commit}${run.git.dirty ? " (dirty)" : ""}` : "-"}`,
    `  params    ${params}`,
    `  selection ${sel}${run.selection.force ? " (forced)" : ""}${run.selection.ignoreGates ? " (--ignore-gates)" : ""}`,
  ];
}

function attemptLine(a: Attempt, kind: StageRecord["kind"], run: RunView, opts: ShowOptions): string {
  const end = a.exitCode !== null ? `exit ${a.exitCode}` : a.signal ? `signal ${a.signal}` : "no exit code";
  // A gate is evaluated in-process: no exit code, no GPUs.
  const parts =
    kind === "gate"
      ? [`#${a.attempt}`, a.outcome, formatMs(a.durationMs)]
      : [`#${a.attempt}`, a.outcome, end, formatMs(a.durationMs), `gpus ${a.gpus.length ? a.gpus.join(",") : "-"}`];
  if (a.gpuWaitMs > 0) parts.push(`gpu wait ${formatMs(a.gpuWaitMs)}`);
  if (a.retryDelayMs !== null) parts.push(`retry in ${formatMs(a.retryDelayMs)}`);
  if (a.log) parts.push(`log ${path.relative(opts.cwd, path.join(run.dir, a.log)) || a.log}`);
  return `    ${parts.join("  ")}`;
}

function gateLines(g: GateResult): string[] {
  const verdict = g.verdict === "PASS" ? pc.green("PASS") : pc.red("FAIL");
  return [
    `    gate ${verdict} (${g.severity}): ${g.reason}`,
    ...g.rules.map(
      (r) =>
        `      ${r.passed ? pc.green("ok  ") : pc.red("fail")} ${describeRule(r.rule)}: actual ${JSON.stringify(r.actual) ?? "none"}; ${r.reason}`,
    ),
  ];
}

function stageLines(s: StageRecord, run: RunView, opts: ShowOptions): string[] {
  const lines = [`  ${pc.bold(s.id)}  ${s.kind}  ${s.status}${s.reason ? `  ${pc.dim(s.reason)}` : ""}`];
  for (const a of s.attempts) lines.push(attemptLine(a, s.kind, run, opts));
  if (s.gate) lines.push(...gateLines(s.gate));
  for (const o of s.outputs) lines.push(`    output ${o.path}  ${o.size} B  sha256 ${o.sha256.slice(0, 16)}`);
  return lines;
}

function lineageLine(step: LineageStep): string {
  const ins = step.inputs.map((i) => `${i.path}${i.producedBy ? ` [${i.producedBy}]` : ""}`).join(", ") || "(none)";
  const outs = step.outputs.map((o) => `${o.path} (${o.sha256.slice(0, 12)})`).join(", ") || "(none)";
  return `  ${step.stage}: ${ins} -> ${outs}`;
}

/**
 * The text `updraft show` prints.
 *
 * @example
 * ```ts
 * process.stdout.write(formatShow(run, { cwd: process.cwd() }) + "\n");
 * ```
 */
export function formatShow(run: RunView, opts: ShowOptions): string {
  const lines = [...header(run), "", pc.bold("stages")];
  for (const s of run.stages) lines.push(...stageLines(s, run, opts));
  if (run.stages.length === 0) lines.push("  (no stage recorded yet)");
  lines.push("", pc.bold("lineage (inputs -> outputs)"), ...lineage(run).map(lineageLine));
  return lines.join("\n");
}

/**
 * What `updraft show --json` prints: the run, each attempt with its log's absolute path, and its lineage.
 *
 * @example
 * ```ts
 * process.stdout.write(JSON.stringify(showJson(run), null, 2));
 * ```
 */
export function showJson(run: RunView): object {
  const stages = run.stages.map((s) => ({
    ...s,
    attempts: s.attempts.map((a) => ({ ...a, logPath: a.log ? path.join(run.dir, a.log) : null })),
  }));
  return { ...run, stages, lineage: lineage(run) };
}
