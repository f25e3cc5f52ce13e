/**
 * "Why does this run?": the differences between a stage's fingerprint now and the one of its
 * latest execution, as short reasons a person reads (`param run changed (r1 -> alt)`).
 */
import { canonicalJson } from "../../../planner/hash.js";
import type { FingerprintDetails } from "./fingerprint.js";

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const shown = (v: unknown) => (v === undefined ? "unset" : typeof v === "string" ? v : JSON.stringify(v));

function changedKeys(
  before: Record<string, unknown>,
  now: Record<string, unknown>,
  what: string,
  values: boolean,
): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return keys
    .filter((k) => !same(before[k], now[k]))
    .map((k) => (values ? `${what} ${k} changed (${shown(before[k])} -> ${shown(now[k])})` : `${what} ${k} changed`));
}

function inputReasons(before: FingerprintDetails["inputs"], now: FingerprintDetails["inputs"]): string[] {
  const old = new Map(before.map((i) => [i.path, i.content]));
  const reasons: string[] = [];
  for (const i of now) {
    if (!old.has(i.path)) reasons.push(`input ${i.path} added`);
    else if (!same(old.get(i.path), i.content)) reasons.push(`input ${i.path} changed`);
  }
  const current = new Set(now.map((i) => i.path));
  for (const i of before) if (!current.has(i.path)) reasons.push(`input ${i.path} removed`);
  return reasons;
}

const asRecord = (v: unknown) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

/**
 * The reasons a fingerprint differs from an earlier one; empty when nothing that is compared differs.
 * When a parameter changed, the command, env and path changes it explains are not listed again.
 *
 * @example
 * ```ts
 * explainChange(last.details, now.details); // ["param run changed (r1 -> alt)", "input data/x.csv changed"]
 * ```
 */
export function explainChange(before: Record<string, unknown>, now: FingerprintDetails): string[] {
  const params = changedKeys(asRecord(before.params), asRecord(now.params), "param", true);
  // Templates fill parameters into commands, env values and paths: a changed param explains those.
  const derived: string[] = [];
  if (!same(before.command, now.command)) derived.push("command changed");
  if (!same(before.cwd, now.cwd)) derived.push(`working directory changed (${shown(before.cwd)} -> ${shown(now.cwd)})`);
  derived.push(...changedKeys(asRecord(before.env), asRecord(now.env), "env", false));
  if (!same(before.outputs, now.outputs)) derived.push("declared outputs changed");
  const reasons = params.length > 0 ? [...params] : derived;
  if (!same(before.secretEnv, now.secretEnv)) reasons.push("secret env names changed");
  const inputs = Array.isArray(before.inputs) ? (before.inputs as FingerprintDetails["inputs"]) : [];
  reasons.push(...inputReasons(inputs, now.inputs));
  return reasons;
}
