/**
 * `updraft run`: run the plan with the local executor.
 */
import path from "node:path";
import type { Command } from "commander";
import { formatDryRun } from "../../executors/dry-run/format.js";
import { warnAboutPaths } from "../path-warnings.js";
import { RunSetupError, StorageError } from "../../executors/local/errors.js";
import { findResumeTarget } from "../../executors/local/run-dir/previous-runs.js";
import { defaultRunsDir, readStoredPlan, runPaths } from "../../executors/local/run-dir/run-dir.js";
import { runPlan } from "../../executors/local/run-plan.js";
import type { Manifest } from "../../records/manifest.js";
import { resolveParams } from "../../planner/params.js";
import type { Plan } from "../../plan/schema.js";
import type { ParamValue } from "../../planner/template.js";
import {
  loadTarget,
  readParamsWithSources,
  readParamsFile,
  withParamOptions,
  withPipelineChoice,
  type CliContext,
} from "../context.js";
import { CliError, EXIT } from "../errors.js";
import { loadPlan } from "../load.js";

interface RunFlags {
  param?: string[];
  params?: string;
  concurrency?: string;
  gpus?: string;
  runsDir?: string;
  force?: boolean;
  resume?: string | boolean;
  from?: string[];
  only?: string[];
  failFast?: boolean;
  wait?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  explain?: boolean;
  ignoreGates?: boolean;
  grace?: string;
  dryRun?: boolean;
  pipeline?: string;
  interactive?: boolean;
}

const many = (v: string, prev: string[] = []) => [...prev, v];

function count(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < min)
    throw new CliError(`${flag} is ${JSON.stringify(text)}`, { hint: `give ${flag} a number of at least ${min}` });
  return n;
}

/** Parameters of a resumed run: the original values, overridden by --param and --params. */
function resumeParams(
  plan: Plan,
  original: Manifest["params"],
  flags: RunFlags,
): { values: Record<string, ParamValue>; sources: Record<string, string> } {
  const file = flags.params ? readParamsFile(flags.params) : {};
  const declared = new Set(plan.params.map((p) => p.name));
  const kept = Object.fromEntries(Object.entries(original).filter(([k]) => declared.has(k)));
  const result = resolveParams(
    plan.params,
    { cli: flags.param ?? [], file: { ...kept, ...file }, env: process.env },
    plan.stages,
  );
  if (!result.ok) throw new CliError(`invalid run parameters for ${plan.pipeline.id}`, { problems: result.problems });
  return { values: result.values, sources: result.sources };
}

/** The pipeline and the run to resume, from the arguments (a run id alone is enough to resume). */
async function target(
  cmd: Command,
  ctx: CliContext,
  flags: RunFlags,
  runsDir: string,
): Promise<{ plan: Plan; file: string | null; resume: Manifest | null }> {
  let arg = ctx.self ? undefined : (cmd.processedArgs[0] as string | undefined);
  let resumeId = typeof flags.resume === "string" ? flags.resume : null;
  // `updraft run --resume pipelines/x.ts`: the value is the pipeline, not a run id.
  if (arg === undefined && resumeId !== null && /\.(?:[mc]?[jt]s|json)$/.test(resumeId))
    [arg, resumeId] = [resumeId, null];
  if (!ctx.self && arg === undefined && resumeId === null) {
    throw new CliError("updraft run needs a pipeline file", {
      hint: "updraft run pipelines/NAME.ts (or --resume RUN_ID to continue a run)",
    });
  }
  const loaded = ctx.self
    ? await loadTarget(cmd, ctx)
    : arg !== undefined
      ? await loadPlan(arg, {
          ...(flags.pipeline === undefined ? {} : { pipeline: flags.pipeline }),
          // Where the local executor keeps its caches (RunOptions.cacheDir's default).
          cacheDir: path.join(path.dirname(runsDir), "cache"),
        })
      : null;
  if (flags.resume === undefined) return { plan: loaded!.plan, file: loaded!.file, resume: null };
  const { manifest, warnings } = findResumeTarget(runsDir, loaded?.plan.pipeline.id ?? null, resumeId);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (loaded) return { plan: loaded.plan, file: loaded.file, resume: manifest };
  const stored = readStoredPlan(runPaths(runsDir, manifest.runId).plan);
  if (!stored.ok)
    throw new CliError(`cannot resume run ${manifest.runId}: its plan.json cannot be used: ${stored.reason}`, {
      hint: "name the pipeline file: updraft run pipelines/NAME.ts --resume RUN_ID",
    });
  return { plan: stored.value, file: null, resume: manifest };
}

