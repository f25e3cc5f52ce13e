/**
 * `updraft export airflow`: write an Airflow DAG for the plan, with its pools file, and say how
 * to install them. Differences from the plan are reported on stderr; `--strict` refuses them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { AirflowExportError, toAirflow } from "../../executors/airflow/export.js";
import { formatIssue } from "../../executors/airflow/report.js";
import { CliError } from "../errors.js";
import { exportSlurm } from "./export-slurm.js";
import { loadTarget, withPipelineChoice, type CliContext } from "../context.js";
import { color } from "../output.js";
import { shellWord } from "../../common/shell.js";
import { plural } from "../../common/plural.js";

interface ExportOptions {
  out: string;
  pool?: string;
  poolSlots?: string;
  projectDir?: string;
  runsDir?: string;
  gpuLicense?: string;
  strict?: boolean;
  pipeline?: string;
  mode: string;
}

const MODES = ["self-contained", "package"] as const;

function reexportCommand(ctx: CliContext, file: string | null, opts: ExportOptions, target: string): string {
  const words = ctx.self
    ? ["tsx", file ?? "PIPELINE", "export", target]
    : ["updraft", "export", target, file ?? "PIPELINE", ...(opts.pipeline ? ["--pipeline", opts.pipeline] : [])];
  words.push("--out", opts.out);
  if (opts.pool !== undefined) words.push("--pool", opts.pool);
  if (opts.poolSlots !== undefined) words.push("--pool-slots", opts.poolSlots);
  if (opts.gpuLicense !== undefined) words.push("--gpu-license", opts.gpuLicense);
  if (opts.projectDir !== undefined) words.push("--project-dir", opts.projectDir);
  if (opts.runsDir !== undefined) words.push("--runs-dir", opts.runsDir);
  if (opts.mode !== "self-contained") words.push("--mode", opts.mode);
  return words.map(shellWord).join(" ");
}

/** The text of --pool-slots as a number; anything but digits is refused, naming the text. */
function wholeNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  throw new CliError(`--pool-slots ${JSON.stringify(text)} is not a whole number`, {
    hint: "give the GPUs of every host that runs GPU stages, e.g. --pool-slots 3",
  });
}

/**
 * Register `export <target> <pipeline>` (or `export <target>` when the pipeline file is the program).
 *
 * @example
 * ```ts
 * registerExport(program, ctx); // updraft export airflow pipelines/rwkv.ts --out dags/
 * ```
 */
export function registerExport(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("export")
    .description(
      "export the pipeline to another orchestrator: airflow (a DAG file and its pools file) or slurm (submit.sh and its runtime)",
    )
    .argument("<target>", "airflow or slurm");
  if (!ctx.self) withPipelineChoice(cmd.argument("<pipeline>", "pipeline file (.ts) or plan (.json)"));
  cmd
    .option("--out <dir>", "directory to write into (airflow: <dag_id>.py and <dag_id>.pools.json)", "dags")
    .option(
      "--pool <name>",
      "Airflow pool for stages that need GPUs; wins over the pipeline's airflow.gpuPool (default: that, else gpu)",
    )
    .option(
      "--pool-slots <n>",
      "airflow: slots of the GPU pool, the GPUs of every host that runs GPU stages (default: the most GPUs one stage needs)",
    )
    .option(
      "--project-dir <dir>",
      "directory tasks run in and relative paths resolve against (default: the current directory)",
    )
    .option(
      "--runs-dir <dir>",
      "where run records go when the worker sets no UPDRAFT_RUNS_DIR (default: .updraft/runs, relative to the project directory)",
    )
    .option("--gpu-license <name>", "slurm: a license in slurm.conf standing for a cluster-wide GPU pool")
    .option(
      "--mode <mode>",
      "airflow: self-contained (one DAG file carrying the runtime) or package (<dag_id>.plan.json and a DAG file using the installed updraft_airflow package)",
      "self-contained",
    )
    .option("--strict", "fail (exit 2) when Airflow cannot match the plan exactly")
    .action(async (target: string) => {
      const opts = cmd.opts<ExportOptions>();
      if (target !== "airflow" && target !== "slurm")
        throw new CliError(`unknown export target "${target}"`, {
          hint: "the targets are airflow and slurm: updraft export airflow PIPELINE --out dags/",
        });
      const { plan, file } = await loadTarget(cmd, ctx, 1);
      const reexport = reexportCommand(ctx, file ?? plan.pipeline.source?.file ?? null, opts, target);
      if (target === "slurm") return exportSlurm(plan, opts, reexport);
      const mode = MODES.find((m) => m === opts.mode);
      if (mode === undefined)
        throw new CliError(`unknown export mode "${opts.mode}"`, {
          hint: "the modes are self-contained (the default) and package: --mode package",
        });
      const projectDir = path.resolve(opts.projectDir ?? process.cwd());
      let result;
      try {
        result = toAirflow(plan, {
          projectDir,
          ...(opts.pool !== undefined ? { pool: opts.pool } : {}),
          ...(opts.poolSlots !== undefined ? { poolSlots: wholeNumber(opts.poolSlots) } : {}),
          ...(opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {}),
          reexport,
          mode,
        });
      } catch (error) {
        if (!(error instanceof AirflowExportError)) throw error;
        throw new CliError(`cannot export to Airflow: ${error.message}`, { hint: error.hint });
      }
      if (result.report.length > 0) {
        process.stderr.write(
          `${color.yellow("export report:")} ${plural(result.report.length, "difference")} between the plan and Airflow\n`,
        );
        for (const issue of result.report) process.stderr.write(`  - ${formatIssue(issue)}\n`);
        if (opts.strict) {
          throw new CliError(
            `--strict: Airflow cannot run ${plan.pipeline.id} exactly as planned (${plural(result.report.length, "difference")} above); nothing was written`,
            {
              hint: "change the stages named above (for example retry backoff 1 for exact delays), or export without --strict",
            },
          );
        }
      }
      mkdirSync(opts.out, { recursive: true });
      const written = result.files.map((f) => {
        const where = path.join(opts.out, f.name);
        writeFileSync(where, f.text);
        return where;
      });
      const poolsFile = written[written.length - 1]!;
      const dagFiles = written.slice(0, -1).map(shellWord).join(" ");
      process.stdout.write(
        [
          ...written.map((w) => `wrote ${w}`),
          "",
          "install into Airflow (2.10.x or 3.x):",
          ...(mode === "package"
            ? [
                "  pip install updraft-airflow   # on the scheduler, dag-processor and every worker (python/ in updraft's repository)",
              ]
            : []),
          `  cp ${dagFiles} "$(airflow config get-value core dags_folder)/"`,
          `  airflow pools import ${shellWord(poolsFile)}`,
          "  airflow dags reserialize",
          "",
          `then trigger it: airflow dags trigger ${result.dagId}`,
          "",
        ].join("\n"),
      );
    });
}
