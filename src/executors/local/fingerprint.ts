/**
 * Stage fingerprints and output records: what decides that a stage is up to date.
 */
import path from "node:path";
import { canonicalJson, sha256 } from "../../planner/hash.js";
import type { ParamValue } from "../../planner/template.js";
import type { OutputRecord, StageRecord } from "../manifest.js";
import type { FileHasher } from "./file-hash.js";
import type { ResolvedStage, StagePath } from "./resolve-stage.js";

/**
 * The fingerprint of a stage about to run: SHA-256 of the canonical JSON of its command, working
 * directory, env, every parameter value (all reach the process as `UPDRAFT_PARAM_*`), the names of
 * its secrets (never their values), its declared outputs and the content hashes of its inputs.
 *
 * @example
 * ```ts
 * const fp = await fingerprint(resolved, values, stage.secretEnv, new FileHasher());
 * ```
 */
export async function fingerprint(
  stage: ResolvedStage,
  values: Readonly<Record<string, ParamValue>>,
  secretEnv: readonly string[],
  hasher: FileHasher,
): Promise<string> {
  const inputs = await Promise.all(stage.inputs.map(async (p) => ({ path: p.shown, content: await hasher.hash(p.absolute) })));
  return sha256(canonicalJson({
    v: 1,
    command: stage.command,
    cwd: stage.cwd.shown,
    env: stage.env,
    params: values,
    secretEnv: [...secretEnv].sort(),
    inputs,
    outputs: stage.outputs.map((p) => p.shown),
  }));
}

/**
 * Records of a stage's outputs, or the first declared output that is missing.
 *
 * @example
 * ```ts
 * const got = await outputRecords(resolved.outputs, hasher);
 * if ("missing" in got) throw new MissingOutput(got.missing);
 * ```
 */
export async function outputRecords(outputs: readonly StagePath[], hasher: FileHasher): Promise<{ records: OutputRecord[] } | { missing: string }> {
  const records: OutputRecord[] = [];
  for (const p of outputs) {
    const h = await hasher.hash(p.absolute);
    if (h === null) return { missing: p.declared };
    records.push({ path: p.shown, size: h.size, sha256: h.sha256 });
  }
  return { records };
}

/**
 * Whether a stage's recorded outputs are still as they were; null when they are, else the first
 * one that changed or went missing. Recorded paths are relative to `root` (the run's start dir).
 *
 * @example
 * ```ts
 * await changedOutput(previous.outputs, hasher, process.cwd()); // null, or "out/model.pth (changed)"
 * ```
 */
export async function changedOutput(recorded: StageRecord["outputs"], hasher: FileHasher, root: string): Promise<string | null> {
  for (const out of recorded) {
    const h = await hasher.hash(path.resolve(root, out.path));
    if (h === null) return `${out.path} (missing)`;
    if (h.sha256 !== out.sha256) return `${out.path} (changed)`;
  }
  return null;
}
