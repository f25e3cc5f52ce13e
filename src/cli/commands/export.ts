/**
 * `updraft export airflow`: write an Airflow DAG for the plan.
 */
import type { Command } from "commander";
import { CliError } from "../errors.js";
import type { CliContext } from "../context.js";

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command("export")
    .description("export the pipeline to another orchestrator (airflow)")
    .argument("<target>", "airflow")
    .argument(ctx.self ? "[unused]" : "<pipeline>", "pipeline file (.ts) or plan (.json)")
    .allowUnknownOption()
    .action(() => {
      throw new CliError("updraft export is not available yet: the Airflow exporter is still being built", { hint: "use updraft plan --json to get the Plan as JSON" });
    });
}
