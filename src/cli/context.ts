/**
 * What every command gets: how to load its pipeline, how to read run parameters, and the pipeline
 * itself when a pipeline file is the program (`tsx pipelines/rwkv.ts ...`).
 */
import { readJsonFile } from "../common/json-file.js";
import type { Command } from "commander";
import type { Pipeline } from "../dsl/pipeline.js";
import { resolveParams } from "../planner/params.js";
import type { Plan } from "../plan/schema.js";
import type { ParamValue } from "../planner/template.js";
import { CliError } from "./errors.js";
import { loadPlan, planOrThrow, type LoadedPlan } from "./load.js";

export interface CliContext {
  /** The pipeline handed to `runCli`, or null when the CLI names a file. */
  readonly self: Pipeline | null;
  /** Set by a command's action: the process exit code. */
  exitCode: number;
}

/**
 * Declare a command that works on a pipeline: it takes `<pipeline>` as its first positional
 * argument after `extra`, unless the pipeline file is itself the program.
 */
export function pipelineCommand(program: Command, ctx: CliContext, name: string, description: string): Command {
  const cmd = program.command(name).description(description);
  if (!ctx.self) withPipelineChoice(cmd.argument("<pipeline>", "pipeline file (.ts) or plan (.json)"));
  return cmd;
}

/** Add `--pipeline <id>`: which pipeline of a file that declares several. */
export function withPipelineChoice(cmd: Command): Command {
  return cmd.option(
    "--pipeline <id>",
    "the pipeline to use when the file declares several (default: its default export)",
  );
}

/** Load the Plan a command works on; `index` is the position of `<pipeline>` among its arguments. */
export async function loadTarget(cmd: Command, ctx: CliContext, index = 0): Promise<LoadedPlan> {
  if (ctx.self)
    return { plan: planOrThrow(ctx.self, ctx.self.source?.file ?? null), file: ctx.self.source?.file ?? null };
  const choice = cmd.opts<{ pipeline?: string }>().pipeline;
  return loadPlan(String(cmd.processedArgs[index]), choice === undefined ? {} : { pipeline: choice });
}

/** Add `--param name=value` (repeatable) and `--params file.json`. */
export function withParamOptions(cmd: Command): Command {
  return cmd
    .option("-p, --param <name=value>", "set a run parameter (repeatable)", (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option("--params <file>", "read run parameters from a JSON object file");
}

/**
 * The `--params` file: a JSON object of parameter values; anything else throws a CliError (exit 2).
 *
 * @example
 * ```ts
 * const values = readParamsFile("params.json"); // { ctx_len: 512 }
 * ```
 */
export function readParamsFile(file: string): Record<string, unknown> {
  const read = readJsonFile(file);
  const why = read.ok ? "not a JSON object" : read.message;
  if (read.ok && typeof read.data === "object" && read.data !== null && !Array.isArray(read.data))
    return read.data as Record<string, unknown>;
  throw new CliError(`cannot read --params ${file}: ${why}`, { hint: 'give a JSON object such as {"ctx_len": 512}' });
}

/** Resolve the run parameters a command was given, or throw with every problem (exit 2). */
export function readParams(plan: Plan, opts: { param?: string[]; params?: string }): Record<string, ParamValue> {
  return readParamsWithSources(plan, opts).values;
}

/**
 * The run parameters and where each value came from; `allowMissing` (a plan only) shows a required
 * parameter without a value as `<name: required>`.
 */
export function readParamsWithSources(
  plan: Plan,
  opts: { param?: string[]; params?: string },
  allowMissing = false,
): { values: Record<string, ParamValue>; sources: Record<string, string> } {
  const file = opts.params ? readParamsFile(opts.params) : undefined;
  const result = resolveParams(
    plan.params,
    {
      cli: opts.param ?? [],
      ...(file ? { file } : {}),
      env: process.env,
      allowMissing,
    },
    plan.stages,
  );
  if (!result.ok) throw new CliError(`invalid run parameters for ${plan.pipeline.id}`, { problems: result.problems });
  return { values: result.values, sources: result.sources };
}
