/**
 * `updraft graph`: the DAG as Mermaid or DOT.
 */
import { Option, type Command } from "commander";
import { toDot, toMermaid } from "../../executors/graph/render.js";
import { loadTarget, pipelineCommand, type CliContext } from "../context.js";

export function registerGraph(program: Command, ctx: CliContext): void {
  const cmd = pipelineCommand(program, ctx, "graph", "print the DAG as Mermaid (default) or Graphviz DOT")
    .addOption(new Option("--format <format>", "output format").choices(["mermaid", "dot"]).default("mermaid"))
    .action(async () => {
      const { plan } = await loadTarget(cmd, ctx);
      const format = cmd.opts<{ format: "mermaid" | "dot" }>().format;
      process.stdout.write(`${format === "dot" ? toDot(plan) : toMermaid(plan)}\n`);
    });
}
