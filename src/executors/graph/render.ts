/**
 * The DAG as a picture: Mermaid (for Markdown) or Graphviz DOT. Edges point from a dependency to
 * the stage that waits for it.
 */
import type { Plan, Stage } from "../../plan/schema.js";
import { needsGpu } from "../../planner/params.js";

const mermaidId = (i: number) => `s${i}`;
const mermaidLabel = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;
const dotString = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
/** A stage's GPU count as a graph labels it: `2`, or `param gpus` when a parameter gives it. */
const gpuShown = (s: Stage) => (typeof s.gpu === "number" ? String(s.gpu) : `param ${s.gpu.param}`);

/**
 * Mermaid flowchart; gates are diamonds.
 *
 * @example
 * ```ts
 * toMermaid(plan); // "flowchart TD\n  s0[\"prepare\"]\n ..."
 * ```
 */
export function toMermaid(plan: Plan): string {
  const index = new Map(plan.stages.map((s, i) => [s.id, i]));
  const lines = ["flowchart TD"];
  plan.stages.forEach((s, i) => {
    const label = mermaidLabel(needsGpu(s) ? `${s.id} (gpu ${gpuShown(s)})` : s.id);
    lines.push(`  ${mermaidId(i)}${s.kind === "gate" ? `{${label}}` : `[${label}]`}`);
  });
  for (const s of plan.stages) {
    for (const dep of s.dependsOn) lines.push(`  ${mermaidId(index.get(dep)!)} --> ${mermaidId(index.get(s.id)!)}`);
  }
  return lines.join("\n");
}

/**
 * Graphviz DOT digraph; gates are diamonds.
 *
 * @example
 * ```ts
 * toDot(plan); // 'digraph "rwkv" {\n  rankdir=TB;\n ...'
 * ```
 */
export function toDot(plan: Plan): string {
  const lines = [`digraph ${dotString(plan.pipeline.id)} {`, "  rankdir=TB;", "  node [shape=box];"];
  for (const s of plan.stages) {
    const attrs = [
      s.kind === "gate" ? "shape=diamond" : "",
      needsGpu(s) ? `label=${dotString(`${s.id}\ngpu ${gpuShown(s)}`)}` : "",
    ].filter(Boolean);
    lines.push(`  ${dotString(s.id)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  for (const s of plan.stages) for (const dep of s.dependsOn) lines.push(`  ${dotString(dep)} -> ${dotString(s.id)};`);
  lines.push("}");
  return lines.join("\n");
}
