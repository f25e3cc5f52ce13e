/**
 * `updraft completion zsh` loaded by a real zsh (Debian's; .ci/run installs it), as ~/.zshrc would
 * load it: no error, the completion function registered for `updraft`, and Tab's answers as zsh's
 * bash-completion bridge (bashcompinit's compgen) computes them before compadd filters by prefix.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updraft } from "./helpers.js";

let script = "";
let dir = "";

beforeAll(async () => {
  const r = await updraft(["completion", "zsh"]);
  expect(r.code).toBe(0);
  dir = mkdtempSync(path.join(os.tmpdir(), "updraft-completion-zsh-"));
  script = path.join(dir, "updraft.zsh");
  writeFileSync(script, r.stdout);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run zsh without the user's startup files, HOME in the temp dir (compinit writes its dump there). */
function zsh(code: string, args: readonly string[] = [], env: Record<string, string> = {}) {
  return spawnSync("zsh", ["-f", "-c", code, "zsh", script, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, HOME: dir, ZDOTDIR: dir, ...env },
    input: "",
  });
}

/** What zsh offers for the command line `words` (the last one is being completed). */
function complete(words: readonly string[], env: Record<string, string> = {}): string[] {
  const code = [
    'source "$1"; shift',
    'words=( "$@" ); CURRENT=$#',
    'local -a COMP_WORDS COMPREPLY; local COMP_CWORD COMP_LINE="$words"',
    '(( COMP_CWORD = CURRENT - 1 )); COMP_WORDS=( "${words[@]}" )',
    'matches=( ${(f)"$(compgen -o default -F _updraft -- ${words[CURRENT]})"} )',
    "print -l -- ${(M)matches:#${words[CURRENT]}*}",
  ].join("\n");
  const r = zsh(code, words, env);
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter((l) => l !== "");
}

describe("updraft completion zsh", () => {
  it("GIVEN the script WHEN zsh loads it THEN it loads without a message and registers _updraft for updraft", () => {
    expect(execFileSync("zsh", ["--version"], { encoding: "utf8" })).toMatch(/^zsh \d/);
    const r = zsh('source "$1" && print -r -- "${_comps[updraft]}" && whence -w _updraft');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toBe("_bash_complete -o default -F _updraft\n_updraft: function\n");
  });

  it("GIVEN the script in zsh WHEN Tab is pressed THEN commands, subcommands, options and run ids complete", () => {
    expect(complete(["updraft", "ru"])).toEqual(["run"]);
    expect(complete(["updraft", "run", "--on"])).toEqual(["--only"]);
    expect(complete(["updraft", "completion", ""])).toEqual(["bash", "zsh"]);
    expect(complete(["updraft", "export", ""])).toEqual(["airflow", "slurm"]);
    const runs = path.join(dir, "runs");
    mkdirSync(path.join(runs, "20260101T000000.000Z-abc123"), { recursive: true });
    mkdirSync(path.join(runs, ".locks"));
    expect(complete(["updraft", "show", ""], { UPDRAFT_RUNS_DIR: runs })).toEqual([
      "latest",
      "20260101T000000.000Z-abc123",
    ]);
  });
});
