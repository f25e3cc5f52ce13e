/**
 * Stage fingerprints and output records: what decides that a stage is up to date.
 */
import path from "node:path";
import { canonicalJson, sha256 } from "../../../planner/hash.js";
import type { Stage, Template } from "../../../plan/schema.js";
import { argvTemplates, paramEnvName, templateParams, type ParamValue } from "../../../planner/template.js";
import type { OutputRecord, StageRecord } from "../../../records/manifest.js";
import { NotRegularFile, type ContentHash, type FileHasher } from "./file-hash.js";
import { pathHash } from "./paths.js";
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
  if (stage.command?.kind === "argv") templates.push(...argvTemplates(stage.command.argv));
  if (stage.command?.kind === "shell") templates.push(stage.command.script);
  const used = new Set(templates.flatMap(templateParams));
  const text = templates.flatMap((t) => t.filter((part): part is string => typeof part === "string")).join("\n");
  return names.filter((n) => used.has(n) || text.includes(paramEnvName(n)));
}

/** What a fingerprint is made of (the canonical JSON of this is hashed). */
export type FingerprintDetails = Record<string, unknown> & {
  inputs: { path: string; content: ContentHash | null }[];
};

/** A stage's fingerprint, what it is made of, and the declared inputs that do not exist. */
export interface Fingerprint {
  readonly fp: string;
  readonly details: FingerprintDetails;
  readonly missing: readonly string[];
}

/**
 * The fingerprint of a stage about to run: SHA-256 of the canonical JSON of its command, working
 * directory, env, the values of the parameters it uses (see `usedParams`), the names of its
 * secrets (never their values), its declared outputs and the content hashes of its inputs (files,
 * directory trees, the files a glob matches). A program that reads an `UPDRAFT_PARAM_*` variable
 * the stage never mentions is not covered: pass the parameter in the command or env instead.
 * Throws NotRegularFile when an input is a FIFO, device or socket.
 *
 * @example
 * ```ts
 * const { fp, missing } = await fingerprint(stage, resolved, values, new FileHasher());
 * ```
 */
export async function fingerprint(
  stage: Stage,
  resolved: ResolvedStage,
  values: Readonly<Record<string, ParamValue>>,
  hasher: FileHasher,
): Promise<Fingerprint> {
  const inputs: FingerprintDetails["inputs"] = [];
  for (const p of resolved.inputs) inputs.push({ path: p.shown, content: await pathHash(p, hasher) });
  const params = Object.fromEntries(usedParams(stage, Object.keys(values)).map((n) => [n, values[n]]));
  const env = Object.fromEntries(Object.entries(stage.env).map(([k]) => [k, resolved.env[k]]));
  const details: FingerprintDetails = {
    v: 1,
    command: resolved.command,
    cwd: resolved.cwd.shown,
    env,
    params,
    secretEnv: [...stage.secretEnv].sort(),
    inputs,
    outputs: resolved.outputs.map((p) => p.shown),
  };
  const missing = resolved.inputs.filter((_, i) => inputs[i]!.content === null).map((p) => p.shown);
  return { fp: sha256(canonicalJson(details)), details, missing };
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
    let h;
    try {
      h = await pathHash(p, hasher);
    } catch (error) {
      if (error instanceof NotRegularFile)
        return { missing: `${p.declared} (${error.what}, not a regular file or directory)` };
      throw error;
    }
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
    const h = await pathHash(
      { declared: out.path, base: root, absolute: path.resolve(root, out.path), shown: out.path },
      hasher,
    );
    if (h === null) return `${out.path} (missing)`;
    if (h.sha256 !== out.sha256) return `${out.path} (changed)`;
  }
  return null;
}
