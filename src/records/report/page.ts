/**
 * `updraft report`: one self-contained HTML page for a run (inline CSS and SVG, nothing fetched):
 * the DAG, the attempt timeline, the end of the failed stage's log, gate verdicts, and relative links
 * to the logs.
 */
import path from "node:path";
import type { StageRecord } from "../manifest.js";
import type { Plan } from "../../plan/schema.js";
import { describeRule } from "../../planner/describe.js";
import { blameText, type RunView } from "../run-view.js";
import { formatMs, formatTime } from "../time.js";
import { dagSvg } from "./dag-svg.js";
import { esc, fileHref } from "./escape.js";
import { ganttSvg } from "./gantt-svg.js";
import { failedLogTail } from "./log-tail.js";
import { STYLE } from "./style.js";

/** What a report is made of. */
export interface ReportInput {
  run: RunView;
  /** The run's plan.json, or null when it kept none. */
  plan: Plan | null;
  /** Directory the report is written to: log links are relative to it. */
  outDir: string;
  /** The time a running attempt is drawn up to. */
  nowMs: number;
}

function summary(run: RunView): string {
  const rows: [string, string][] = [
    ["pipeline", run.pipelineId],
    ["status", run.status + (run.failedStage ? ` (${blameText(run)})` : "")],
    ["executor", run.executor],
    ["trigger", `${run.trigger}${run.resumeOf ? ` of ${run.resumeOf}` : ""}`],
    ["user", `${run.user}@${run.host}`],
    ["start", `${formatTime(run.start)} UTC`],
    ["duration", run.status === "running" ? "running" : formatMs(run.durationMs)],
    ["plan", run.planHash],
    ["git", run.git ? `${run.git.commit}${run.git.dirty ? " (dirty)" : ""}` : "-"],
    [
      "params",
      Object.entries(run.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(" ") || "-",
    ],
  ];
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>`;
}

function logLinks(s: StageRecord, input: ReportInput): string {
  return s.attempts
    .filter((a) => a.log)
    .map(
      (a) =>
        `<a class="log" href="${esc(fileHref(path.relative(input.outDir, path.join(input.run.dir, a.log!))))}">#${a.attempt}</a>`,
    )
    .join(" ");
}

function stagesTable(input: ReportInput): string {
  const rows = input.run.stages.map((s) => {
    const attempts = s.attempts
      .map(
        (a) =>
          `#${a.attempt} ${a.outcome}${a.exitCode !== null ? ` (exit ${a.exitCode})` : a.signal ? ` (${a.signal})` : ""} ${formatMs(a.durationMs)}${a.gpus.length ? ` gpu ${a.gpus.join(",")}` : ""}`,
      )
      .join("; ");
    const outputs = s.outputs.map((o) => `${esc(o.path)} <code>${esc(o.sha256.slice(0, 12))}</code>`).join("<br>");
    return `<tr class="status-${esc(s.status)}"><td>${esc(s.id)}</td><td>${esc(s.kind)}</td><td class="st">${esc(s.status)}</td><td>${esc(attempts || "-")}</td><td>${outputs || "-"}</td><td>${logLinks(s, input) || "-"}</td><td>${esc(s.reason ?? "")}</td></tr>`;
  });
  return `<table class="stages"><thead><tr><th>stage</th><th>kind</th><th>status</th><th>attempts</th><th>outputs</th><th>logs</th><th>reason</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function failureSection(input: ReportInput): string {
  const tail = failedLogTail(input.run);
  if (!tail) return "";
  const href = fileHref(path.relative(input.outDir, path.join(input.run.dir, tail.log)));
  const what = tail.truncated ? "The last lines of" : "All of";
  return `<section id="failure"><h2>Failed: ${esc(tail.stage)}, attempt ${tail.attempt}</h2><p>${what} <a class="log" href="${esc(href)}">${esc(tail.log)}</a>:</p><pre class="log-tail">${esc(tail.text)}</pre></section>`;
}

function gatesSection(run: RunView): string {
  const gates = run.stages.flatMap((s) => (s.gate ? [s.gate] : []));
  if (gates.length === 0) return `<p class="none">No quality gate was evaluated in this run.</p>`;
  return gates
    .map((g) => {
      const rules = g.rules.map(
        (r) =>
          `<li class="${r.passed ? "pass" : "fail"}">${r.passed ? "ok" : "FAIL"}: ${esc(describeRule(r.rule))}; actual ${esc(JSON.stringify(r.actual) ?? "none")}. ${esc(r.reason)}</li>`,
      );
      return `<div class="gate verdict-${g.verdict}"><h3>${esc(g.gate)} <span class="verdict">${g.verdict}</span> <small>${esc(g.severity)}</small></h3><p>${esc(g.reason)}</p><ul>${rules.join("")}</ul></div>`;
    })
    .join("");
}

const LEGEND = ["attempt success", "attempt failed", "attempt timeout", "attempt running", "gpu-wait", "retry-delay"]
  .map(
    (k) =>
      `<span class="key"><svg width="14" height="10"><rect class="seg seg-${k.startsWith("attempt") ? `attempt outcome-${k.split(" ")[1]}` : k}" width="14" height="10"/></svg> ${k.replace("-", " ")}</span>`,
  )
  .join("");

/**
 * The whole HTML document.
 *
 * @example
 * ```ts
 * writeFileSync("report.html", renderReport({ run, plan, outDir: process.cwd(), nowMs: Date.now() }));
 * ```
 */
export function renderReport(input: ReportInput): string {
  const { run, plan } = input;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${run.pipelineId} run ${run.id}`)}</title><style>${STYLE}</style></head>
<body><header><h1>${esc(run.pipelineId)} <span class="runid">${esc(run.id)}</span> <span class="badge status-${esc(run.status)}">${esc(run.status)}</span></h1></header>
<section id="summary">${summary(run)}</section>
${failureSection(input)}
<section id="graph"><h2>Graph</h2>${plan ? "" : `<p class="none">This run kept no plan.json: stages are shown in recorded order, without dependencies.</p>`}<div class="frame">${dagSvg(plan, run.stages)}</div></section>
<section id="timeline"><h2>Timeline</h2><div class="legend">${LEGEND}</div>${ganttSvg(run.stages, run.startMs, input.nowMs)}</section>
<section id="gates"><h2>Quality gates</h2>${gatesSection(run)}</section>
<section id="stages"><h2>Stages</h2>${stagesTable(input)}</section>
<footer>Written by updraft report at ${esc(new Date(input.nowMs).toISOString())}.</footer>
</body></html>
`;
}
