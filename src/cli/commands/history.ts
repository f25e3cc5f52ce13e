/**
 * Run-history commands: history, show, advise, report, gc. They read the run records under the
 * runs root (`--runs-dir`, `UPDRAFT_RUNS_DIR`, or `.updraft/runs`) and never change a run, except gc.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { formatBytes } from "../../gates/format.js";
import { advise, planKey } from "../../records/advise/advise.js";
import { loadAdviseConfig } from "../../records/advise/advise-config.js";
import { formatAdvice } from "../../records/advise/format-advice.js";
import { formatHistory, summarize } from "../../records/format-history.js";
import { formatShow, showJson } from "../../records/format-show.js";
import { planGc, removeRuns } from "../../records/gc.js";
import { plansOf, readPlanFile } from "../../records/plan-file.js";
import { findRun, readRun, readRuns, runsRoot, type RunsRead } from "../../records/read-runs.js";
import { renderReport } from "../../records/report/page.js";
import type { RunHead, RunView } from "../../records/run-view.js";
import { parseSpan } from "../../records/time.js";
import type { Plan } from "../../plan/schema.js";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { color } from "../output.js";

const MAX_WARNINGS = 20;
const warn = (m: string) => process.stderr.write(`${color.yellow("warning:")} ${m}\n`);
const out = (text: string) => process.stdout.write(`${text}\n`);
const json = (data: unknown) => out(JSON.stringify(data, null, 2));

/** The runs under a runs root, warnings printed (also for `updraft slurm status`). */
export async function load(runsDir: string | undefined): Promise<RunsRead> {
  const read = await readRuns(runsRoot(runsDir));
  read.warnings.slice(0, MAX_WARNINGS).forEach(warn);
  if (read.warnings.length > MAX_WARNINGS)
    warn(`... and ${read.warnings.length - MAX_WARNINGS} more skipped entries in ${read.root}`);
  return read;
}

function span(value: string, flag: string): number {
  const ms = parseSpan(value);
  if (ms === null)
    throw new CliError(`${flag} ${JSON.stringify(value)} is not a time span`, {
      hint: `write it like 30d, 4w, 12h or 1d12h`,
    });
  return ms;
}

/** The run an id or prefix names, read in full (also for `updraft slurm status`). */
export async function pick(read: RunsRead, query: string): Promise<RunView> {
  const found = findRun(read.runs, query);
  if (found.ok) return full(found.run);
  if (found.candidates.length > 1) {
    const list = found.candidates
      .slice(0, 10)
      .map((r) => r.id)
      .join(", ");
    throw new CliError(`run id "${query}" is ambiguous: ${found.candidates.length} runs start with it (${list})`, {
      hint: "give more characters of the id",
    });
  }
  throw new CliError(`no run "${query}" in ${read.root}`, {
    hint: read.runs.length
      ? `updraft history lists the runs there (newest: ${read.runs[0]!.id})`
      : "no runs recorded there yet; use --runs-dir or UPDRAFT_RUNS_DIR if they live elsewhere",
  });
}

async function full(head: RunHead): Promise<RunView> {
  const run = await readRun(head.dir, warn);
  // Listing validates only the fields it reads; the rest of a damaged manifest shows up here.
  if (typeof run === "string")
    throw new CliError(`run ${head.id} cannot be read in full: ${run}`, {
      hint: `repair or remove ${path.join(head.dir, "manifest.json")} (updraft history still lists it)`,
    });
  return run;
}

/** The run's plan.json, else that of another run of the same plan (Airflow runs keep none). */
async function planOf(run: RunView, all: readonly RunHead[]): Promise<Plan | null> {
  const own = await readPlanFile(run.dir);
  if (own.ok) return own.plan;
  if (!own.missing) warn(`${own.message}; skipped`);
  const same = all.filter((r) => r.id !== run.id && planKey(r) === planKey(run));
  return (await plansOf(same, warn)).get(planKey(run)) ?? null;
}

function count(value: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new CliError(`${flag} ${JSON.stringify(value)} is not a positive whole number`, {
      hint: `for example: updraft history ${flag} 20`,
    });
  return Number(value);
}

