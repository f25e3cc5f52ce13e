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

/** The parent pid of a live process. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** The spawner once its helper has booted. */
async function booted(spawner: Spawner): Promise<Spawner> {
  spawner.warm();
  for (let i = 0; i < 400 && !spawner.booted; i++) await new Promise((r) => setTimeout(r, 25));
  expect(spawner.booted).toBe(true);
  return spawner;
}

describe("Spawner", () => {
  it("GIVEN a helper still booting WHEN a process is launched THEN it starts from the runner at once, and later ones from the helper", async () => {
    const dir = tempDir();
    const spawner = new Spawner({ PATH: process.env.PATH ?? "", BASE: "base" });
    const request = (n: number) => ({
      file: "bash",
      args: ["-c", `echo "$BASE $N"; sleep 0.3`],
      cwd: dir,
      env: { N: String(n) },
      log: path.join(dir, `${n}.log`),
    });
    const first = spawner.launch(request(1));
    expect(spawner.booted).toBe(false);
    expect(parentOf(await first.pid)).toBe(process.pid);
    await booted(spawner);
    const second = spawner.launch(request(2));
    expect(parentOf(await second.pid)).toBe(helperPid());
    expect(await first.exit).toEqual({ code: 0, signal: null });
    expect(await second.exit).toEqual({ code: 0, signal: null });
    expect(readFileSync(path.join(dir, "1.log"), "utf8")).toBe("base 1\n");
    expect(readFileSync(path.join(dir, "2.log"), "utf8")).toBe("base 2\n");
    spawner.close();
  });

  it("GIVEN a process started while the helper booted WHEN the helper dies THEN its exit code is still reported", async () => {
    const dir = tempDir();
    const spawner = new Spawner({ PATH: process.env.PATH ?? "" });
    const p = spawner.launch({
      file: "bash",
      args: ["-c", "sleep 0.5; exit 4"],
      cwd: dir,
      env: {},
      log: path.join(dir, "x.log"),
    });
    await p.pid;
    await booted(spawner);
    process.kill(helperPid()!, "SIGKILL");
    expect(await p.exit).toEqual({ code: 4, signal: null });
  });

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
    const spawner = await booted(new Spawner({ PATH: process.env.PATH ?? "" }));
    const p = spawner.launch({ file: "sleep", args: ["0.5"], cwd: dir, env: {}, log: path.join(dir, "x.log") });
    const pid = await p.pid;
    expect(parentOf(pid)).toBe(helperPid());
    const helper = helperPid();
    expect(helper).not.toBeNull();
    process.kill(helper!, "SIGKILL");
    expect(await p.exit).toEqual({ code: null, signal: null });
    expect(alive(pid)).toBe(false);
    expect(spawner.usable).toBe(false);
  });
});
