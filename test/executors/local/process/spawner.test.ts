/**
 * The process starter: stage processes forked from a small helper, exit codes reported back,
 * start errors as data, and the runner carrying on when the helper dies.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Spawner } from "../../../../src/executors/local/process/spawner.js";
import { alive, tempDir } from "../helpers.js";

/** The helper's pid: the child of this process whose command line is `node -e ...`. */
function helperPid(): number | null {
  for (const entry of readFileSync("/proc/self/task/" + process.pid + "/children", "utf8")
    .trim()
    .split(/\s+/)
    .filter(Boolean)) {
    const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    if (cmd[1] === "-e") return Number(entry);
  }
  return null;
}

describe("Spawner", () => {
  it("GIVEN a request WHEN the process runs THEN its output goes to the log, with the base env and the request's env", async () => {
    const dir = tempDir();
    const spawner = new Spawner({ PATH: process.env.PATH ?? "", BASE: "base" });
    const log = path.join(dir, "out.log");
    const p = spawner.launch({
      file: "bash",
      args: ["-c", 'echo "$BASE $EXTRA $(pwd)"; echo err >&2; exit 3'],
      cwd: dir,
      env: { EXTRA: "extra" },
      log,
    });
    expect(await p.pid).toBeGreaterThan(0);
    expect(await p.exit).toEqual({ code: 3, signal: null });
    expect(readFileSync(log, "utf8")).toBe(`base extra ${dir}\nerr\n`);
    spawner.close();
  });

  it("GIVEN a program that does not exist WHEN it is launched THEN the pid promise rejects with the reason", async () => {
    const dir = tempDir();
    const spawner = new Spawner({ PATH: process.env.PATH ?? "" });
    const p = spawner.launch({
      file: "updraft-no-such-program",
      args: [],
      cwd: dir,
      env: {},
      log: path.join(dir, "x.log"),
    });
    await expect(p.pid).rejects.toThrow(/ENOENT/);
    expect(await p.exit).toEqual({ code: null, signal: null });
    spawner.close();
  });

  it("GIVEN a running process WHEN the helper dies THEN the spawner is marked unusable and the exit is still reported once the process is gone", async () => {
    const dir = tempDir();
    const spawner = new Spawner({ PATH: process.env.PATH ?? "" });
    const p = spawner.launch({ file: "sleep", args: ["0.5"], cwd: dir, env: {}, log: path.join(dir, "x.log") });
    const pid = await p.pid;
    const helper = helperPid();
    expect(helper).not.toBeNull();
    process.kill(helper!, "SIGKILL");
    expect(await p.exit).toEqual({ code: null, signal: null });
    expect(alive(pid)).toBe(false);
    expect(spawner.usable).toBe(false);
  });
});
