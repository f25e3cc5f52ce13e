/**
 * `updraft status`: what a run would skip as up to date and what it would run, and why.
 */
import path from "node:path";
import type { Command } from "commander";
import { planStatus } from "../../executors/local/status.js";
import { loadTarget, pipelineCommand, readParams, withParamOptions, type CliContext } from "../context.js";
import { color } from "../output.js";
import { plural } from "../../common/plural.js";

interface StatusFlags {
  param?: string[];
  params?: string;
  json?: boolean;
  runsDir?: string;
}

/**
 * Register `updraft status`.
 *
 * @example
 * ```ts
 * registerStatus(program, { self: null, exitCode: 0 });
 * ```
 */
export function registerStatus(program: Command, ctx: CliContext): void {
  const cmd = withParamOptions(
    pipelineCommand(program, ctx, "status", "show which stages are up to date and which would run, and why"),
  )
    .option("--runs-dir <dir>", "where run records are (default: UPDRAFT_RUNS_DIR, else .updraft/runs)")
    .option("--json", "print the status as JSON")
    .action(async () => {
      const flags = cmd.opts<StatusFlags>();
      const { plan } = await loadTarget(cmd, ctx);
      const values = readParams(plan, flags);
      const { stages, warnings } = await planStatus(plan, values, {
        ...(flags.runsDir ? { runsDir: path.resolve(flags.runsDir) } : {}),
      });
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ pipeline: plan.pipeline.id, params: values, stages }, null, 2)}\n`);
        return;
      }
      const width = Math.max(...stages.map((s) => s.stage.length), 5);
      for (const s of stages) {
        const state = s.state === "up_to_date" ? color.green("up to date") : color.yellow("would run ");
        process.stdout.write(`${s.stage.padEnd(width)}  ${state}  ${s.reasons.join("; ")}\n`);
      }
      const n = stages.filter((s) => s.state === "would_run").length;
      process.stdout.write(`${n} of ${plural(stages.length, "stage")} would run\n`);
    });
}
