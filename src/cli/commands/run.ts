/**
 * `updraft run`: run the plan with the local executor.
 */
import type { Command } from "commander";
import { CliError } from "../errors.js";
import { pipelineCommand, withParamOptions, type CliContext } from "../context.js";

export function registerRun(program: Command, ctx: CliContext): void {
  withParamOptions(pipelineCommand(program, ctx, "run", "run the pipeline on this machine"))
    .allowUnknownOption()
    .action(() => {
      throw new CliError("updraft run is not available yet: the local executor is still being built", { hint: "use updraft plan to see what would run" });
    });
}
