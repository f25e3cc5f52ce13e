/**
 * Exit codes and the errors the CLI turns into them. A CliError is a user's mistake or a failed
 * run: it is printed as a sentence and a hint, never as a stack trace.
 */
import { HintedError } from "../common/errors.js";
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
export class CliError extends HintedError {
  readonly exitCode: number;
  readonly problems: readonly Problem[];
  constructor(
    message: string,
    options: { exitCode?: number; hint?: string; problems?: readonly Problem[]; cause?: unknown } = {},
  ) {
    super(message, options.hint ?? null, { cause: options.cause });
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.problems = options.problems ?? [];
  }
}
