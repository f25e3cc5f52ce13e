/**
 * Finding an attempt's processes by its marker: a start time passes over processes that started
 * earlier, and the newest pid tells when nothing has started since.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { lastPid, processesMarked, processStartTime } from "../../../../src/executors/local/process/proc.js";

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
});
