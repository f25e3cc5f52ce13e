/**
 * Facts about processes on this machine: alive or not (a zombie is not), process groups, start
 * times (to tell a live process from a reused pid), and processes carrying a given environment
 * variable. Linux answers from /proc; elsewhere only signal 0 is available.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { pidAlive } from "../../../common/pid.js";

interface ProcStat {
  state: string;
  pgrp: number;
  startTime: string;
}

/** Enough for any /proc/<pid>/stat (a command name of at most 64 bytes and 52 numbers) or /proc/loadavg. */
const procBuffer = Buffer.alloc(2048);

/**
 * A small /proc file's text, in one read into a buffer kept for the purpose (a sweep reads one
 * for every process); throws when it cannot be read.
 */
function readSmallProcFile(file: string): string {
  const fd = openSync(file, "r");
  try {
    return procBuffer.toString("latin1", 0, readSync(fd, procBuffer, 0, procBuffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readSmallProcFile(`/proc/${pid}/stat`);
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0] ?? "", pgrp: Number(rest[2]), startTime: rest[19] ?? "" };
  } catch {
    return null;
  }
}

/** Process ids listed in /proc, or null where there is no /proc. */
function procPids(): number[] | null {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return null;
  }
}

/**
 * The pid this pid namespace gave to the newest process (Linux: the last field of /proc/loadavg),
 * or null when unknown. When it is still a process's own pid, nothing has started since it did.
 *
 * @example
 * ```ts
 * lastPid(); // 31014
 * ```
 */
export function lastPid(): number | null {
  try {
    const last = Number(readSmallProcFile("/proc/loadavg").trim().split(" ")[4]);
    return Number.isInteger(last) && last > 0 ? last : null;
  } catch {
    return null;
  }
}

/**
 * The start time of a process (clock ticks since boot, as text), or null when unknown.
 *
 * @example
 * ```ts
 * processStartTime(process.pid); // "123456"
 * ```
 */
export function processStartTime(pid: number): string | null {
  return readStat(pid)?.startTime ?? null;
}

/**
 * When a process started (Linux: its start time in clock ticks after boot, plus the boot time),
 * or null when unknown.
 *
 * @example
 * ```ts
 * processStartedAt(process.pid); // 2025-11-26T14:25:01.000Z, give or take 10 ms
 * ```
 */
export function processStartedAt(pid: number): Date | null {
  const ticks = Number(processStartTime(pid));
  let boot: number;
  try {
    boot = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
  } catch {
    return null;
  }
  // USER_HZ is 100 on every Linux that node runs on.
  return Number.isFinite(ticks) && ticks > 0 && Number.isFinite(boot) && boot > 0
    ? new Date((boot + ticks / 100) * 1000)
    : null;
}

/**
 * Whether a process is alive: it exists, is not a zombie, and (when `startTime` is given and
 * known) is the same process that had that start time, not a later one with a reused pid.
 *
 * @example
 * ```ts
 * isAlive(process.pid); // true
 * ```
 */
export function isAlive(pid: number, startTime: string | null = null): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return false;
  const stat = readStat(pid);
  if (!stat) return true;
  if (stat.state === "Z" || stat.state === "X") return false;
  return startTime === null || stat.startTime === startTime;
}

/**
 * Whether any live (non-zombie) process remains in process group `pgid`.
 *
 * @example
 * ```ts
 * groupAlive(child.pid); // false once the stage and everything it started are gone
 * ```
 */
export function groupAlive(pgid: number): boolean {
  if (!pidAlive(-pgid)) return false;
  const pids = procPids();
  if (pids === null) return true;
  // Zombies keep a group "alive" for signal 0 when nothing reaps them (PID 1 in some containers).
  return pids.some((pid) => {
    const stat = readStat(pid);
    return stat !== null && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X";
  });
}

/**
 * Send a signal to every process of a group; a group that is already gone is not an error.
 *
 * @example
 * ```ts
 * signalGroup(child.pid, "SIGTERM");
 * ```
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

/**
 * Live processes whose environment holds `name=value` (Linux only; empty elsewhere). Stage
 * processes inherit UPDRAFT_RUN_ID, so this finds what an interrupted run left behind.
 *
 * @example
 * ```ts
 * processesWithEnv("UPDRAFT_RUN_ID", "20250101T000000.000Z-abc123"); // [{ pid: 4242, pgrp: 4242 }]
 * ```
 */
export function processesWithEnv(name: string, value: string): { pid: number; pgrp: number }[] {
  return processesMarked({ [name]: value });
}

