/**
 * The DAG of a run as SVG: a box per stage coloured by its status in this run, an arrow per
 * dependency. dagre lays it out (ranks left to right, edges that skip a rank routed around the boxes
 * between), and the SVG scales down to the page width instead of being cut off.
 */
import dagre from "@dagrejs/dagre";
import type { StageRecord } from "../manifest.js";
import type { Plan } from "../../plan/schema.js";
import { esc } from "./escape.js";

const BOX_W = 170;
const BOX_H = 40;
const MARGIN = 16;

interface Node {
  id: string;
  kind: "task" | "gate";
  /** Top-left corner. */
  x: number;
  y: number;
}

interface Edge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

function label(id: string): string {
  return id.length > 22 ? `${id.slice(0, 21)}…` : id;
}

/** Place every stage and route every edge with dagre; without a plan, stages stand in one column, unlinked. */
function layout(
  ids: readonly string[],
  deps: readonly (readonly [string, string])[],
  kinds: ReadonlyMap<string, "task" | "gate">,
) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 70, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) g.setNode(id, { width: BOX_W, height: BOX_H });
  for (const [from, to] of deps) g.setEdge(from, to);
  dagre.layout(g);
  const nodes = ids.map((id): Node => {
    const n = g.node(id);
    return { id, kind: kinds.get(id) ?? "task", x: n.x - BOX_W / 2, y: n.y - BOX_H / 2 };
  });
  const at = new Map(nodes.map((n) => [n.id, n]));
  const columns = new Set(nodes.map((n) => n.x));
  const edges = deps.map(([from, to]): Edge => {
    const inner = g.edge(from, to).points.slice(1, -1);
    return { from, to, points: route(at.get(from)!, at.get(to)!, inner, columns) };
  });
  return fit(nodes, edges);
}

const clampY = (y: number, n: Node) => Math.min(Math.max(y, n.y + 8), n.y + BOX_H - 8);

/**
 * The points of one edge: out of the source's right side, through dagre's bend points, into the
 * target's left side. A bend point inside a column (where dagre reserved a slot for the edge) becomes
 * a horizontal run across that column, so an edge changes height only in the gaps between columns,
 * where no box stands.
 */
function route(from: Node, to: Node, inner: readonly { x: number; y: number }[], columns: ReadonlySet<number>) {
  const out = [{ x: from.x + BOX_W, y: clampY(inner[0]?.y ?? to.y + BOX_H / 2, from) }];
  for (const p of inner) {
    const left = p.x - BOX_W / 2;
    if (columns.has(left)) out.push({ x: left, y: p.y }, { x: left + BOX_W, y: p.y });
    else out.push({ x: p.x, y: p.y });
  }
  out.push({ x: to.x, y: clampY(inner.at(-1)?.y ?? out[0]!.y, to) });
  return out;
}

/** Shift everything so that the topmost box or bend sits at the margin (dagre may route above 0). */
function fit(nodes: Node[], edges: Edge[]) {
  const ys = [...nodes.flatMap((n) => [n.y, n.y + BOX_H]), ...edges.flatMap((e) => e.points.map((p) => p.y))];
  const xs = nodes.map((n) => n.x + BOX_W);
  const dy = MARGIN - Math.min(...ys);
  for (const n of nodes) n.y += dy;
  for (const e of edges) for (const p of e.points) p.y += dy;
  return { nodes, edges, width: Math.ceil(Math.max(...xs) + MARGIN), height: Math.ceil(Math.max(...ys) + dy + MARGIN) };
}

const r1 = (n: number) => +n.toFixed(1);

/** Straight runs, and S-bends with horizontal tangents that stay within the box of their two ends. */
function edgePath(e: Edge): string {
  const [first, ...rest] = e.points;
  let d = `M${r1(first!.x)},${r1(first!.y)}`;
  let prev = first!;
  for (const p of rest) {
    const mid = r1((prev.x + p.x) / 2);
    d += p.y === prev.y ? ` L${r1(p.x)},${r1(p.y)}` : ` C${mid},${r1(prev.y)} ${mid},${r1(p.y)} ${r1(p.x)},${r1(p.y)}`;
    prev = p;
  }
  return `<path class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}" d="${d}" marker-end="url(#arrow)"/>`;
}

function box(node: Node, stage: StageRecord | undefined): string {
  const status = stage?.status ?? "pending";
  const rx = node.kind === "gate" ? 18 : 4;
  const [x, y] = [r1(node.x), r1(node.y)];
  return [
    `<g class="node status-${esc(status)} kind-${node.kind}" data-stage="${esc(node.id)}">`,
    `<title>${esc(node.id)} (${node.kind}): ${esc(status)}${stage?.reason ? ` - ${esc(stage.reason)}` : ""}</title>`,
    `<rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="${rx}"/>`,
    `<text x="${x + BOX_W / 2}" y="${y + 17}" text-anchor="middle">${esc(label(node.id))}</text>`,
    `<text class="sub" x="${x + BOX_W / 2}" y="${y + 32}" text-anchor="middle">${esc(status.replace(/_/g, " "))}</text>`,
    `</g>`,
  ].join("");
}

/**
 * The DAG as an inline SVG element that scales down to fit its container (never up). Without a plan,
 * stages are stacked in recorded order and no edges are drawn (the records do not keep dependencies).
 *
 * @example
 * ```ts
 * const svg = dagSvg(plan, run.stages);
 * ```
 */
export function dagSvg(plan: Plan | null, stages: readonly StageRecord[]): string {
  const ids = plan ? plan.stages.map((s) => s.id) : stages.map((s) => s.id);
  const known = new Set(ids);
  const deps = (plan?.stages ?? []).flatMap((s) =>
    s.dependsOn.filter((d) => known.has(d)).map((d) => [d, s.id] as const),
  );
  const kinds = new Map<string, "task" | "gate">([
    ...stages.map((s) => [s.id, s.kind] as const),
    ...(plan?.stages.map((s) => [s.id, s.kind] as const) ?? []),
  ]);
  const { nodes, edges, width, height } = layout(ids, deps, kinds);
  const byId = new Map(stages.map((s) => [s.id, s]));
  return [
    `<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 ${width} ${height}" style="max-width:${width}px" role="img" aria-label="pipeline graph">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
    ...edges.map(edgePath),
    ...nodes.map((n) => box(n, byId.get(n.id))),
    `</svg>`,
  ].join("\n");
}
