import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { param, pipeline, plan, planFromJson, sh, type Plan } from "updraft";
import { paramEnvName, renderShell } from "../../../src/planner/template.js";
import { paramRef } from "../../../src/dsl/params.js";
import { showCommand } from "../../../src/executors/dry-run/format.js";
import type { Template } from "../../../src/plan/schema.js";

const v = paramRef<"v", string>("v");
/** `sh` keeps text raw (a written \\n stays two characters): real newlines and tabs go in as values. */
const [NL, TAB] = ["\n", "\t"];
const HOSTILE = ["$(touch pwned)", "`touch pwned`", "a b  *", '"', "'", "\\", "x'; touch pwned; '", "${HOME}", "#"];

/** Run a rendered script under real bash in a fresh directory with v in the environment; stdout, and whether "pwned" appeared. */
function bash(script: Template, value: string): { out: string; pwned: boolean } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-shell-"));
  const out = execFileSync("bash", ["-c", renderShell(script)], {
    cwd: dir,
    env: { PATH: process.env.PATH, [paramEnvName("v")]: value },
    encoding: "utf8",
  });
  return { out, pwned: existsSync(path.join(dir, "pwned")) };
}

describe("placeholders after comments, in heredocs and in $'...' (real bash)", () => {
  const contexts: [string, Template, (value: string) => string][] = [
    ["after a comment with an apostrophe", sh`# don't panic${NL}printf '%s|' ${v}`.parts, (x) => `${x}|`],
    ["after a comment with a double quote", sh`# say "hi${NL}printf '%s|' ${v}`.parts, (x) => `${x}|`],
    ["in an unquoted heredoc", sh`cat <<EOF${NL}v=${v}|${NL}EOF`.parts, (x) => `v=${x}|\n`],
    [
      "in a <<- heredoc, then after it",
      sh`cat <<-END${NL}${TAB}v=${v}|${NL}${TAB}END${NL}printf '%s|' ${v}`.parts,
      (x) => `v=${x}|\n${x}|`,
    ],
    ["after an ANSI-C string", sh`printf '%s|' $'it\'s' ${v}`.parts, (x) => `it's|${x}|`],
    ["inside an ANSI-C string", sh`printf '%s|' $'it\'s ${v}'`.parts, (x) => `it's ${x}|`],
    ["after $# (not a comment)", sh`set --; printf '%s|' $# ${v}`.parts, (x) => `0|${x}|`],
  ];
  for (const [name, script, expected] of contexts) {
    it(`GIVEN a placeholder ${name} WHEN bash runs it with hostile values THEN the program gets each value exactly`, () => {
      for (const value of HOSTILE) expect(bash(script, value)).toEqual({ out: expected(value), pwned: false });
    });
  }

  it("GIVEN each context WHEN the dry-run's command is pasted into bash THEN it prints what the run prints", () => {
    for (const [, script, expected] of contexts) {
      // One bash per context: every value's command, one after the other.
      const shown = HOSTILE.map((value) => showCommand({ command: { kind: "shell", script } } as never, { v: value }));
      const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-shell-"));
      const out = execFileSync("bash", ["-c", shown.join("\n")], {
        cwd: dir,
        env: { PATH: process.env.PATH },
        encoding: "utf8",
      });
      expect(out).toBe(HOSTILE.map(expected).join(""));
    }
  });

  it("GIVEN a comment with an apostrophe WHEN the dry-run shows the command THEN the value is quoted as bash will see it", () => {
    const stage = { command: { kind: "shell" as const, script: sh`# don't panic${NL}printf '%s|' ${v}`.parts } };
    expect(showCommand(stage as never, { v: "a b" })).toMatchInlineSnapshot(`
      "# don't panic
      printf '%s|' "a b""
    `);
  });
});

