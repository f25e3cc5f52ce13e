/**
 * `updraft logs RUN [STAGE] [--attempt N] [-f]` on real runs: every attempt's log under a header,
 * one attempt's log alone, clear errors with hints, and `-f` following a stage until it ends.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listRunIds } from "../../src/executors/local/run-dir/run-dir.js";
import { cli, cliEnv, exitOf, manifestOnDisk, stageOf, startCli, tempDir, until } from "../executors/local/helpers.js";
import { ROOT } from "./helpers.js";

const LOGS = path.join(ROOT, "test/fixtures/cli/logs.ts");
const stable = (text: string) => text.replace(/\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}/g, "<run>");

describe("updraft logs", () => {
  it("GIVEN a finished run WHEN its logs are asked for THEN each attempt's log is printed from the project root, and mistakes get hints", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    writeFileSync(path.join(dir, "go"), "");
    expect((await cli(["run", LOGS], dir, env)).code).toBe(0);

    const all = await cli(["logs", "latest"], dir, env);
    expect(all.code).toBe(0);
    expect(stable(all.output)).toBe(
      [
        "==> flaky, attempt 1: runs/<run>/logs/flaky.1.log <==",
        "first try fails",
        "",
        "==> flaky, attempt 2: runs/<run>/logs/flaky.2.log <==",
        "second try works",
        "",
        "==> waiter, attempt 1: runs/<run>/logs/waiter.1.log <==",
        "before go",
        "after go",
        "",
      ].join("\n"),
    );
    const suffix = listRunIds(path.join(dir, "runs"))[0]!.split("-").at(-1)!;
    expect(await cli(["logs", suffix, "flaky", "--attempt", "2"], dir, env)).toEqual({
      code: 0,
      output: "second try works\n",
    });
    expect(stable((await cli(["logs", "-1", "flaky", "--attempt", "1"], dir, env)).output)).toBe("first try fails\n");

    const typo = await cli(["logs", "latest", "flakey"], dir, env);
    expect({ code: typo.code, output: stable(typo.output) }).toEqual({
      code: 2,
      output: 'error: run <run> has no stage "flakey"\nhint: did you mean "flaky"? its stages are: flaky, waiter\n',
    });
    const attempt = await cli(["logs", "latest", "flaky", "--attempt", "5"], dir, env);
    expect({ code: attempt.code, output: stable(attempt.output) }).toEqual({
      code: 2,
      output: "error: stage flaky of run <run> has no attempt 5\nhint: its attempts are: 1, 2\n",
    });
    expect((await cli(["logs", "nope"], dir, env)).code).toBe(2);
  }, 120_000);

  it("GIVEN a running stage WHEN its log is followed with -f THEN new lines are printed as they come and it exits when the stage ends", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    const run = startCli(["run", LOGS], dir, env);
    await until(
      () => {
        const id = listRunIds(path.join(dir, "runs"))[0];
        return id !== undefined && stageOf(manifestOnDisk(dir, id), "waiter").status === "running";
      },
      60_000,
      "waiter to start",
    );

    const follow = startCli(["logs", "latest", "waiter", "-f"], dir, env);
    await until(() => follow.output().includes("before go\n"), 60_000, "the first line");
    expect(follow.exitCode).toBeNull();
    writeFileSync(path.join(dir, "go"), "");

    expect((await exitOf(follow)).code).toBe(0);
    expect(stable(follow.output())).toBe(
      "==> waiter, attempt 1: runs/<run>/logs/waiter.1.log <==\nbefore go\nafter go\n",
    );
    expect((await exitOf(run)).code).toBe(0);
  }, 120_000);
});
