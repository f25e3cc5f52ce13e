/**
 * `updraft plan`: validate, order and show a pipeline without running it.
 */
import type { Command } from "commander";
import { formatDryRun } from "../../executors/dry-run/format.js";
import { warnAboutPaths } from "../path-warnings.js";
import { loadTarget, pipelineCommand, readParamsWithSources, withParamOptions, type CliContext } from "../context.js";

export function registerPlan(program: Command, ctx: CliContext): void {
  const cmd = withParamOptions(
    pipelineCommand(program, ctx, "plan", "validate and show the plan (a dry-run: runs nothing, writes nothing)"),
  )
    .option("--json", 'print {"plan": the Plan, "params": the resolved run parameters} as JSON')
    .action(async (...args: unknown[]) => {
      const opts = cmd.opts<{ json?: boolean; param?: string[]; params?: string }>();
      const { plan, file } = await loadTarget(cmd, ctx);
      const { values, sources } = readParamsWithSources(plan, opts, true);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ plan, params: values, paramSources: sources }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${formatDryRun(plan, values, { source: file, sources })}\n`);
      await warnAboutPaths(plan, values);
      void args;
    });
}