/**
 * How many processes and threads this machine has forked since boot (Linux: "processes" in
 * /proc/stat), or null when unknown. Every fork takes a pid, so fewer forks than there are pids
 * means the pid counter cannot have gone all the way round.
 *
 * @example
 * ```ts
 * forkCount(); // 1380855
 * ```
 */
export function forkCount(): number | null {
  try {
    const n = Number(/^processes (\d+)$/m.exec(readFileSync("/proc/stat", "latin1"))?.[1]);
    return (forksRead = Number.isSafeInteger(n) ? n : null);
  } catch {
    return null;
  }
}

let forksRead: number | null = null;

/**
 * A fork count taken no later than now: the latest one read, else one read now. It stands for a
 * process about to start at no cost on most calls (the count only grows).
 */
export function forkCountSoFar(): number | null {
  return forksRead ?? forkCount();
}

let pidMaxRead: number | null | undefined;

/** The largest pid plus one (/proc/sys/kernel/pid_max), read once; null when unknown. */
function pidMax(): number | null {
  if (pidMaxRead === undefined)
    try {
      const n = Number(readFileSync("/proc/sys/kernel/pid_max", "latin1").trim());
      pidMaxRead = Number.isSafeInteger(n) && n > 0 ? n : null;
    } catch {
      pidMaxRead = null;
    }
  return pidMaxRead;
}

/**
 * Where a search may skip processes without reading them: `pid` (a process's) was given out when
 * the machine had forked `forks` times. Processes in the groups `others` (other live attempts'
 * groups, which a process of ours can never join) are not read beyond their stat.
 */
export interface NewerThan {
  readonly pid: number;
  readonly forks: number | null;
  readonly others: ReadonlySet<number>;
}

/**
 * Which pids can have been given out after `after.pid`: Linux hands pids out in increasing order,
 * so, until the counter wraps at pid_max, they lie between it and the newest pid, and none of them
 * has been given out twice. Null, and every process is read, when that cannot be trusted: unknown
 * counts, the newest pid below `after.pid` (the counter wrapped), or so many forks since that it
 * may have gone all the way round.
 */
function pidWindow(after: NewerThan): ((pid: number) => boolean) | null {
  const max = pidMax();
  const forks = forkCount();
  const last = lastPid();
  if (after.forks === null || forks === null || max === null || last === null) return null;
  if (last < after.pid || forks - after.forks >= max - 300) return null;
  return (pid) => pid > after.pid && pid <= last;
}

/**
 * Live processes (other than this one) whose environment holds every `name=value` of `marker`
 * (Linux only; empty elsewhere). Every process of a stage attempt inherits UPDRAFT_RUN_ID,
 * UPDRAFT_STAGE and UPDRAFT_ATTEMPT, also one that left the attempt's process group (`setsid`),
 * unless it cleared or rewrote its environment. With `since` (a start time in clock ticks since
 * boot, as `processStartTime` gives), processes that started earlier are passed over unread; with
 * `newer`, so are pids given out before the attempt's leader's and other live attempts' processes.
 *
 * @example
 * ```ts
 * processesMarked({ UPDRAFT_RUN_ID: runId, UPDRAFT_STAGE: "train" }); // [{ pid: 4242, pgrp: 4242 }]
 * ```
 */
export function processesMarked(
  marker: Readonly<Record<string, string>>,
  since: number | null = null,
  newer: NewerThan | null = null,
): { pid: number; pgrp: number }[] {
  const needles = Object.entries(marker).map(([name, value]) => Buffer.from(`\0${name}=${value}\0`));
  const found: { pid: number; pgrp: number }[] = [];
  if (needles.length === 0) return found;
  const pids = procPids() ?? [];
  // Read after the listing: every pid listed was given out by then.
  const window = newer === null ? null : pidWindow(newer);
  for (const pid of pids) {
    if (pid === process.pid || (window !== null && !window(pid))) continue;
    const stat = readStat(pid);
    if (stat === null || stat.state === "Z" || stat.state === "X") continue;
    if (since !== null && Number(stat.startTime) < since) continue;
    // Another live attempt's group (a process of ours cannot join it). Trusted only with the window:
    // no pid in it was given out twice, so this pgrp is not a reused pid that a process of ours took.
    if (window !== null && newer!.others.has(stat.pgrp)) continue;
    try {
      const env = Buffer.concat([Buffer.from("\0"), readFileSync(`/proc/${pid}/environ`), Buffer.from("\0")]);
      if (needles.every((n) => env.includes(n))) found.push({ pid, pgrp: stat.pgrp });
    } catch {
      // Gone already, or another user's process.
    }
  }
  return found;
}

/**
 * Send a signal to one process; one that is already gone is not an error.
 *
 * @example
 * ```ts
 * signalPid(4242, "SIGKILL");
 * ```
 */
export function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: gone already.
  }
}
