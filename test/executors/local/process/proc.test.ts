/**
 * Finding an attempt's processes by its marker: a start time passes over processes that started
 * earlier, and the newest pid tells when nothing has started since.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { forkCount, lastPid, processesMarked, processStartTime } from "../../../../src/executors/local/process/proc.js";

/** Start `sleep 30` with `marker` in its environment, in a new process group when `detached`. */
async function marked(marker: Record<string, string>, detached = false) {
  const child = spawn("sleep", ["30"], { env: { ...process.env, ...marker }, stdio: "ignore", detached });
  await new Promise((resolve) => child.once("spawn", resolve));
  return child;
}

describe("processesMarked and lastPid", () => {
  it("GIVEN a marked process WHEN searched from its own start time or later THEN it is found only from its own", async () => {
    const marker = { UPDRAFT_PROC_TEST: `t${process.pid}-${Date.now()}` };
    const child = spawn("sleep", ["30"], { env: { ...process.env, ...marker }, stdio: "ignore" });
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      const started = Number(processStartTime(child.pid!));
      expect(Number.isInteger(started)).toBe(true);
      const found = (since: number | null) => processesMarked(marker, since).map((p) => p.pid);
      expect(found(null)).toEqual([child.pid]);
      expect(found(started)).toEqual([child.pid]);
      expect(found(started + 1)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("GIVEN a new process WHEN the newest pid is read THEN it is a pid, and no longer an older process's", async () => {
    const before = lastPid();
    expect(Number.isInteger(before)).toBe(true);
    const child = spawn("true", { stdio: "ignore" });
    await new Promise((resolve) => child.once("exit", resolve));
    // The child's pid was given after `before`: the newest pid is the child's or a later one.
    expect(lastPid()).not.toBe(before);
  });

  it("GIVEN pids given out before a leader WHEN searched with its pid window THEN they are passed over unread, and read again when the window cannot be trusted", async () => {
    const marker = { UPDRAFT_PROC_TEST: `w${process.pid}-${Date.now()}` };
    const forks = forkCount();
    const older = await marked(marker);
    const leader = await marked({});
    const newer = await marked(marker);
    try {
      const found = (f: number | null) =>
        processesMarked(marker, null, { pid: leader.pid!, forks: f, others: new Set() })
          .map((p) => p.pid)
          .sort();
      expect(found(forks)).toEqual([newer.pid]);
      // More forks since the leader than there are pids: the counter may have gone round.
      expect(found(forks! - 5_000_000)).toEqual([older.pid, newer.pid].sort());
      // No count from before the leader: nothing can be skipped.
      expect(found(null)).toEqual([older.pid, newer.pid].sort());
    } finally {
      for (const c of [older, leader, newer]) c.kill("SIGKILL");
    }
  });

  it("GIVEN a marked process in another live attempt's group WHEN searched with the window THEN it is passed over", async () => {
    const marker = { UPDRAFT_PROC_TEST: `g${process.pid}-${Date.now()}` };
    const forks = forkCount();
    const leader = await marked({});
    const other = await marked(marker, true);
    try {
      const search = (others: Set<number>) =>
        processesMarked(marker, null, { pid: leader.pid!, forks, others }).map((p) => p.pid);
      expect(search(new Set())).toEqual([other.pid]);
      expect(search(new Set([other.pid!]))).toEqual([]);
    } finally {
      for (const c of [leader, other]) c.kill("SIGKILL");
    }
  });
});
