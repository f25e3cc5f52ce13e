/**
 * Reading a JSON file without throwing: what was read, or whether the file was missing, unreadable
 * or not JSON, so that each caller words the problem for its own reader.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Result } from "./result.js";

/** Why a JSON file could not be read: `missing` (no such file), `unreadable`, or `invalid` JSON. */
export type JsonFileResult = Result<
  { data: unknown },
  { failure: "missing" | "unreadable" | "invalid"; message: string }
>;

/**
 * Parse JSON text without throwing.
 *
 * @example
 * ```ts
 * const read = parseJson('{"a": 1}'); // { ok: true, data: { a: 1 } }
 * ```
 */
export function parseJson(text: string): JsonFileResult {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (error) {
    return { ok: false, failure: "invalid", message: (error as Error).message };
  }
}

function failed(error: unknown): JsonFileResult {
  const code = (error as NodeJS.ErrnoException).code;
  const missing = code === "ENOENT" || code === "ENOTDIR";
  return { ok: false, failure: missing ? "missing" : "unreadable", message: (error as Error).message };
}

/**
 * Read and parse a JSON file synchronously (one blocking read is the fastest way for small files).
 *
 * @example
 * ```ts
 * const read = readJsonFile(".updraft/runs/ID/manifest.json");
 * if (!read.ok && read.failure === "missing") console.log("no manifest yet");
 * ```
 */
export function readJsonFile(file: string): JsonFileResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return failed(error);
  }
  return parseJson(text);
}

/**
 * Read and parse a JSON file without blocking.
 *
 * @example
 * ```ts
 * const read = await readJsonFileAsync("updraft.config.json");
 * ```
 */
export async function readJsonFileAsync(file: string): Promise<JsonFileResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return failed(error);
  }
  return parseJson(text);
}
