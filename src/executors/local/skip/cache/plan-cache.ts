/**
 * Plans read from plan.json, kept once validated. `updraft run plan.json` checks the file against
 * the Plan schema and plans it again on every run; in a no-op run of a 100-stage chain that was
 * the largest single cost after Node's own start (about 20 ms, most of it zod's first parse, before
 * the JIT has warmed up). The result is kept in `<cache>/plans/`, named by the SHA-256 of the
 * file's bytes and of the code that planned it: the same bytes planned by the same build give the
 * same plan.
 *
 * "The same build" is the compiled chunk this code runs from. `npm run build` names each bundled
 * chunk by a hash of its content, which holds the hashed names of the chunks it imports, so any
 * change to updraft's code gives this module another path. Run from source (under tsx), or from
 * a file whose name holds no hash, the path says nothing about the other files, and nothing is
 * cached.
 *
 * An entry holds a header line (its key and the SHA-256 of its body) and the body, the plan and
 * its warnings as JSON. One that cannot be read, has another key or a body that does not match its
 * hash is not used and is written again. Failing to write an entry only costs speed, and so does
 * removing entries: `gc --cache` removes them all.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeTextAtomic } from "./atomic.js";
import { planFromJson, type PlanResult } from "../../../../planner/plan.js";

const KIND = "updraft-plan-cache 1";
const FOLDER = "plans";

let codeId: string | null | undefined;

/** A chunk written by scripts/bundle.ts: `chunks/NAME-HASH.js`. */
const HASHED_CHUNK = /[/\\]chunks[/\\][\w-]+-[A-Z0-9]{8}\.js$/;

/** The identity of the running build (path and size of this bundled chunk), or null when there is none. */
function runningCode(): string | null {
  if (codeId !== undefined) return codeId;
  const file = fileURLToPath(import.meta.url);
  if (!HASHED_CHUNK.test(file)) return (codeId = null);
  try {
    return (codeId = `${file}\0${statSync(file).size}`);
  } catch {
    return (codeId = null);
  }
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * `planFromJson` of the JSON in `bytes`, from `cacheDir` when this build planned the same bytes
 * before. Only valid plans are kept. `parse` turns the bytes into the JSON value (the caller's
 * own errors for bad JSON); it is not called on a cache hit. `code` names the build (tests give
 * their own; null: do not cache).
 *
 * @example
 * ```ts
 * const result = cachedPlanFromJson(readFileSync("plan.json"), ".updraft/cache", parseOrThrow);
 * ```
 */
export function cachedPlanFromJson(
  bytes: Buffer,
  cacheDir: string | null,
  parse: (bytes: Buffer) => unknown,
  code: string | null = runningCode(),
): PlanResult {
  if (code === null || cacheDir === null) return planFromJson(parse(bytes));
  const key = sha256(Buffer.concat([Buffer.from(`${code}\0`), bytes]));
  const file = path.join(cacheDir, FOLDER, `${key}.json`);
  const hit = readEntry(file, key);
  if (hit) return hit;
  const result = planFromJson(parse(bytes));
  if (result.ok) {
    const body = JSON.stringify({ plan: result.plan, warnings: result.warnings });
    try {
      writeTextAtomic(file, `${JSON.stringify({ kind: KIND, key, body: sha256(body) })}\n${body}`);
    } catch {
      // A read-only project plans the file again next time.
    }
  }
  return result;
}

function readEntry(file: string, key: string): PlanResult | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const newline = text.indexOf("\n");
  if (newline < 0) return null;
  try {
    const head = JSON.parse(text.slice(0, newline)) as { kind?: unknown; key?: unknown; body?: unknown };
    const body = text.slice(newline + 1);
    if (head.kind !== KIND || head.key !== key || head.body !== sha256(body)) return null;
    const { plan, warnings } = JSON.parse(body) as Omit<Extract<PlanResult, { ok: true }>, "ok">;
    return { ok: true, plan, warnings };
  } catch {
    return null;
  }
}

/**
 * Remove every kept plan (`gc --cache`): each plan.json is validated again on its next run.
 * Returns how many there were.
 *
 * @example
 * ```ts
 * const removed = prunePlans(".updraft/cache", { dryRun: false });
 * ```
 */
export function prunePlans(cacheDir: string, options: { dryRun: boolean }): number {
  const dir = path.join(cacheDir, FOLDER);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  if (!options.dryRun) rmSync(dir, { recursive: true, force: true });
  return names.filter((n) => n.endsWith(".json")).length;
}
