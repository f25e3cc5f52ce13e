/**
 * A gate's fingerprint: its rules, the parameters its bounds come from, and the content of every file
 * it reads (the metrics file, the files and sums its file rules name). Two verdicts with the same fingerprint judged the same data.
 */
import path from "node:path";
import type { Stage } from "../../../plan/schema.js";
import { boundParams, leafRules } from "../../../plan/rules.js";
import { canonicalJson, sha256 } from "../../../planner/hash.js";
import { resolveTemplate, type ParamValue } from "../../../planner/template.js";
import { NotRegularFile, type FileHasher } from "./file-hash.js";

/**
 * The fingerprint of gate stage `stage` over the files as they are now.
 *
 * @example
 * ```ts
 * await gateFingerprint(plan.stages[2], values, process.cwd(), new FileHasher()); // "9f2c..."
 * ```
 */
export async function gateFingerprint(
  stage: Stage,
  values: Readonly<Record<string, ParamValue>>,
  root: string,
  hasher: FileHasher,
): Promise<string> {
  const gate = stage.gate;
  if (gate === null) throw new Error(`stage "${stage.id}" is not a gate`);
  const cwd = stage.cwd === null ? root : path.resolve(root, resolveTemplate(stage.cwd, values));
  const templates = [...(gate.metrics ? [gate.metrics] : [])];
  for (const rule of leafRules(gate.rules)) {
    if ("file" in rule) templates.push(rule.file);
    if ("sums" in rule) templates.push(rule.sums);
  }
  const files = [];
  for (const t of templates) {
    const file = resolveTemplate(t, values);
    let content;
    try {
      content = await hasher.hash(path.resolve(cwd, file));
    } catch (error) {
      if (!(error instanceof NotRegularFile)) throw error;
      content = error.what;
    }
    files.push({ file, content });
  }
  // The values of parameters that rules take bounds from: a new threshold is a new verdict. Left out
  // when there are none, so the fingerprints of earlier gates stay the same.
  const bounds = Object.fromEntries(boundParams(gate.rules).map((name) => [name, values[name] ?? null]));
  return sha256(canonicalJson({ v: 1, gate, files, ...(Object.keys(bounds).length > 0 ? { bounds } : {}) }));
}