describe("placeholders bash reads as arithmetic, or not at all", () => {
  const problemsOf = (script: ReturnType<typeof sh>): string[] => {
    const p = pipeline(
      "arith",
      { params: { s: param.string({ default: "a[$(touch /tmp/x)]" }), n: param.int({ default: 41 }) } },
      ({ stage }) => {
        stage("a", { command: script });
      },
    );
    const result = plan(p);
    return result.ok ? [] : result.problems.map((x) => `${x.code}: ${x.message} | hint: ${x.hint}`);
  };
  const s = paramRef<"s", string>("s");
  const n = paramRef<"n", number>("n");

  it("GIVEN a string param in $(( )), (( )), ${...}, a subscript or a numeric [[ ]] test WHEN planned THEN each is refused", () => {
    expect([
      ...problemsOf(sh`echo $(( ${s} + 1 ))`),
      ...problemsOf(sh`(( x = ${s} ))`),
      ...problemsOf(sh`echo "${"$"}{x:-${s}}"`),
      ...problemsOf(sh`a[${s}]=1`),
      ...problemsOf(sh`[[ ${s} -eq 1 ]]`),
    ]).toMatchInlineSnapshot(`
      [
        "unsafe-shell-param: stage "a" uses string parameter "s" inside $(( )), where bash may evaluate it as arithmetic: a value such as a[$(cmd)] would run cmd | hint: declare "s" with param.int(), or use it outside arithmetic and hand it to a program that reads it as data",
        "unsafe-shell-param: stage "a" uses string parameter "s" inside (( )), where bash may evaluate it as arithmetic: a value such as a[$(cmd)] would run cmd | hint: declare "s" with param.int(), or use it outside arithmetic and hand it to a program that reads it as data",
        "unsafe-shell-param: stage "a" uses string parameter "s" inside \${...}, where bash may evaluate it as arithmetic: a value such as a[$(cmd)] would run cmd | hint: declare "s" with param.int(), or use it outside arithmetic and hand it to a program that reads it as data",
        "unsafe-shell-param: stage "a" uses string parameter "s" in an array subscript, where bash may evaluate it as arithmetic: a value such as a[$(cmd)] would run cmd | hint: declare "s" with param.int(), or use it outside arithmetic and hand it to a program that reads it as data",
        "unsafe-shell-param: stage "a" uses string parameter "s" in a [[ ]] test that compares numbers (-eq, -lt, ...), where bash may evaluate it as arithmetic: a value such as a[$(cmd)] would run cmd | hint: declare "s" with param.int(), or use it outside arithmetic and hand it to a program that reads it as data",
      ]
    `);
  });

  it("GIVEN a string param in a quoted heredoc WHEN planned THEN it is refused with how to write it", () => {
    expect(problemsOf(sh`cat <<'EOF'${NL}${s}${NL}EOF`)).toMatchInlineSnapshot(`
      [
        "unsafe-shell-param: stage "a" uses parameter "s" in a quoted heredoc (<<'EOF'), where bash expands nothing | hint: write the heredoc unquoted (<<EOF, with any other $ written \\$), or pass "s" as an argument or through env",
      ]
    `);
  });

  it("GIVEN an int param in arithmetic and a string param in a file test WHEN planned and run THEN both work", () => {
    expect([...problemsOf(sh`echo $(( ${n} + 1 ))`), ...problemsOf(sh`[[ -f ${s} ]] || echo no`)]).toEqual([]);
    const script = sh`echo $(( ${n} + 1 )); (( ${n} > 40 )) && echo big`.parts;
    const out = execFileSync("bash", ["-c", renderShell(script)], {
      env: { PATH: process.env.PATH, UPDRAFT_PARAM_N: "41" },
      encoding: "utf8",
    });
    expect(out).toBe("42\nbig\n");
  });

  it("GIVEN a plan JSON written by another tool with the same script WHEN planned THEN it is refused the same way", () => {
    const p = pipeline("json", { params: { s: param.string({ default: "x" }) } }, ({ stage }) => {
      stage("a", { command: ["true"] });
    });
    const good = plan(p) as { ok: true; plan: Plan };
    const stage = {
      ...good.plan.stages[0]!,
      command: { kind: "shell" as const, script: ["echo $(( ", { param: "s" }, " ))"] },
    };
    const result = planFromJson({ ...good.plan, stages: [stage], hash: undefined });
    expect(result.ok ? [] : result.problems.map((x) => x.code)).toEqual(["unsafe-shell-param"]);
  });
});
