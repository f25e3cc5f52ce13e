/**
 * The DAG of a run as SVG: one column per plan level, a box per stage coloured by its status in
 * this run, an arrow per dependency.
 */
import type { StageRecord } from "../manifest.js";
import type { Plan } from "../../plan/schema.js";
import { esc } from "./escape.js";

const BOX_W = 170;
const BOX_H = 40;
const GAP_X = 70;
const GAP_Y = 18;
const PAD = 16;

interface Node {
  id: string;
  kind: "task" | "gate";
  x: number;
  y: number;
}

function label(id: string): string {
  return id.length > 22 ? `${id.slice(0, 21)}…` : id;
}

function layout(
  levels: readonly (readonly string[])[],
  kinds: ReadonlyMap<string, "task" | "gate">,
): Map<string, Node> {
  const nodes = new Map<string, Node>();
  levels.forEach((level, col) => {
    level.forEach((id, row) => {
      nodes.set(id, {
        id,
        kind: kinds.get(id) ?? "task",
        x: PAD + col * (BOX_W + GAP_X),
        y: PAD + row * (BOX_H + GAP_Y),
      });
    });
  });
  return nodes;
}

function edge(from: Node, to: Node): string {
  const x1 = from.x + BOX_W;
  const y1 = from.y + BOX_H / 2;
  const x2 = to.x - 4;
  const y2 = to.y + BOX_H / 2;
  const mid = (x1 + x2) / 2;
  return `<path class="edge" data-from="${esc(from.id)}" data-to="${esc(to.id)}" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`;
}

function box(node: Node, stage: StageRecord | undefined): string {
  const status = stage?.status ?? "pending";
  const rx = node.kind === "gate" ? 18 : 4;
  return [
    `<g class="node status-${esc(status)} kind-${node.kind}" data-stage="${esc(node.id)}">`,
    `<title>${esc(node.id)} (${node.kind}): ${esc(status)}${stage?.reason ? ` - ${esc(stage.reason)}` : ""}</title>`,
    `<rect x="${node.x}" y="${node.y}" width="${BOX_W}" height="${BOX_H}" rx="${rx}"/>`,
    `<text x="${node.x + BOX_W / 2}" y="${node.y + 17}" text-anchor="middle">${esc(label(node.id))}</text>`,
    `<text class="sub" x="${node.x + BOX_W / 2}" y="${node.y + 32}" text-anchor="middle">${esc(status)}</text>`,
    `</g>`,
  ].join("");
}

/**
 * The DAG as an inline SVG element. Without a plan, stages are laid out in recorded order and no
 * edges are drawn (the records do not keep dependencies).
 *
 * @example
 * ```ts
 * const svg = dagSvg(plan, run.stages);
 * ```
 */
export function dagSvg(plan: Plan | null, stages: readonly StageRecord[]): string {
  const levels = plan ? plan.levels : stages.map((s) => [s.id]);
  const kinds = new Map<string, "task" | "gate">([
    ...stages.map((s) => [s.id, s.kind] as const),
    ...(plan?.stages.map((s) => [s.id, s.kind] as const) ?? []),
  ]);
  const nodes = layout(levels, kinds);
  const rows = Math.max(1, ...levels.map((l) => l.length));
  const width = PAD * 2 + Math.max(1, levels.length) * (BOX_W + GAP_X) - GAP_X;
  const height = PAD * 2 + rows * (BOX_H + GAP_Y) - GAP_Y;
  const byId = new Map(stages.map((s) => [s.id, s]));
  const edges = (plan?.stages ?? []).flatMap((s) =>
    s.dependsOn.flatMap((d) => {
      const from = nodes.get(d);
      const to = nodes.get(s.id);
      return from && to ? [edge(from, to)] : [];
    }),
  );
  return [
    `<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="pipeline graph">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
    ...edges,
    ...[...nodes.values()].map((n) => box(n, byId.get(n.id))),
    `</svg>`,
  ].join("\n");
}
