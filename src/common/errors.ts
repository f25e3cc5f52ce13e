/**
 * Errors a person can act on. Every error updraft raises for something a user or the machine did
 * carries a hint (what to do about it) and is printed as two lines, never as a stack trace.
 */

/**
 * An error with a one-sentence message and a hint (null only where the message says it all);
 * subclasses name where it arose. The CLI prints any of them as `error:` and `hint:` lines, exit 2.
 *
 * @example
 * ```ts
 * throw new HintedError("no GPU found", "give --gpus N or set UPDRAFT_GPUS");
 * ```
 */
export class HintedError extends Error {
  readonly hint: string | null;
  constructor(message: string, hint: string | null, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = hint;
  }
}

/**
 * The message of anything thrown, first line only (a stack or a compiler's detail follows it).
 *
 * @example
 * ```ts
 * firstLine(new Error("spawn x ENOENT\n    at ...")); // "spawn x ENOENT"
 * ```
 */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
