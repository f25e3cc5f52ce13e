/**
 * What every demo tool shares: exit codes that tell a retry from a decision, a plain error type,
 * and option parsing that reports mistakes as sentences.
 */
import { parseArgs } from "node:util";

/**
 * Exit codes of the demo tools. The pipeline lists `usage`, `data` and `config` as
 * non-retryable: retrying them cannot help. `transient` (and death by a signal) is retried.
 *
 * @example
 * ```ts
 * throw new ToolError("ctx_len 500 is not a multiple of 16", EXIT.config);
 * ```
 */
export const EXIT = Object.freeze({
  ok: 0,
  /** Unknown or malformed command-line options. */
  usage: 2,
  /** Bad input data: missing file, invalid JSONL or binidx, too little data for training. */
  data: 3,
  /** Bad configuration: a trainer assertion, a missing RWKV checkout or base model. */
  config: 4,
  /** A failure worth retrying: CUDA out of memory, a simulated crash. */
  transient: 75,
});

/** The exit codes that mean "do not retry". */
export const NON_RETRYABLE = Object.freeze([EXIT.usage, EXIT.data, EXIT.config]);

/**
 * A failure the tool explains in one sentence and exits with; never printed as a stack trace.
 *
 * @example
 * ```ts
 * throw new ToolError("no such file: data.jsonl", EXIT.data, "check the input parameter");
 * ```
 */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/**
 * Run a tool's main function: a ToolError becomes its message and exit code, anything else is
 * reported as a bug in the tool.
 *
 * @example
 * ```ts
 * await runTool("prepare", async () => { ... });
 * ```
 */
export async function runTool(name: string, main: () => Promise<void> | void): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ToolError) {
      process.stderr.write(`${name}: error: ${error.message}\n`);
      if (error.hint) process.stderr.write(`${name}: hint: ${error.hint}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(
      `${name}: internal error (a bug in the demo tools):\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exitCode = 1;
  }
}

/** Typed access to `--name value` options, with errors that name the option. */
export interface Options {
  string(name: string): string;
  optionalString(name: string): string | null;
  int(name: string, fallback?: number): number;
  number(name: string, fallback?: number): number;
  bool(name: string, fallback?: boolean): boolean;
}

/**
 * Parse `--name value` options; every option takes a value (`--fail-once true`).
 *
 * @example
 * ```ts
 * const o = options(process.argv.slice(2), ["input", "ctx-len"]);
 * const ctxLen = o.int("ctx-len", 512);
 * ```
 */
export function options(argv: readonly string[], names: readonly string[]): Options {
  let values: Record<string, string | undefined>;
  try {
    const spec = Object.fromEntries(names.map((n) => [n, { type: "string" as const }]));
    values = parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (error) {
    throw new ToolError(
      (error as Error).message,
      EXIT.usage,
      `known options: ${names.map((n) => `--${n}`).join(", ")}`,
    );
  }
  const need = (name: string, fallback: unknown): string | null => {
    const value = values[name];
    if (value === undefined && fallback === undefined) throw new ToolError(`option --${name} is required`, EXIT.usage);
    return value ?? null;
  };
  const numeric = (name: string, fallback: number | undefined, whole: boolean): number => {
    const text = need(name, fallback);
    if (text === null) return fallback!;
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || (whole && !Number.isSafeInteger(value))) {
      throw new ToolError(
        `option --${name} is ${JSON.stringify(text)}, not ${whole ? "a whole number" : "a number"}`,
        EXIT.usage,
      );
    }
    return value;
  };
  return {
    string: (name) => need(name, undefined)!,
    optionalString: (name) => values[name] ?? null,
    int: (name, fallback) => numeric(name, fallback, true),
    number: (name, fallback) => numeric(name, fallback, false),
    bool: (name, fallback) => {
      const text = need(name, fallback);
      if (text === null) return fallback!;
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      throw new ToolError(`option --${name} is ${JSON.stringify(text)}, not true or false`, EXIT.usage);
    },
  };
}
