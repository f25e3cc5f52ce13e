/**
 * `updraft run --only STAGE --interactive` in a real pseudo-terminal (`script`): the stage gets the
 * terminal (stdin and stdout are a TTY, it reads what is typed), its env, params and GPU lease, one
 * attempt and no timeout; nothing else runs.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_FILE, cli, cliEnv, TSX_LOADER, manifestOnDisk, stageOf, tempDir } from "../executors/local/helpers.js";
import { listRunIds } from "../../src/executors/local/run-dir/run-dir.js";
import { ROOT } from "./helpers.js";

const FILE = path.join(ROOT, "test/fixtures/cli/interactive.ts");

/** Run `updraft ARGS` inside a pseudo-terminal that `input` is typed into. */
function inTerminal(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, input: string) {
  const command = [process.execPath, "--import", TSX_LOADER, BIN_FILE, ...args].join(" ");
  return new Promise<{ code: number; output: string }>((resolve) => {
    const child = execFile("script", ["-qec", command, "/dev/null"], { cwd, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.replace(/\r\n/g, "\n") }),
    );
    child.stdin!.end(input);
  });
}

describe("updraft run --interactive", () => {
  it("GIVEN one --only stage WHEN it runs interactively in a terminal THEN it reads the terminal, with its env, params and GPU, once, without a timeout", async () => {
    const dir = tempDir();
    const env = cliEnv(dir, { UPDRAFT_GPUS: "1" });
    const r = await inTerminal(
      ["run", FILE, "--only", "debug", "--interactive", "-p", "who=ada"],
      dir,
      env,
      "hello there\n",
    );
    expect(r.output).toContain("terminal: yes\n");
    expect(r.output).toContain("read: hello there; who=ada; mode=debugging; gpus=0\n");
    expect(r.code).toBe(1);
    const m = manifestOnDisk(dir, listRunIds(path.join(dir, "runs"))[0]!);
    const debug = stageOf(m, "debug");
    // exit 3 after about 2s: the 1s timeout and the two retries of a normal run do not apply.
    expect(debug.attempts.map((a) => [a.outcome, a.exitCode, a.gpus])).toEqual([["failed", 3, [0]]]);
    expect(debug.attempts[0]!.durationMs).toBeGreaterThanOrEqual(2000);
    expect(existsSync(path.join(dir, "prepare.ran"))).toBe(false);
  }, 120_000);

  it("GIVEN the same stage WHEN it runs without --interactive THEN it has no terminal: the test above fails without the flag", async () => {
    const dir = tempDir();
    const r = await inTerminal(["run", FILE, "--only", "debug", "-v"], dir, cliEnv(dir, { UPDRAFT_GPUS: "1" }), "x\n");
    expect(r.output).toContain("terminal: no");
    expect(r.output).not.toContain("read: x");
  }, 120_000);

  it("GIVEN no --only, or a gate WHEN --interactive is asked THEN it exits 2 with a hint and runs nothing", async () => {
    const dir = tempDir();
    const env = cliEnv(dir, { UPDRAFT_GPUS: "1" });
    expect(await cli(["run", FILE, "--interactive"], dir, env)).toEqual({
      code: 2,
      output:
        "error: --interactive gives the terminal to one stage: name it with one --only\nhint: updraft run PIPELINE --only prepare --interactive\n",
    });
    expect(await cli(["run", FILE, "--only", "gate", "--interactive"], dir, env)).toEqual({
      code: 2,
      output:
        "error: --interactive: gate is a quality gate, which runs no process\nhint: give a stage that runs a command: prepare, debug\n",
    });
    expect(existsSync(path.join(dir, "runs"))).toBe(false);
  }, 120_000);
});
