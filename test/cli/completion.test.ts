/**
 * `updraft completion bash` sourced in a real bash, with COMP_WORDS as bash sets them when Tab is
 * pressed: commands, options, option values, run ids from the runs folder, files.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updraft } from "./helpers.js";

let script = "";
let dir = "";

beforeAll(async () => {
  const r = await updraft(["completion", "bash"]);
  expect(r.code).toBe(0);
  dir = mkdtempSync(path.join(os.tmpdir(), "updraft-completion-"));
  script = path.join(dir, "updraft.bash");
  writeFileSync(script, r.stdout);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash offers for the command line `words` (the last one is being completed). */
function complete(words: readonly string[], env: Record<string, string> = {}): string[] {
  const out = execFileSync(
    "bash",
    [
      "-c",
      'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _updraft; printf "%s\\n" "${COMPREPLY[@]}"',
      script,
      ...words,
    ],
    { cwd: dir, encoding: "utf8", env: { ...process.env, ...env } },
  );
  return out.split("\n").filter((l) => l !== "");
}

describe("updraft completion bash", () => {
  it("GIVEN the script in bash WHEN Tab is pressed THEN commands, subcommands and options complete", () => {
    expect(complete(["updraft", "ru"])).toEqual(["run"]);
    expect(complete(["updraft", "run", "--on"])).toEqual(["--only"]);
    expect(complete(["updraft", "logs", "latest", "--at"])).toEqual(["--attempt"]);
    expect(complete(["updraft", "slurm", "st"])).toEqual(["status"]);
    expect(complete(["updraft", "completion", ""])).toEqual(["bash", "zsh"]);
    expect(complete(["updraft", "export", ""])).toEqual(["airflow", "slurm"]);
    expect(complete(["updraft", "graph", "p.ts", "--format", "d"])).toEqual(["dot"]);
  });

  it("GIVEN runs and files WHEN a run id or a pipeline is completed THEN they come from the runs folder and the disk", () => {
    const runs = path.join(dir, "runs");
    mkdirSync(path.join(runs, "20260101T000000.000Z-abc123"), { recursive: true });
    mkdirSync(path.join(runs, "20260102T000000.000Z-def456"));
    mkdirSync(path.join(runs, ".locks"));
    const env = { UPDRAFT_RUNS_DIR: runs };
    expect(complete(["updraft", "logs", ""], env)).toEqual([
      "latest",
      "20260101T000000.000Z-abc123",
      "20260102T000000.000Z-def456",
    ]);
    expect(complete(["updraft", "show", "202601"], env)).toEqual([
      "20260101T000000.000Z-abc123",
      "20260102T000000.000Z-def456",
    ]);
    writeFileSync(path.join(dir, "pipeline.ts"), "");
    // A value option's value is not a position: the pipeline is still the first argument.
    expect(complete(["updraft", "run", "--param", "rows=5", "pipe"])).toEqual(["pipeline.ts"]);
    expect(complete(["updraft", "export", "airflow", "pipe"])).toEqual(["pipeline.ts"]);
  });

  it("GIVEN another shell WHEN asked THEN zsh gets a script through bashcompinit, and an unknown shell exit 2", async () => {
    const zsh = await updraft(["completion", "zsh"]);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain("bashcompinit");
    expect(zsh.stdout).toContain("complete -o default -F _updraft updraft");
    expect(await updraft(["completion", "fish"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'error: no completion for the shell "fish"\nhint: give one of: bash, zsh',
    });
  });
});
