/**
 * Exit codes and the errors the CLI turns into them. A CliError is a user's mistake or a failed
 * run: it is printed as a sentence and a hint, never as a stack trace.
 */
import type { Problem } from "../planner/problems.js";

/** Documented exit codes. */
export const EXIT = Object.freeze({
  /** Everything succeeded. */
  ok: 0,
  /** A stage or a gate failed. */
  failed: 1,
  /** Invalid pipeline, plan, parameters or usage. */
  usage: 2,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
});

/**
 * An error the CLI prints plainly and exits with.
 *
 * @example
 * ```ts
 * throw new CliError("no run with id 42", { hint: "updraft history lists the runs" });
 * ```
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | null;
  readonly problems: readonly Problem[];
  constructor(
    message: string,
    options: { exitCode?: number; hint?: string; problems?: readonly Problem[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.hint = options.hint ?? null;
    this.problems = options.problems ?? [];
  }
}
