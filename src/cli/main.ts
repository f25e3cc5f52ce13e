/**
 * The `updraft` command line: commands, flags, exit codes.
 */
import { HintedError } from "../common/errors.js";
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import type { Pipeline } from "../dsl/pipeline.js";
import type { CliContext } from "./context.js";
import { CliError, EXIT } from "./errors.js";
import { color, formatProblems } from "./output.js";

type Register = (program: Command, ctx: CliContext) => void;

// Each command's module is loaded only when that command runs (all of them for help and errors):
// the executor, the exporter and the history readers stay out of each other's start-up.
const history = () => import("./commands/history.js");
const COMMAND_MODULES: Readonly<Record<string, () => Promise<Register>>> = {
  plan: async () => (await import("./commands/plan.js")).registerPlan,
  run: async () => (await import("./commands/run.js")).registerRun,
  export: async () => (await import("./commands/export.js")).registerExport,
  graph: async () => (await import("./commands/graph.js")).registerGraph,
  status: async () => (await import("./commands/status.js")).registerStatus,
  check: async () => (await import("./commands/check.js")).registerCheck,
  history: async () => (await history()).registerHistory,
  show: async () => (await history()).registerShow,
  advise: async () => (await history()).registerAdvise,
  report: async () => (await history()).registerReport,
  gc: async () => (await history()).registerGc,
  logs: async () => (await import("./commands/logs.js")).registerLogs,
  init: async () => (await import("./commands/init.js")).registerInit,
  completion: async () => (await import("./commands/completion.js")).registerCompletion,
  slurm: async () => (await import("./commands/slurm.js")).registerSlurm,
};
const COMMANDS = new Set([...Object.keys(COMMAND_MODULES), "help"]);

/** The registrations a command line needs: its own command's, or all of them. */
function registrations(argv: readonly string[]): Promise<Register[]> {
  const first = argv[0];
  if (first === "--version" || first === "-V") return Promise.resolve([]);
  // `completion` describes every command, so it needs them all.
  const one = first !== undefined && first !== "completion" && Object.hasOwn(COMMAND_MODULES, first);
  const names = one ? [first] : Object.keys(COMMAND_MODULES);
  return Promise.all(names.map((name) => COMMAND_MODULES[name]!()));
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** For a pipeline file run directly: `--dry-run` means `plan`, and no command means `run`. */
function selfArgv(argv: readonly string[]): string[] {
  const first = argv[0];
  if (
    first !== undefined &&
    (COMMANDS.has(first) || first === "--help" || first === "-h" || first === "--version" || first === "-V")
  ) {
    return first === "run" && argv.includes("--dry-run")
      ? ["plan", ...argv.slice(1).filter((a) => a !== "--dry-run")]
      : [...argv];
  }
  if (argv.includes("--dry-run")) return ["plan", ...argv.filter((a) => a !== "--dry-run")];
  return ["run", ...argv];
}

/** `show -1`, `report -2`: a negative number names a run counted back from the newest, not an option. */
function runOffsets(argv: string[]): string[] {
  const isOffset = (a: string) => /^-\d+$/.test(a);
  if ((argv[0] !== "show" && argv[0] !== "report") || !argv.some(isOffset) || argv.includes("--")) return argv;
  return [...argv.filter((a) => !isOffset(a)), "--", ...argv.filter(isOffset)];
}

function program(ctx: CliContext, registers: readonly Register[]): Command {
  const prog = new Command("updraft")
    .description("Typed ML pipelines: run them locally, dry-run them, export them to Apache Airflow.")
    .version(version())
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 a stage or gate failed, 2 invalid pipeline or usage, 130 interrupted.",
    )
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  for (const register of registers) register(prog, ctx);
  for (const cmd of prog.commands) cmd.exitOverride();
  return prog;
}

function report(error: unknown): number {
  if (error instanceof CliError) {
    if (error.problems.length > 0) process.stderr.write(`${formatProblems(error.problems)}\n`);
    process.stderr.write(`${color.red("error:")} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${color.cyan("hint:")} ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof HintedError) {
    process.stderr.write(`${color.red("error:")} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${color.cyan("hint:")} ${error.hint}\n`);
    return EXIT.usage;
  }
  if (error instanceof CommanderError) {
    return error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help"
      ? EXIT.ok
      : EXIT.usage;
  }
  process.stderr.write(
    `${color.red("internal error (a bug in updraft, please report it):")}\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return EXIT.failed;
}

/**
 * Run the CLI with `argv` (without the node and script paths); resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(["plan", "pipelines/rwkv.ts"]);
 * ```
 */
export async function main(argv: readonly string[], self: Pipeline | null = null): Promise<number> {
  const ctx: CliContext = { self, exitCode: EXIT.ok };
  try {
    const args = runOffsets(self ? selfArgv(argv) : [...argv]);
    await program(ctx, await registrations(args)).parseAsync(args, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    return report(error);
  }
}
