/**
 * Lineage of a run: which files each stage read and wrote, and which stage produced each input.
 */
import path from "node:path";
import type { OutputRecord } from "./manifest.js";
import type { RunView } from "./run-view.js";

/** An input of a stage, traced to the stage of the same run that wrote it (null: from outside). */
export interface LineageInput {
  path: string;
  producedBy: string | null;
  sha256: string | null;
}

/** One stage's inputs and outputs. */
export interface LineageStep {
  stage: string;
  inputs: LineageInput[];
  outputs: OutputRecord[];
}

/**
 * Inputs -> outputs for every stage of a run, in stage order.
 *
 * @example
 * ```ts
 * for (const step of lineage(run)) console.log(step.stage, step.inputs.map((i) => i.producedBy));
 * ```
 */
export function lineage(run: Pick<RunView, "stages">): LineageStep[] {
  const producers = new Map<string, { stage: string; out: OutputRecord }>();
  for (const s of run.stages)
    for (const out of s.outputs) producers.set(path.normalize(out.path), { stage: s.id, out });
  return run.stages.map((s) => ({
    stage: s.id,
    inputs: s.inputs.map((p) => {
      const from = producers.get(path.normalize(p));
      return { path: p, producedBy: from && from.stage !== s.id ? from.stage : null, sha256: from?.out.sha256 ?? null };
    }),
    outputs: s.outputs,
  }));
}
