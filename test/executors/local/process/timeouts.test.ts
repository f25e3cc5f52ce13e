/**
 * Timeouts: SIGTERM to the whole process group, SIGKILL after the grace period, no grandchild
 * survives, and a timeout is retried like any failure.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { alive, counter, planOf, run, stageOf, tempDir } from "../helpers.js";

const pids = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number);

describe("timeouts", () => {
  it("GIVEN a stage that starts background sleeps WHEN it times out THEN the stage and every process it started are gone", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("hang", {}, ({ stage }) => {
        stage("hang", {
          command: sh`sleep 300 & echo $! >> pids; (sleep 300 & echo $! >> pids; wait) & echo $$ >> pids; wait`,
          timeout: 1,
        });
      }),
    );
    const started = Date.now();
    const m = await run(plan, dir);
    const s = stageOf(m, "hang");
    expect(s.status).toBe("failed");
    expect(s.attempts[0]).toMatchObject({ outcome: "timeout", exitCode: null, signal: "SIGTERM" });
    // The reason gives the measured time: 1 s or more (2.185 s once, on a loaded machine).
    expect(Number(/^timed out after ([\d.]+)s$/.exec(s.reason ?? "")?.[1])).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    const spawned = pids(path.join(dir, "pids"));
    expect(spawned.length).toBe(3);
    for (const pid of spawned) expect(alive(pid), `pid ${pid} survived`).toBe(false);
    const log = readFileSync(path.join(dir, "runs", m.runId, s.attempts[0]!.log!), "utf8");
    expect(log).toContain("[updraft] timed out after 1s: sending SIGTERM to the process group");
  });

  it("GIVEN a stage whose child escapes the process group with setsid WHEN it times out THEN the escaped child is gone too", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("escape", {}, ({ stage }) => {
        stage("escape", {
          // setsid -f: the child leads a new session and process group; one more ignores SIGTERM.
          command: sh`setsid -f bash -c 'echo $$ >> pids; exec sleep 300'; setsid -f bash -c 'trap "" TERM; echo $$ >> pids; while :; do sleep 0.1; done'; sleep 300`,
          timeout: 1,
        });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "escape");
    expect(s.attempts[0]).toMatchObject({ outcome: "timeout" });
    const spawned = pids(path.join(dir, "pids"));
    expect(spawned.length).toBe(2);
    for (const pid of spawned) expect(alive(pid), `escaped pid ${pid} survived`).toBe(false);
  });

  it("GIVEN a stage that leaves a setsid child running WHEN it exits 0 THEN the child is stopped and the log says so", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("daemon", {}, ({ stage }) => {
        stage("daemon", { command: sh`setsid -f bash -c 'echo $$ >> pids; exec sleep 300'; sleep 0.2` });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "daemon");
    expect(s.status).toBe("success");
    const [pid] = pids(path.join(dir, "pids"));
    expect(alive(pid!), `escaped pid ${pid} survived`).toBe(false);
    const log = readFileSync(path.join(dir, "runs", m.runId, s.attempts[0]!.log!), "utf8");
    expect(log).toContain("[updraft] the stage left processes running outside its process group (1); sending SIGTERM");
  });

  it("GIVEN stages running side by side, one leaving a setsid child WHEN it exits 0 THEN its child is stopped and the others' processes are left alone", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("daemons", {}, ({ stage }) => {
        // Their inner bash starts after the daemon stage's leader: in its sweep's window, in other attempts' groups.
        for (const name of ["busy1", "busy2"])
          stage(name, { command: sh`sleep 0.3; bash -c 'sleep 1.5'; echo done > ${name}.out` });
        stage("daemon", { command: sh`sleep 0.6; setsid -f bash -c 'echo $$ >> pids; exec sleep 300'; sleep 0.2` });
      }),
    );
    const m = await run(plan, dir);
    expect(m.stages.map((s) => [s.id, s.status])).toEqual([
      ["busy1", "success"],
      ["busy2", "success"],
      ["daemon", "success"],
    ]);
    const [pid] = pids(path.join(dir, "pids"));
    expect(alive(pid!), `escaped pid ${pid} survived`).toBe(false);
    const s = stageOf(m, "daemon");
    const log = readFileSync(path.join(dir, "runs", m.runId, s.attempts[0]!.log!), "utf8");
    expect(log).toContain("[updraft] the stage left processes running outside its process group (1); sending SIGTERM");
    for (const name of ["busy1", "busy2"]) expect(readFileSync(path.join(dir, `${name}.out`), "utf8")).toBe("done\n");
  });

  it("GIVEN a stage that ignores SIGTERM WHEN it times out THEN SIGKILL follows after the grace period", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("stubborn", {}, ({ stage }) => {
        stage("stubborn", { command: sh`trap '' TERM; echo $$ > pid; while true; do sleep 0.1; done`, timeout: 1.5 });
      }),
    );
    const m = await run(plan, dir, {}, { graceMs: 300 });
    const a = stageOf(m, "stubborn").attempts[0]!;
    expect(a.outcome).toBe("timeout");
    expect(a.signal).toBe("SIGKILL");
    expect(alive(pids(path.join(dir, "pid"))[0]!)).toBe(false);
  });

  it("GIVEN a timeout and retries WHEN the first attempt hangs THEN it is retried and the retry can succeed", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("slowfirst", {}, ({ stage }) => {
        stage("slow", {
          command: sh`echo x >> count; if [ "$(wc -l < count)" -lt 2 ]; then sleep 30; fi`,
          timeout: 0.5,
          retry: { retries: 1, delay: "0.01s" },
        });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "slow");
    expect(s.attempts.map((a) => a.outcome)).toEqual(["timeout", "success"]);
    expect(s.status).toBe("success");
    expect(counter(path.join(dir, "count"))).toBe(2);
  });

  it("GIVEN a stage whose leader exits 0 but leaves a background process WHEN it ends THEN the leftover is stopped", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("leaky", {}, ({ stage }) => {
        stage("leaky", { command: sh`sleep 300 & echo $! > pid; exit 0` });
      }),
    );
    const m = await run(plan, dir);
    expect(stageOf(m, "leaky").status).toBe("success");
    expect(alive(pids(path.join(dir, "pid"))[0]!)).toBe(false);
  });
});
