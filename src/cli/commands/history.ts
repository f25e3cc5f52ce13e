/**
 * Run-history commands: history, show, advise, report, gc.
 */
import type { Command } from "commander";
import { CliError } from "../errors.js";
import type { CliContext } from "../context.js";

function notYet(program: Command, name: string, description: string): void {
  program
    .command(name)
    .description(description)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new CliError(`updraft ${name} is not available yet: run history is still being built`);
    });
}

export const registerHistory = (program: Command, _ctx: CliContext) => notYet(program, "history", "list past runs");
export const registerShow = (program: Command, _ctx: CliContext) => notYet(program, "show", "show one run in detail");
export const registerAdvise = (program: Command, _ctx: CliContext) => notYet(program, "advise", "tell from run history whether it is time to move to Airflow");
export const registerReport = (program: Command, _ctx: CliContext) => notYet(program, "report", "write a self-contained HTML report of a run");
export const registerGc = (program: Command, _ctx: CliContext) => notYet(program, "gc", "remove old run directories");