async function run(cmd: Command, ctx: CliContext): Promise<void> {
  const flags = cmd.opts<RunFlags>();
  if (flags.quiet && flags.verbose)
    throw new CliError("--quiet and --verbose contradict each other", { hint: "give one of them" });
  const runsDir = flags.runsDir ? path.resolve(flags.runsDir) : defaultRunsDir(process.env, process.cwd());
  const { plan, file, resume } = await target(cmd, ctx, flags, runsDir);
  const { values, sources } = resume ? resumeParams(plan, resume.params, flags) : readParamsWithSources(plan, flags);
  if (flags.dryRun) {
    process.stdout.write(`${formatDryRun(plan, values, { source: file, sources })}\n`);
    await warnAboutPaths(plan, values);
    return;
  }
  const inherit = resume && flags.only === undefined && flags.from === undefined;
  if (flags.interactive && plan.stages.some((s) => flags.only?.includes(s.id) && s.secretEnv.length > 0))
    process.stderr.write("warning: --interactive: secret values are not masked on the terminal\n");
  const concurrency = count(flags.concurrency, "--concurrency", 1);
  const grace = count(flags.grace, "--grace", 0);
  const manifest = await runPlan(plan, values, {
    paramSources: sources,
    runsDir,
    force: flags.force ?? false,
    failFast: flags.failFast ?? false,
    wait: flags.wait ?? false,
    resume,
    handleSignals: true,
    only: inherit ? resume.selection.only : (flags.only ?? []),
    from: inherit ? resume.selection.from : (flags.from ?? []),
    // The stage draws on the terminal: progress as plain lines, no live view redrawn over it.
    output: flags.quiet ? "quiet" : flags.interactive ? "plain" : "auto",
    interactive: flags.interactive ?? false,
    verbose: flags.verbose ?? false,
    explain: flags.explain ?? false,
    ignoreGates: flags.ignoreGates ?? false,
    gpus: flags.gpus ?? null,
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(grace === undefined ? {} : { graceMs: grace * 1000 }),
  });
  ctx.exitCode =
    manifest.status === "success" ? EXIT.ok : manifest.status === "cancelled" ? EXIT.interrupted : EXIT.failed;
}

async function action(cmd: Command, ctx: CliContext): Promise<void> {
  try {
    await run(cmd, ctx);
  } catch (error) {
    if (error instanceof RunSetupError) throw new CliError(error.message, { hint: error.hint, cause: error });
    if (error instanceof StorageError)
      throw new CliError(error.message, { hint: error.hint, exitCode: EXIT.failed, cause: error });
    throw error;
  }
}

/**
 * Register `updraft run` (the default command of a pipeline file run directly).
 *
 * @example
 * ```ts
 * registerRun(program, { self: null, exitCode: 0 });
 * ```
 */
export function registerRun(program: Command, ctx: CliContext): void {
  const cmd = program.command("run").description("run the pipeline on this machine");
  if (!ctx.self)
    withPipelineChoice(
      cmd.argument("[pipeline]", "pipeline file (.ts) or plan (.json); optional with --resume RUN_ID"),
    );
  withParamOptions(cmd)
    .option("-j, --concurrency <n>", "stage processes at once (default: number of CPUs)")
    .option("--gpus <n>", "GPU slots on this machine (default: UPDRAFT_GPUS, else nvidia-smi -L)")
    .option("--runs-dir <dir>", "where run records go (default: UPDRAFT_RUNS_DIR, else .updraft/runs)")
    .option("--force", "run stages even when they are up to date")
    .option(
      "--resume [run-id]",
      "continue a failed, cancelled or interrupted run (default: the newest of this pipeline)",
    )
    .option("--from <stage>", "run this stage and everything downstream (repeatable)", many)
    .option("--only <stage>", "run just this stage (repeatable)", many)
    .option("--fail-fast", "stop everything at the first failure")
    .option(
      "--wait",
      "when the pipeline's maxActiveRuns runs already go on here, wait for one to end (default: refuse)",
    )
    .option("-q, --quiet", "print only the outcome")
    .option("-v, --verbose", "also stream each stage's output, prefixed with [stage]")
    .option("--explain", "print why each stage that starts runs (see also: updraft status)")
    .option(
      "--ignore-gates",
      "with --only/--from: start stages even when an upstream blocking gate failed on the same inputs",
    )
    .option("--grace <seconds>", "time between SIGTERM and SIGKILL when a stage is stopped (default 5)")
    .option(
      "--interactive",
      "with one --only STAGE: give it this terminal (stdin, TTY) to debug it, with its env, params and GPU lease; one attempt, no timeout, not logged",
    )
    .option("--dry-run", "show the plan instead of running it")
    .action(() => action(cmd, ctx));
}
