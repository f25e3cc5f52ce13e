/**
 * Declared inputs and outputs as ML data has them: single files, directories (hashed as trees) and
 * glob patterns (`data/*.csv`, matched by tinyglobby). A glob's hash covers the relative paths and
 * hashes of the files it matches, so a file added, removed or changed counts.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import type { StagePath } from "../resolve-stage.js";
import { specialKind, type ContentHash, type FileHasher } from "./file-hash.js";

/**
 * Whether a declared path is a glob pattern.
 *
 * @example
 * ```ts
 * isGlob("data/*.csv"); // true
 * ```
 */
export function isGlob(declared: string): boolean {
  return isDynamicPattern(declared);
}

/**
 * The files a glob matches, as absolute paths, sorted.
 *
 * @example
 * ```ts
 * globMatches({ declared: "data/*.csv", base: root, absolute, shown }); // ["/p/data/a.csv"]
 * ```
 */
export function globMatches(p: StagePath): string[] {
  return globSync(p.declared, { cwd: p.base, absolute: true, dot: true, expandDirectories: false }).sort();
}

/**
 * The hash of a declared path: a file, a directory tree, or the files a glob matches; null when it
 * does not exist (a glob that matches nothing). Throws NotRegularFile for a FIFO, device or socket.
 *
 * @example
 * ```ts
 * await pathHash(resolved.inputs[0], hasher); // { size, sha256 } or null
 * ```
 */
export async function pathHash(p: StagePath, hasher: FileHasher): Promise<ContentHash | null> {
  if (!isGlob(p.declared)) return hasher.hash(p.absolute);
  const files = globMatches(p);
  if (files.length === 0) return null;
  const hash = createHash("sha256");
  let size = 0;
  for (const file of files) {
    const h = await hasher.hash(file);
    if (h === null) continue;
    size += h.size;
    hash.update(`${h.sha256}  ${path.relative(p.base, file)}\n`);
  }
  return { size, sha256: hash.digest("hex") };
}

/**
 * What is wrong with a declared path before anything reads it: "missing", or the kind of special
 * file it is (never opened), or null when it is fine. A glob checks the files it matches.
 *
 * @example
 * ```ts
 * pathProblem(input); // null | "missing" | "a FIFO (named pipe)"
 * ```
 */
export function pathProblem(p: StagePath): string | null {
  const files = isGlob(p.declared) ? globMatches(p) : [p.absolute];
  if (files.length === 0) return "missing";
  for (const file of files) {
    const info = statSync(file, { throwIfNoEntry: false });
    if (info === undefined) return "missing";
    const what = specialKind(info);
    if (what !== null) return what;
  }
  return null;
}

/** The part of a path before its first glob segment: `/p/data/*.csv` -> `/p/data`. */
function staticBase(p: StagePath): string {
  if (!isGlob(p.declared)) return p.absolute;
  const parts = p.absolute.split(path.sep);
  const first = parts.findIndex((part) => isDynamicPattern(part));
  return parts.slice(0, first).join(path.sep) || path.sep;
}

/**
 * Whether `input` may be written by one of `outputs`: the same path, inside an output directory, or,
 * where a glob is involved, under the same fixed directory.
 *
 * @example
 * ```ts
 * producedBy(trainInput, prepOutputs); // true
 * ```
 */
export function producedBy(input: StagePath, outputs: readonly StagePath[]): boolean {
  const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
  const a = staticBase(input);
  return outputs.some((o) => {
    const b = staticBase(o);
    return inside(a, b) || ((isGlob(input.declared) || isGlob(o.declared)) && inside(b, a));
  });
}
