/**
 * Gates guard `--only` and `--from`: a stage started on its own must not skip past a blocking gate
 * upstream that judged the same data FAIL in its latest evaluation. `--ignore-gates` overrides it
 * (and the manifest records that it did).
 */
import path from "node:path";
import type { Plan } from "../../../plan/schema.js";
import type { ParamValue } from "../../../planner/template.js";
import type { GateResult } from "../../../records/manifest.js";
import { RunSetupError } from "../errors.js";
import { listRunIds, readManifest } from "../run-dir/run-dir.js";
import { FileHasher } from "../skip/file-hash.js";
import { gateFingerprint } from "../skip/gate-fingerprint.js";

/** The latest evaluation of gate `id`: its verdict, fingerprint and run. */
function latestVerdict(
  runsDir: string,
  pipelineId: string,
  id: string,
): { result: GateResult; fingerprint: string | null; runId: string } | null {
  for (const runId of listRunIds(runsDir)) {
    const got = readManifest(path.join(runsDir, runId, "manifest.json"), pipelineId);
    if (!got.ok) continue;
    const record = got.value.stages.find((s) => s.id === id);
    if (record?.gate) return { result: record.gate, fingerprint: record.fingerprint, runId };
  }
  return null;
}

/**
 * Throw a RunSetupError when a selected stage has a blocking gate upstream, outside the selection,
 * whose latest verdict on the same files is FAIL.
 *
 * @example
 * ```ts
 * await guardGates(plan, selection.selected, values, root, runsDir);
 * ```
 */
export async function guardGates(
  plan: Plan,
  selected: ReadonlySet<string>,
  values: Readonly<Record<string, ParamValue>>,
  root: string,
  runsDir: string,
): Promise<void> {
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const gates = new Map<string, string[]>();
  for (const s of plan.stages) {
    if (!selected.has(s.id)) continue;
    const stack = [...s.dependsOn];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const up = byId.get(id);
      if (up?.kind === "gate" && up.gate?.severity === "block" && !selected.has(id))
        gates.set(id, [...(gates.get(id) ?? []), s.id]);
      stack.push(...(up?.dependsOn ?? []));
    }
  }
  const hasher = new FileHasher();
  for (const [id, stages] of gates) {
    const latest = latestVerdict(runsDir, plan.pipeline.id, id);
    if (latest === null || latest.result.verdict !== "FAIL") continue;
    if (latest.fingerprint !== (await gateFingerprint(byId.get(id)!, values, root, hasher))) continue;
    throw new RunSetupError(
      `gate ${id} failed in run ${latest.runId} on the same data, and ${stages.join(", ")} depend${stages.length === 1 ? "s" : ""} on it: ${latest.result.reason}`,
      `fix the data and run ${id} again (e.g. --from ${id}), or give --ignore-gates to start anyway (the run records it)`,
    );
  }
}
