/**
 * Evaluate one quality gate on this machine: read its metrics file, examine the files its rules
 * name, and hand the facts to the pure `evaluateGate`.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, constants, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { GateResult } from "../records/manifest.js";
import type { Gate } from "../plan/schema.js";
import { leafRules } from "../plan/rules.js";
import type { ParamValue } from "../planner/template.js";
import { evaluateGate, tryResolve, type FileFacts } from "./evaluate.js";
import { parseMetricsBytes, type MetricsInput } from "./metrics-json.js";
import { parseSums } from "./sums.js";

type Values = Readonly<Record<string, ParamValue>>;
/** What to read from a file beyond its size. */
interface Needs {
  hash: boolean;
  sums: boolean;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

async function loadMetrics(file: string): Promise<MetricsInput> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { error: "is a directory" };
    if (!info.isFile()) return { error: "is not a regular file" };
    return parseMetricsBytes(await readFile(file));
  } catch (e) {
    return { error: code(e) === "ENOENT" || code(e) === "ENOTDIR" ? "does not exist" : "cannot be read" };
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function examine(file: string, needs: Needs): Promise<FileFacts> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { kind: "directory" };
    if (!info.isFile()) return { kind: "other" };
    await access(file, constants.R_OK);
    const facts: { kind: "file"; size: number; sha256?: string; sums?: ReturnType<typeof parseSums> | null } = {
      kind: "file",
      size: info.size,
    };
    if (needs.hash) facts.sha256 = await sha256Of(file);
    if (needs.sums) {
      try {
        facts.sums = parseSums(new TextDecoder("utf-8", { fatal: true }).decode(await readFile(file)));
      } catch (e) {
        if (e instanceof TypeError) facts.sums = null;
        else throw e;
      }
    }
    return facts;
  } catch (e) {
    return { kind: code(e) === "ENOENT" || code(e) === "ENOTDIR" ? "missing" : "unreadable" };
  }
}

/** The resolved paths the gate's file rules name, with what each needs. */
function filesNeeded(gate: Gate, values: Values): Map<string, Needs> {
  const needed = new Map<string, Needs>();
  const add = (template: Gate["metrics"], need: Partial<Needs>) => {
    if (template === null) return;
    const resolved = tryResolve(template, values);
    if ("error" in resolved) return;
    const prev = needed.get(resolved.path) ?? { hash: false, sums: false };
    needed.set(resolved.path, { hash: prev.hash || !!need.hash, sums: prev.sums || !!need.sums });
  };
  for (const rule of leafRules(gate.rules)) {
    if (!("file" in rule)) continue;
    add(rule.file, { hash: rule.op === "sha256" || rule.op === "sha256-listed" || rule.op === "sha256-metric" });
    if (rule.op === "sha256-listed") add(rule.sums, { sums: true });
  }
  return needed;
}

/**
 * The verdict of gate `gateId`. Relative paths are taken from `cwd`; templates are resolved with
 * `values`. Never throws for bad metrics or files: those FAIL the gate with a reason.
 *
 * @example
 * ```ts
 * const result = await runGate("data_ok", stage.gate!, { run: "r1" }, process.cwd());
 * if (result.verdict === "FAIL") console.log(result.reason); // "rows is 80, expected at least 100"
 * ```
 */
export async function runGate(gateId: string, gate: Gate, values: Values, cwd: string): Promise<GateResult> {
  const metricsPath = gate.metrics === null ? null : tryResolve(gate.metrics, values);
  const metrics =
    metricsPath !== null && "path" in metricsPath ? await loadMetrics(path.resolve(cwd, metricsPath.path)) : null;
  // No prototype: a file may be called "__proto__".
  const files = Object.create(null) as Record<string, FileFacts>;
  for (const [file, needs] of filesNeeded(gate, values)) files[file] = await examine(path.resolve(cwd, file), needs);
  return evaluateGate({ gateId, gate, values, metrics, files, time: new Date().toISOString() });
}
