/**
 * File rules: judge what was found on disk about a file (and, for `sha256-listed`, its sums file).
 * Only a readable regular file can pass; a missing, unreadable or non-regular path fails the rule.
 */
import type { LeafRule } from "../plan/schema.js";
import { formatBytes, kindOf, showActual } from "./format.js";
import type { Check } from "./metric-rules.js";
import { baseName, type SumsEntry } from "./sums.js";

/** A file rule (every rule with a `file`). */
export type FileRule = Extract<LeafRule, { file: unknown }>;

/**
 * What the IO layer found at a path. `sha256` is set when a rule needs the hash; `sums` when the
 * file is read as a sums file (null: it is not valid UTF-8 text).
 */
export type FileFacts =
  | { readonly kind: "missing" | "directory" | "other" | "unreadable" }
  | {
      readonly kind: "file";
      readonly size: number;
      readonly sha256?: string;
      readonly sums?: readonly SumsEntry[] | null;
    };

type Readable = Extract<FileFacts, { kind: "file" }>;

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** Why a path is not a readable regular file, in a sentence; null when it is one. */
function notAFile(label: string, path: string, facts: FileFacts | undefined): string | null {
  const subject = `${label} ${JSON.stringify(path)}`;
  switch (facts?.kind) {
    case "file":
      return null;
    case "missing":
      return `${subject} does not exist`;
    case "directory":
      return `${subject} is a directory, expected a regular file`;
    case "other":
      return `${subject} is not a regular file`;
    case "unreadable":
      return `${subject} cannot be read`;
    case undefined:
      return `${subject} was not examined`;
  }
}

const fail = (reason: string): Check => ({ passed: false, actual: null, reason });

function hashOf(path: string, facts: Readable): string | Check {
  return facts.sha256 ?? fail(`file ${JSON.stringify(path)} was not hashed`);
}

function listedHash(path: string, sumsPath: string, sums: FileFacts | undefined): string | Check {
  const problem = notAFile("sums file", sumsPath, sums);
  if (problem !== null) return fail(problem);
  const entries = (sums as Readable).sums;
  const shown = JSON.stringify(sumsPath);
  if (entries === undefined) return fail(`sums file ${shown} was not read`);
  if (entries === null) return fail(`sums file ${shown} is not valid UTF-8`);
  const name = baseName(path);
  const hashes = new Set(entries.filter((e) => baseName(e.name) === name).map((e) => e.sha256));
  if (hashes.size === 0) return fail(`sums file ${shown} has no entry for ${JSON.stringify(name)}`);
  if (hashes.size > 1) return fail(`sums file ${shown} lists ${JSON.stringify(name)} with different hashes`);
  return [...hashes][0]!;
}

/** Why a `sha256-metric` rule's metric holds no usable hash, or null when it holds one. */
function recordedProblem(
  metric: string,
  shown: string,
  recorded: { readonly value: unknown } | undefined,
): Check | null {
  const expected = `expected the sha256 of ${shown} (64 hex digits)`;
  if (recorded === undefined) return fail(`metric ${metric} is missing, ${expected}`);
  const v = recorded.value;
  if (typeof v === "string" && HEX64.test(v)) return null;
  return {
    passed: false,
    actual: null,
    reason: `metric ${metric} is ${showActual(v, kindOf(v) !== "string")}, ${expected}`,
  };
}

/**
 * Judge one file rule. `path` (and `sumsPath`) are the resolved paths as written in the rule;
 * `facts` maps them to what was found; `recorded` is what a `sha256-metric` rule's metric holds.
 *
 * @example
 * ```ts
 * checkFile({ op: "file-exists", file: ["a.txt"] }, "a.txt", null, { "a.txt": { kind: "missing" } });
 * // { passed: false, actual: null, reason: 'file "a.txt" does not exist' }
 * ```
 */
export function checkFile(
  rule: FileRule,
  path: string,
  sumsPath: string | null,
  facts: Readonly<Record<string, FileFacts>>,
  recorded?: { readonly value: unknown },
): Check {
  const shown = JSON.stringify(path);
  if (rule.op === "sha256" && !HEX64.test(rule.value)) {
    return fail(`the expected sha256 of ${shown}, ${JSON.stringify(rule.value)}, is not 64 hex digits`);
  }
  if (rule.op === "sha256-metric") {
    const problem = recordedProblem(rule.metric, shown, recorded);
    if (problem !== null) return problem;
  }
  const own = Object.hasOwn(facts, path) ? facts[path] : undefined;
  const problem = notAFile("file", path, own);
  if (problem !== null) return fail(problem);
  const file = own as Readable;
  switch (rule.op) {
    case "file-exists":
      return { passed: true, actual: file.size, reason: `file ${shown} exists (${formatBytes(file.size)})` };
    case "file-not-empty":
      return file.size > 0
        ? { passed: true, actual: file.size, reason: `file ${shown} has ${formatBytes(file.size)}, expected not empty` }
        : { passed: false, actual: 0, reason: `file ${shown} is empty, expected not empty` };
    case "sha256": {
      const hash = hashOf(path, file);
      if (typeof hash !== "string") return hash;
      const expected = rule.value.toLowerCase();
      return hash === expected
        ? { passed: true, actual: hash, reason: `sha256 of ${shown} is ${hash}, as expected` }
        : { passed: false, actual: hash, reason: `sha256 of ${shown} is ${hash}, expected ${expected}` };
    }
    case "sha256-metric": {
      const hash = hashOf(path, file);
      if (typeof hash !== "string") return hash;
      const expected = (recorded!.value as string).toLowerCase();
      const where = `as recorded in metric ${rule.metric}`;
      return hash === expected
        ? { passed: true, actual: hash, reason: `sha256 of ${shown} is ${hash}, ${where}` }
        : { passed: false, actual: hash, reason: `sha256 of ${shown} is ${hash}, expected ${expected} ${where}` };
    }
    case "sha256-listed": {
      const hash = hashOf(path, file);
      if (typeof hash !== "string") return hash;
      const listed = listedHash(
        path,
        sumsPath ?? "",
        Object.hasOwn(facts, sumsPath ?? "") ? facts[sumsPath ?? ""] : undefined,
      );
      if (typeof listed !== "string") return { ...listed, actual: hash };
      const where = JSON.stringify(sumsPath);
      return hash === listed
        ? { passed: true, actual: hash, reason: `sha256 of ${shown} is ${hash}, as listed in ${where}` }
        : {
            passed: false,
            actual: hash,
            reason: `sha256 of ${shown} is ${hash}, expected ${listed} as listed in ${where}`,
          };
    }
  }
}
