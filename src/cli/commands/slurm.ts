/**
 * `updraft slurm status RUN [--cancel] [--json]`: a run submitted by an exported submit.sh, as its
 * records say (stages, attempts) and as Slurm says (each job's state, from `scontrol show job`);
 * `--cancel` cancels the run's jobs that have not ended, last submitted first.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { load, pick } from "./history.js";

/** One job of the run, from slurm/jobs.tsv: stage ("" for the run's start and end jobs), attempt or role. */
interface Job {
  readonly stage: string;
  readonly n: string;
  readonly id: string;
  state: string;
  reason: string;
}

const ENDED = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
]);

function readJobs(dir: string): Job[] {
  const file = path.join(dir, "slurm", "jobs.tsv");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CliError(`${file} is missing: submit.sh did not finish submitting this run`, {
      hint: "look for its jobs with squeue",
    });
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [stage = "", n = "", id = ""] = line.split("\t");
      return { stage, n, id, state: "UNKNOWN", reason: "" };
    });
}

/** Every job Slurm still knows (finished ones for MinJobAge, 300 s by default), by id. */
function slurmJobs(): Map<string, { state: string; reason: string }> {
  let text: string;
  try {
    text = execFileSync("scontrol", ["show", "job", "-o"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new CliError(`scontrol could not be run: ${(error as Error).message.split("\n")[0]}`, {
      hint: "run this where the Slurm client tools work (SLURM_CONF set if needed)",
    });
  }
  const jobs = new Map<string, { state: string; reason: string }>();
  for (const line of text.split("\n")) {
    const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)?.[1] ?? "";
    if (field("JobId")) jobs.set(field("JobId"), { state: field("JobState"), reason: field("Reason") });
  }
  return jobs;
}

function label(job: Job): string {
  const what = job.stage === "" ? job.n : /^\d+$/.test(job.n) ? `#${job.n}` : job.n;
  const reason = job.state === "PENDING" && job.reason && job.reason !== "None" ? ` (${job.reason})` : "";
  return `${what} job ${job.id} ${job.state}${reason}`;
}

/**
 * Register `updraft slurm status`.
 *
 * @example
 * ```ts
 * registerSlurm(program, ctx); // updraft slurm status slurm-20250101-120000-ab12cd --cancel
 * ```
 */
export function registerSlurm(program: Command, _ctx: CliContext): void {
  const slurm = program.command("slurm").description("runs submitted to Slurm by an exported submit.sh");
  slurm
    .command("status")
    .description("a submitted run: its stages from the run records, its jobs from Slurm")
    .argument("<run-id>", "a run id, or a unique prefix of one")
    .option("--runs-dir <dir>", "where run records live (default: $UPDRAFT_RUNS_DIR or .updraft/runs)")
    .option("--cancel", "cancel the run's jobs that have not ended")
    .option("--json", "print the run and its jobs as JSON")
    .action(async (id: string, opts: { runsDir?: string; cancel?: boolean; json?: boolean }) => {
      const run = await pick(await load(opts.runsDir), id);
      if (run.executor !== "slurm")
        throw new CliError(`run ${run.id} was not submitted to Slurm (its executor is ${run.executor})`, {
          hint: "updraft show prints any run",
        });
      const jobs = readJobs(run.dir);
      const known = slurmJobs();
      for (const job of jobs) Object.assign(job, known.get(job.id) ?? { state: "GONE", reason: "" });
      const live = jobs.filter((j) => j.state !== "GONE" && !ENDED.has(j.state));
      if (opts.cancel) {
        for (const job of [...live].reverse()) execFileSync("scancel", [job.id], { stdio: "inherit" });
      }
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ run: run.id, status: run.status, stages: run.stages.map((s) => ({ id: s.id, status: s.status })), jobs, cancelled: opts.cancel ? live.map((j) => j.id) : [] }, null, 2)}\n`,
        );
        return;
      }
      const lines = [`run ${run.id}  [slurm]  ${run.pipelineId}  ${run.status} (from its records)`];
      const width = Math.max(...run.stages.map((s) => s.id.length));
      for (const s of run.stages) {
        const mine = jobs.filter((j) => j.stage === s.id).map(label);
        lines.push(`  ${s.id.padEnd(width)}  ${s.status.padEnd(15)}  ${mine.join(", ")}`);
      }
      lines.push(
        `  run jobs: ${jobs
          .filter((j) => j.stage === "")
          .map(label)
          .join(", ")}`,
      );
      lines.push("  (GONE: Slurm no longer lists the job; it ended more than MinJobAge ago)");
      if (opts.cancel)
        lines.push(
          live.length ? `cancelled ${live.length} job(s) that had not ended` : "nothing to cancel: every job had ended",
        );
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
