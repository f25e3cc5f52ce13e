/**
 * `updraft logs RUN [STAGE] [--attempt N] [-f]`: print the logs a run's attempts wrote (already
 * masked of secrets), or follow them while the run goes on, as `tail -f` does.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../../common/did-you-mean.js";
import { readRun } from "../../records/read-runs.js";
import type { RunView } from "../../records/run-view.js";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { load, pick } from "./history.js";

interface LogsFlags {
  attempt?: string;
  follow?: boolean;
  runsDir?: string;
}

/** One attempt's log file. */
interface LogFile {
  readonly stage: string;
  readonly attempt: number;
  /** Absolute path. */
  readonly file: string;
}

const POLL_MS = 200;
const LIVE = new Set(["pending", "waiting", "running"]);

/** A path as the user's shell reaches it: from the working directory, else absolute. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") ? file : rel;
}

function checkStage(run: RunView, stage: string | undefined): void {
  if (stage === undefined || run.stages.some((s) => s.id === stage)) return;
  const ids = run.stages.map((s) => s.id);
  throw new CliError(`run ${run.id} has no stage "${stage}"`, {
    hint: `${didYouMean(stage, ids)}its stages are: ${ids.join(", ")}`,
  });
}

/** The log files of the chosen stages and attempts, in plan order. */
function logFiles(run: RunView, stage: string | undefined, attempt: number | undefined): LogFile[] {
  const files: LogFile[] = [];
  for (const s of run.stages) {
    if (stage !== undefined && s.id !== stage) continue;
    for (const a of s.attempts)
      if (a.log && (attempt === undefined || a.attempt === attempt))
        files.push({ stage: s.id, attempt: a.attempt, file: path.join(run.dir, a.log) });
  }
  return files;
}

/** Why a stage that was asked for has no log yet (or never will). */
function noLog(run: RunView, stage: string, attempt: number | undefined): CliError {
  const s = run.stages.find((x) => x.id === stage)!;
  const tries = s.attempts.map((a) => a.attempt);
  if (attempt !== undefined && tries.length > 0)
    return new CliError(`stage ${stage} of run ${run.id} has no attempt ${attempt}`, {
      hint: `its attempts are: ${tries.join(", ")}`,
    });
  const why = s.reason ? `${s.status}: ${s.reason}` : s.status;
  return new CliError(`stage ${stage} of run ${run.id} has no log (${why})`, {
    hint: LIVE.has(s.status) ? "add -f to wait for it" : "only stages that started a process write a log",
  });
}

/** Whether following can stop: the run is over, or the stage (attempt) asked for is. */
function finished(run: RunView, stage: string | undefined, attempt: number | undefined): boolean {
  if (run.status !== "running") return true;
  const s = stage === undefined ? undefined : run.stages.find((x) => x.id === stage);
  if (!s) return false;
  if (attempt !== undefined && s.attempts.some((a) => a.attempt === attempt && a.end !== null)) return true;
  return !LIVE.has(s.status);
}

/** The bytes of `file` from `offset` on (none when it does not exist yet). */
function readFrom(file: string, offset: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = statSync(file).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    const n = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, offset) : 0;
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Prints what each log gained since the last call, under a `==> ... <==` line when the source changes. */
function printer(headers: boolean): (files: readonly LogFile[]) => void {
  const offsets = new Map<string, number>();
  let current: string | null = null;
  return (files) => {
    for (const f of files) {
      const bytes = readFrom(f.file, offsets.get(f.file) ?? 0);
      if (bytes.length === 0 && offsets.has(f.file)) continue;
      offsets.set(f.file, (offsets.get(f.file) ?? 0) + bytes.length);
      if (headers && current !== f.file) {
        process.stdout.write(
          `${current === null ? "" : "\n"}==> ${f.stage}, attempt ${f.attempt}: ${shown(f.file)} <==\n`,
        );
        current = f.file;
      }
      process.stdout.write(bytes);
    }
  };
}

async function logs(id: string, stage: string | undefined, flags: LogsFlags): Promise<void> {
  const attempt = flags.attempt === undefined ? undefined : Number(flags.attempt);
  if (attempt !== undefined && !(Number.isInteger(attempt) && attempt >= 1))
    throw new CliError(`--attempt ${JSON.stringify(flags.attempt)} is not an attempt number`, {
      hint: "attempts count from 1: --attempt 2",
    });
  if (attempt !== undefined && stage === undefined)
    throw new CliError("--attempt needs a STAGE", { hint: `updraft logs ${id} STAGE --attempt ${attempt}` });
  let run = await pick(await load(flags.runsDir), id);
  checkStage(run, stage);
  let files = logFiles(run, stage, attempt);
  if (files.length === 0 && !flags.follow) {
    if (stage !== undefined) throw noLog(run, stage, attempt);
    throw new CliError(`run ${run.id} has no logs`, {
      hint:
        run.executor === "local"
          ? "no stage of it started a process"
          : `its stages ran under ${run.executor}: their logs are where ${run.executor} keeps task logs`,
    });
  }
  // Headers unless exactly one log is asked for (a stage's attempt); following a stage may add retries.
  const print = printer(attempt === undefined && (files.length > 1 || stage === undefined || !!flags.follow));
  print(files);
  while (flags.follow && !finished(run, stage, attempt)) {
    await sleep(POLL_MS);
    const next = await readRun(run.dir, () => {});
    // A manifest caught mid-rewrite cannot happen (atomic renames); a run removed meanwhile ends it.
    if (typeof next === "string") break;
    run = next;
    files = logFiles(run, stage, attempt);
    print(files);
  }
  // What was written between the last read and the run's end.
  if (flags.follow) print(files);
}

/**
 * Register `updraft logs`.
 *
 * @example
 * ```ts
 * registerLogs(program, { self: null, exitCode: 0 });
 * ```
 */
export function registerLogs(program: Command, _ctx: CliContext): void {
  program
    .command("logs")
    .description("print the logs of a run's stages (masked of secrets), or follow them with -f")
    .argument("<run-id>", "a run id, a unique prefix or suffix of one, latest, -1 (the newest), -2, ...")
    .argument("[stage]", "only this stage (default: every stage, in plan order)")
    .option("--attempt <n>", "only this attempt of STAGE (default: every attempt)")
    .option("-f, --follow", "keep printing what the logs gain until the run (or STAGE) ends")
    .option("--runs-dir <dir>", "where run records live (default: $UPDRAFT_RUNS_DIR or .updraft/runs)")
    .action((id: string, stage: string | undefined, flags: LogsFlags) => logs(id, stage, flags));
}
