/**
 * The zod updraft runs with is the project's own (a peer dependency, `^4`): with another major
 * installed (npm's `--legacy-peer-deps` or `--force` let zod 3 in), say so before the first zod 4
 * call fails somewhere inside updraft.
 */
import * as zod from "zod";
import { HintedError } from "./errors.js";

/** The major version of a zod module namespace: 4 and later carry `core.version`; zod 3 does not. */
export function zodMajor(namespace: unknown): number | null {
  const major = (namespace as { core?: { version?: { major?: unknown } } }).core?.version?.major;
  return typeof major === "number" ? major : null;
}

/**
 * The project's zod is not version 4. It is the project's setup that needs fixing, not the pipeline
 * file that happened to load updraft first: the CLI prints this one as it is.
 */
export class ZodVersionError extends HintedError {}

/**
 * Throw a ZodVersionError unless the installed zod is version 4.
 *
 * @example
 * ```ts
 * requireZod4(); // at the top of the module that calls zod on a user's schema
 * ```
 */
export function requireZod4(namespace: unknown = zod): void {
  const major = zodMajor(namespace);
  if (major === 4) return;
  throw new ZodVersionError(
    `updraft needs zod 4, and the zod installed in this project is ${major === null ? "an older one (zod 3?)" : `zod ${major}`}`,
    "npm install zod@^4 (updraft declares zod ^4 as a peer dependency; gate schemas are written with it too)",
  );
}
