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

/** Enough for any /proc/<pid>/stat: a command name of at most 64 bytes and 52 numbers. */
const statBuffer = Buffer.alloc(2048);

function readStat(pid: number): ProcStat | null {
  try {
    // One read into a buffer kept for the purpose: a sweep reads this file for every process.
    const fd = openSync(`/proc/${pid}/stat`, "r");
    let length: number;
    try {
      length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    } finally {
      closeSync(fd);
    }
    const text = statBuffer.toString("latin1", 0, length);
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
    const last = Number(readFileSync("/proc/loadavg", "latin1").trim().split(" ")[4]);
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
 * Live processes (other than this one) whose environment holds every `name=value` of `marker`
 * (Linux only; empty elsewhere). Every process of a stage attempt inherits UPDRAFT_RUN_ID,
 * UPDRAFT_STAGE and UPDRAFT_ATTEMPT, also one that left the attempt's process group (`setsid`),
 * unless it cleared or rewrote its environment. With `since` (a start time in clock ticks since
 * boot, as `processStartTime` gives), processes that started earlier are passed over unread.
 *
 * @example
 * ```ts
 * processesMarked({ UPDRAFT_RUN_ID: runId, UPDRAFT_STAGE: "train" }); // [{ pid: 4242, pgrp: 4242 }]
 * ```
 */
export function processesMarked(
  marker: Readonly<Record<string, string>>,
  since: number | null = null,
): { pid: number; pgrp: number }[] {
  const needles = Object.entries(marker).map(([name, value]) => Buffer.from(`\0${name}=${value}\0`));
  const found: { pid: number; pgrp: number }[] = [];
  if (needles.length === 0) return found;
  for (const pid of procPids() ?? []) {
    if (pid === process.pid) continue;
    const stat = readStat(pid);
    if (stat === null || stat.state === "Z" || stat.state === "X") continue;
    if (since !== null && Number(stat.startTime) < since) continue;
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
