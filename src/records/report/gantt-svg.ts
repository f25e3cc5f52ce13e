/**
 * A Gantt timeline of every attempt: one row per stage; each attempt is a bar coloured by its
 * outcome, preceded by its wait for a GPU lease and followed by the delay before its retry, each
 * drawn as a segment of its own. The time axis spans the page's width (bars are placed in percent).
 */
import type { StageRecord } from "../manifest.js";
import { formatMs } from "../time.js";
import { esc } from "./escape.js";

const LABEL_W = 170;
const ROW_H = 26;
const AXIS_H = 28;

/** One drawn piece of the timeline. */
export interface Segment {
  stage: string;
  attempt: number;
  kind: "gpu-wait" | "attempt" | "retry-delay";
  /** Attempt outcome, for "attempt" segments. */
  outcome: string | null;
  startMs: number;
  endMs: number;
}

/**
 * The segments of a run's timeline; a running attempt ends at `nowMs`.
 *
 * @example
 * ```ts
 * segments(run.stages, Date.now()).filter((s) => s.kind === "gpu-wait");
 * ```
 */
export function segments(stages: readonly StageRecord[], nowMs: number): Segment[] {
  const out: Segment[] = [];
  for (const s of stages) {
    for (const a of s.attempts) {
      const start = Date.parse(a.start);
      if (Number.isNaN(start)) continue;
      const end = a.end ? Date.parse(a.end) : a.durationMs !== null ? start + a.durationMs : Math.max(start, nowMs);
      const base = { stage: s.id, attempt: a.attempt };
      if (a.gpuWaitMs > 0)
        out.push({ ...base, kind: "gpu-wait", outcome: null, startMs: start - a.gpuWaitMs, endMs: start });
      out.push({ ...base, kind: "attempt", outcome: a.outcome, startMs: start, endMs: end });
      if (a.retryDelayMs !== null && a.retryDelayMs > 0)
        out.push({ ...base, kind: "retry-delay", outcome: null, startMs: end, endMs: end + a.retryDelayMs });
    }
  }
  return out;
}

/**
 * Whether a stage did no work in this run: up to date, or carried over (with its attempts) from
 * the run a resume continued. Its attempts, if any, belong to another run's time.
 *
 * @example
 * ```ts
 * carriedOver(stage, Date.parse(run.start)); // true for "up_to_date"
 * ```
 */
export function carriedOver(stage: StageRecord, runStartMs: number): boolean {
  if (stage.status === "up_to_date") return true;
  const starts = stage.attempts.map((a) => Date.parse(a.start));
  return stage.status === "success" && starts.length > 0 && starts.every((t) => t < runStartMs);
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function ticks(span: number, height: number): string {
  const out: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const x = pct(i / 5);
    out.push(`<line class="tick" x1="${x}" y1="${AXIS_H - 6}" x2="${x}" y2="${height}"/>`);
    out.push(
      `<text class="axis" x="${x}" y="${AXIS_H - 10}" text-anchor="${i === 0 ? "start" : i === 5 ? "end" : "middle"}">+${formatMs((span * i) / 5)}</text>`,
    );
  }
  return out.join("");
}

function title(seg: Segment): string {
  const what =
    seg.kind === "attempt"
      ? `attempt ${seg.attempt}: ${seg.outcome}`
      : seg.kind === "gpu-wait"
        ? `attempt ${seg.attempt}: waiting for a GPU`
        : `retry delay after attempt ${seg.attempt}`;
  return `${seg.stage} ${what} (${formatMs(seg.endMs - seg.startMs)})`;
}

function carriedMark(s: StageRecord, y: number): string {
  const text = s.status === "up_to_date" ? "up to date: not run" : "carried over: not run again";
  return `<g class="carried" data-stage="${esc(s.id)}"><title>${esc(s.id)}: ${esc(s.reason ?? text)}</title><rect class="carried-mark" x="0" y="${y + 4}" width="190" height="${ROW_H - 8}" rx="3"/><text class="carried-text" x="8" y="${y + ROW_H / 2 + 4}">${text}</text></g>`;
}

/**
 * The timeline as HTML holding two inline SVG elements: the stage names, and the plot
 * (`svg#gantt`), which spans the page's width. Stages that did no work in this run are marked and
 * kept off the time axis.
 *
 * @example
 * ```ts
 * const html = ganttSvg(run.stages, Date.parse(run.start), Date.now());
 * ```
 */
export function ganttSvg(stages: readonly StageRecord[], runStartMs: number, nowMs: number): string {
  const carried = new Set(stages.filter((s) => carriedOver(s, runStartMs)).map((s) => s.id));
  const segs = segments(
    stages.filter((s) => !carried.has(s.id)),
    nowMs,
  );
  const t0 = Math.min(...segs.map((s) => s.startMs));
  const t1 = Math.max(...segs.map((s) => s.endMs));
  const span = segs.length > 0 ? Math.max(1000, t1 - t0) : 1000;
  const height = AXIS_H + Math.max(1, stages.length) * ROW_H + 4;
  const rowY = (i: number) => AXIS_H + i * ROW_H;
  const labels = stages.map((s, i) => {
    const name = s.id.length > 24 ? `${s.id.slice(0, 23)}…` : s.id;
    return `<text class="label${carried.has(s.id) ? " carried-label" : ""}" x="4" y="${rowY(i) + ROW_H / 2 + 4}">${esc(name)}</text>`;
  });
  const rows = stages.map((s, i) => {
    if (carried.has(s.id)) return carriedMark(s, rowY(i));
    const bars = segs
      .filter((g) => g.stage === s.id)
      .map((g) => {
        const x = (g.startMs - t0) / span;
        const w = Math.max(0.002, (g.endMs - g.startMs) / span);
        const cls = `seg seg-${g.kind}${g.outcome ? ` outcome-${esc(g.outcome)}` : ""}`;
        return `<rect class="${cls}" data-stage="${esc(g.stage)}" data-attempt="${g.attempt}" x="${pct(x)}" y="${rowY(i) + 4}" width="${pct(w)}" height="${ROW_H - 8}"><title>${esc(title(g))}</title></rect>`;
      });
    return `<g class="row" data-stage="${esc(s.id)}">${bars.join("")}</g>`;
  });
  return [
    `<div class="gantt">`,
    `<svg id="gantt-labels" xmlns="http://www.w3.org/2000/svg" width="${LABEL_W}" height="${height}">${labels.join("")}</svg>`,
    `<svg id="gantt" xmlns="http://www.w3.org/2000/svg" width="100%" height="${height}" overflow="visible" role="img" aria-label="attempt timeline">`,
    segs.length > 0
      ? ticks(span, height)
      : `<text class="axis" x="0" y="${AXIS_H - 10}">no attempts in this run</text>`,
    ...rows,
    `</svg>`,
    `</div>`,
  ].join("\n");
}
