/**
 * Ordering: deterministic topological order (ties by declaration order), minimal levels, the
 * critical path, and whole cycles when there is no order.
 */
import { Graph, alg } from "@dagrejs/graphlib";

/** A node as the ordering sees it: its declaration index, dependencies and weight. */
export interface GraphNode {
  readonly id: string;
  readonly dependsOn: readonly string[];
  readonly weight: number;
}

/** A binary min-heap of declaration indices. */
class IndexHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= value) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && a[r]! < a[l]! ? r : l;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/**
 * Topological order of node indices, dependencies first, ties by declaration order. Nodes on or
 * behind a cycle are left out; the caller compares lengths. Unknown dependencies are ignored.
 */
export function topologicalOrder(nodes: readonly GraphNode[]): number[] {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const pending = new Array<number>(nodes.length).fill(0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const dep of new Set(n.dependsOn)) {
      const d = index.get(dep);
      if (d === undefined) continue;
      pending[i]!++;
      dependents[d]!.push(i);
    }
  });
  const ready = new IndexHeap();
  pending.forEach((count, i) => count === 0 && ready.push(i));
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const j of dependents[i]!) if (--pending[j]! === 0) ready.push(j);
  }
  return order;
}

/** Levels (0 = no dependencies) and the critical path, given a complete topological order. */
export function levelsAndCriticalPath(
  nodes: readonly GraphNode[],
  order: readonly number[],
): { levels: string[][]; criticalPath: string[] } {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const level = new Array<number>(nodes.length).fill(0);
  const dist = new Array<number>(nodes.length).fill(0);
  const prev = new Array<number>(nodes.length).fill(-1);
  const levels: string[][] = [];
  let end = -1;
  for (const i of order) {
    const node = nodes[i]!;
    let best = -1;
    for (const dep of node.dependsOn) {
      const d = index.get(dep);
      if (d === undefined) continue;
      level[i] = Math.max(level[i]!, level[d]! + 1);
      if (best === -1 || dist[d]! > dist[best]! || (dist[d] === dist[best] && d < best)) best = d;
    }
    dist[i] = node.weight + (best === -1 ? 0 : dist[best]!);
    prev[i] = best;
    (levels[level[i]!] ??= []).push(node.id);
    if (end === -1 || dist[i]! > dist[end]!) end = i;
  }
  const criticalPath: string[] = [];
  for (let i = end; i !== -1; i = prev[i]!) criticalPath.push(nodes[i]!.id);
  return { levels, criticalPath: criticalPath.reverse() };
}

/**
 * Every dependency cycle among `nodes`, each as the loop of ids in "depends on" direction,
 * starting and ending at its first-declared member: `["a", "b", "a"]` means a depends on b,
 * b on a.
 */
export function findCycles(nodes: readonly GraphNode[]): string[][] {
  const g = new Graph({ directed: true });
  const position = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!position.has(n.id)) position.set(n.id, i);
    g.setNode(n.id);
  });
  for (const n of nodes) for (const dep of n.dependsOn) if (position.has(dep)) g.setEdge(n.id, dep);
  const cycles: string[][] = [];
  for (const component of alg.tarjan(g)) {
    const members = new Set(component);
    const first = [...members].sort((a, b) => position.get(a)! - position.get(b)!)[0]!;
    if (members.size === 1 && !g.hasEdge(first, first)) continue;
    cycles.push(shortestLoop(g, first, members));
  }
  return cycles.sort((a, b) => position.get(a[0]!)! - position.get(b[0]!)!);
}

/** Breadth-first: the shortest path from `start` back to itself inside one component. */
function shortestLoop(g: Graph, start: string, members: Set<string>): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head]!;
    const next = (g.successors(at) ?? []).filter((s) => members.has(s)).sort();
    for (const s of next) {
      if (s === start) {
        const loop = [start];
        for (let p: string | undefined = at; p !== undefined && p !== start; p = from.get(p)) loop.push(p);
        return [start, ...loop.slice(1).reverse(), start];
      }
      if (!from.has(s)) {
        from.set(s, at);
        queue.push(s);
      }
    }
  }
  return [start, start];
}