const runsDirOption = (cmd: Command) =>
  cmd.option("--runs-dir <dir>", "where run records live (default: $UPDRAFT_RUNS_DIR or .updraft/runs)");

/**
 * `updraft history [--pipeline ID] [--since 30d] [--limit N] [--json] [--runs-dir DIR]`.
 *
 * @example
 * ```ts
 * registerHistory(program, ctx);
 * ```
 */
export function registerHistory(program: Command, ctx: CliContext): void {
  runsDirOption(program.command("history").description("list past runs, newest first"))
    .option(
      "--pipeline <id>",
      "only runs of this pipeline (default: all, or the file's own when a pipeline file runs this)",
    )
    .option("--since <span>", "only runs started within this span (30d, 4w, 12h)")
    .option("--limit <n>", "only the newest N runs")
    .option("--json", "print JSON summaries")
    .action(async (opts: { pipeline?: string; since?: string; limit?: string; json?: boolean; runsDir?: string }) => {
      const since = opts.since === undefined ? null : Date.now() - span(opts.since, "--since");
      const limit = opts.limit === undefined ? Infinity : count(opts.limit, "--limit");
      const pipelineId = opts.pipeline ?? ctx.self?.id ?? null;
      const { runs, root } = await load(opts.runsDir);
      const shown = runs
        .filter((r) => (pipelineId === null || r.pipelineId === pipelineId) && (since === null || r.startMs >= since))
        .slice(0, limit);
      if (opts.json) json(shown.map(summarize));
      else if (shown.length > 0) out(formatHistory(shown));
      else
        out(
          `no runs${pipelineId === null ? "" : ` of pipeline ${pipelineId}`}${opts.since ? ` in the last ${opts.since}` : ""} in ${root}`,
        );
    });
}

/**
 * `updraft show RUN_ID [--json]`: exit 2 with a hint for an unknown or ambiguous id.
 *
 * @example
 * ```ts
 * registerShow(program, ctx);
 * ```
 */
export function registerShow(program: Command, _ctx: CliContext): void {
  runsDirOption(
    program.command("show").description("show one run in detail: stages, attempts, gates, outputs, lineage"),
  )
    .argument("<run-id>", "a run id, a unique prefix or suffix of one, latest, -1 (the newest), -2, ...")
    .option("--json", "print the run as JSON")
    .action(async (id: string, opts: { json?: boolean; runsDir?: string }) => {
      const run = await pick(await load(opts.runsDir), id);
      if (opts.json) json(showJson(run));
      else out(formatShow(run, { cwd: process.cwd() }));
    });
}

/**
 * `updraft advise [--json] [--window 4w] [--config FILE]`: exit 0 whatever the verdict; 2 for a bad config.
 *
 * @example
 * ```ts
 * registerAdvise(program, ctx);
 * ```
 */
export function registerAdvise(program: Command, _ctx: CliContext): void {
  runsDirOption(program.command("advise").description("tell from run history whether it is time to move to Airflow"))
    .option("--window <span>", "how far back to look (default 4w, or advise.window in the config)")
    .option("--config <file>", "config file (default: updraft.config.json in this directory, if any)")
    .option("--json", "print the advice as JSON")
    .action(async (opts: { window?: string; config?: string; json?: boolean; runsDir?: string }) => {
      const config = await loadAdviseConfig({ cwd: process.cwd(), ...(opts.config ? { file: opts.config } : {}) });
      if (!config.ok) {
        throw new CliError(`invalid config ${config.file}:\n  ${config.problems.join("\n  ")}`, {
          hint: 'fix or remove those keys; every key has a default (README, "Configuration"; editors check the file with "$schema": "./node_modules/updraft/schema/config.schema.json")',
        });
      }
      const windowMs = span(
        opts.window ?? config.config.window,
        opts.window ? "--window" : `advise.window in ${config.file}`,
      );
      const { runs } = await load(opts.runsDir);
      const now = Date.now();
      const plans = await plansOf(
        runs.filter((r) => r.startMs >= now - windowMs),
        warn,
      );
      const advice = advise({ runs, plans, thresholds: config.config.thresholds, windowMs, now });
      if (opts.json) json({ ...advice, thresholds: config.config.thresholds, config: config.file });
      else out(formatAdvice(advice));
    });
}

