/**
 * A Gantt timeline of every attempt: one row per stage; each attempt is a bar coloured by its
 * outcome, preceded by its wait for a GPU lease and followed by the delay before its retry, each
 * drawn as a segment of its own.
 */
import type { StageRecord } from "../manifest.js";
import { formatMs } from "../time.js";
import { esc } from "./escape.js";

const LABEL_W = 170;
const PLOT_W = 760;
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

function ticks(t0: number, span: number, scale: (ms: number) => number, height: number): string {
  const out: string[] = [];
  for (let i = 0; i <= 5; i++) {
    const ms = (span * i) / 5;
    const x = scale(t0 + ms);
    out.push(`<line class="tick" x1="${x}" y1="${AXIS_H - 6}" x2="${x}" y2="${height}"/>`);
    out.push(
      `<text class="axis" x="${x}" y="${AXIS_H - 10}" text-anchor="${i === 0 ? "start" : i === 5 ? "end" : "middle"}">+${formatMs(ms)}</text>`,
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

/**
 * The timeline as an inline SVG element.
 *
 * @example
 * ```ts
 * const svg = ganttSvg(run.stages, Date.now());
 * ```
 */
export function ganttSvg(stages: readonly StageRecord[], nowMs: number): string {
  const segs = segments(stages, nowMs);
  const t0 = Math.min(...segs.map((s) => s.startMs));
  const t1 = Math.max(...segs.map((s) => s.endMs));
  const span = segs.length > 0 ? Math.max(1000, t1 - t0) : 1000;
  const scale = (ms: number) => LABEL_W + ((ms - t0) / span) * PLOT_W;
  const height = AXIS_H + Math.max(1, stages.length) * ROW_H + 4;
  const width = LABEL_W + PLOT_W + 12;
  const rows = stages.map((s, i) => {
    const y = AXIS_H + i * ROW_H;
    const bars = segs
      .filter((g) => g.stage === s.id)
      .map((g) => {
        const x = scale(g.startMs);
        const w = Math.max(2, scale(g.endMs) - x);
        const cls = `seg seg-${g.kind}${g.outcome ? ` outcome-${esc(g.outcome)}` : ""}`;
        return `<rect class="${cls}" data-stage="${esc(g.stage)}" data-attempt="${g.attempt}" x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_H - 8}"><title>${esc(title(g))}</title></rect>`;
      });
    const name = s.id.length > 24 ? `${s.id.slice(0, 23)}…` : s.id;
    return `<g class="row" data-stage="${esc(s.id)}"><text class="label" x="4" y="${y + ROW_H / 2 + 4}">${esc(name)}</text>${bars.join("")}</g>`;
  });
  return [
    `<svg id="gantt" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="attempt timeline">`,
    segs.length > 0
      ? ticks(t0, span, scale, height)
      : `<text class="axis" x="${LABEL_W}" y="${AXIS_H - 10}">no attempts recorded</text>`,
    ...rows,
    `</svg>`,
  ].join("\n");
}
