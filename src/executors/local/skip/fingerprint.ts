/**
 * Stage fingerprints and output records: what decides that a stage is up to date.
 */
import path from "node:path";
import { canonicalJson, sha256 } from "../../../planner/hash.js";
import type { Stage, Template } from "../../../plan/schema.js";
import { paramEnvName, templateParams, type ParamValue } from "../../../planner/template.js";
import type { OutputRecord, StageRecord } from "../../../records/manifest.js";
import type { FileHasher } from "./file-hash.js";
import type { ResolvedStage, StagePath } from "../resolve-stage.js";

/**
 * The parameters a stage uses: those its templates (command, env, cwd, inputs, outputs) refer
 * to, and those whose `UPDRAFT_PARAM_<NAME>` its command or env text names outright.
 *
 * @example
 * ```ts
 * usedParams(stage, ["ctx_len", "run_name"]); // ["ctx_len"]
 * ```
 */
export function usedParams(stage: Stage, names: readonly string[]): string[] {
  const templates: Template[] = [...Object.values(stage.env), ...stage.inputs, ...stage.outputs];
  if (stage.cwd) templates.push(stage.cwd);
  if (stage.command?.kind === "argv") templates.push(...stage.command.argv);
  if (stage.command?.kind === "shell") templates.push(stage.command.script);
  const used = new Set(templates.flatMap(templateParams));
  const text = templates.flatMap((t) => t.filter((part): part is string => typeof part === "string")).join("\n");
  return names.filter((n) => used.has(n) || text.includes(paramEnvName(n)));
}

/**
 * The fingerprint of a stage about to run: SHA-256 of the canonical JSON of its command, working
 * directory, env, the values of the parameters it uses (see `usedParams`), the names of its
 * secrets (never their values), its declared outputs and the content hashes of its inputs.
 * A program that reads an `UPDRAFT_PARAM_*` variable the stage never mentions is not covered:
 * pass the parameter in the command or env instead.
 *
 * @example
 * ```ts
 * const fp = await fingerprint(stage, resolved, values, new FileHasher());
 * ```
 */
export async function fingerprint(
  stage: Stage,
  resolved: ResolvedStage,
  values: Readonly<Record<string, ParamValue>>,
  hasher: FileHasher,
): Promise<string> {
  const inputs = await Promise.all(
    resolved.inputs.map(async (p) => ({ path: p.shown, content: await hasher.hash(p.absolute) })),
  );
  const params = Object.fromEntries(usedParams(stage, Object.keys(values)).map((n) => [n, values[n]]));
  const env = Object.fromEntries(Object.entries(stage.env).map(([k]) => [k, resolved.env[k]]));
  return sha256(
    canonicalJson({
      v: 1,
      command: resolved.command,
      cwd: resolved.cwd.shown,
      env,
      params,
      secretEnv: [...stage.secretEnv].sort(),
      inputs,
      outputs: resolved.outputs.map((p) => p.shown),
    }),
  );
}

/**
 * Records of a stage's outputs, or the first declared output that is missing.
 *
 * @example
 * ```ts
 * const got = await outputRecords(resolved.outputs, hasher);
 * if ("missing" in got) console.error(`missing output: ${got.missing}`);
 * ```
 */
export async function outputRecords(
  outputs: readonly StagePath[],
  hasher: FileHasher,
): Promise<{ records: OutputRecord[] } | { missing: string }> {
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
export async function changedOutput(
  recorded: StageRecord["outputs"],
  hasher: FileHasher,
  root: string,
): Promise<string | null> {
  for (const out of recorded) {
    const h = await hasher.hash(path.resolve(root, out.path));
    if (h === null) return `${out.path} (missing)`;
    if (h.sha256 !== out.sha256) return `${out.path} (changed)`;
  }
  return null;
}