/**
 * `updraft report RUN_ID --out report.html`.
 *
 * @example
 * ```ts
 * registerReport(program, ctx);
 * ```
 */
export function registerReport(program: Command, _ctx: CliContext): void {
  runsDirOption(program.command("report").description("write a self-contained HTML report of a run"))
    .argument("<run-id>", "a run id, a unique prefix or suffix of one, latest, -1 (the newest), -2, ...")
    .option("--out <file>", "where to write the report", "report.html")
    .action(async (id: string, opts: { out: string; runsDir?: string }) => {
      const read = await load(opts.runsDir);
      const run = await pick(read, id);
      const file = path.resolve(opts.out);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(
        file,
        renderReport({ run, plan: await planOf(run, read.runs), outDir: path.dirname(file), nowMs: Date.now() }),
      );
      out(`wrote ${path.relative(process.cwd(), file) || file}`);
    });
}

/**
 * `updraft gc --keep N [--dry-run]`.
 *
 * @example
 * ```ts
 * registerGc(program, ctx);
 * ```
 */
export function registerGc(program: Command, _ctx: CliContext): void {
  runsDirOption(program.command("gc").description("remove old run directories beyond the newest N"))
    .requiredOption("--keep <n>", "how many of the newest runs to keep")
    .option("--dry-run", "only print what would be removed")
    .option("--cache", "also prune the run cache and the output store: what the outputs now on disk are stays")
    .action(async (opts: { keep: string; dryRun?: boolean; runsDir?: string; cache?: boolean }) => {
      if (!/^\d+$/.test(opts.keep))
        throw new CliError(`--keep ${JSON.stringify(opts.keep)} is not a whole number`, {
          hint: "for example: updraft gc --keep 50",
        });
      const read = await load(opts.runsDir);
      const plan = planGc(read.runs, Number(opts.keep));
      const verb = opts.dryRun ? "would remove" : "remove";
      for (const k of plan.keep.filter((x) => !x.why.startsWith("one of the newest")))
        out(`${"keep".padEnd(verb.length)}  ${k.run.id}  (${k.why})`);
      for (const r of plan.remove) out(`${verb}  ${r.id}  (${r.pipelineId}, ${r.status}, ${r.start})`);
      const errors = opts.dryRun ? [] : await removeRuns(read.root, plan.remove);
      errors.forEach(warn);
      out(
        `${opts.dryRun ? "would remove" : "removed"} ${plan.remove.length - errors.length} of ${read.runs.length} runs; kept ${plan.keep.length}`,
      );
      if (opts.cache) await gcCache(path.join(path.dirname(read.root), "cache"), opts.dryRun ?? false);
      if (errors.length > 0)
        throw new CliError(`${errors.length} run directories could not be removed`, { exitCode: 1 });
    });
}

/** `gc --cache`: the run cache keeps what current outputs rely on (see skip/cache/prune.ts). */
async function gcCache(cacheDir: string, dryRun: boolean): Promise<void> {
  const { pruneCache } = await import("../../executors/local/skip/cache/prune.js");
  const r = await pruneCache(cacheDir, { dryRun });
  out(
    `${dryRun ? "would remove" : "removed"} ${r.removed.length} run cache entries whose outputs changed or are gone; kept ${r.kept} that current outputs match; ${r.statEntriesRemoved} stat cache entries of files that are gone`,
  );
  if (r.objectsRemoved > 0)
    out(
      `${dryRun ? "would remove" : "removed"} ${r.objectsRemoved} output store objects no current output is (${formatBytes(r.bytesFreed)})`,
    );
  if (r.plansRemoved > 0)
    out(
      `${dryRun ? "would remove" : "removed"} ${r.plansRemoved} validated plan.json files kept to start runs sooner (each is validated again on its next run)`,
    );
}
