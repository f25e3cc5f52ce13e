import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { sh, t } from "updraft";
import { paramEnvName, renderShell, resolveTemplate, showTemplate } from "../../src/planner/template.js";
import { paramRef } from "../../src/dsl/params.js";

const msg = paramRef<"msg", string>("msg");

/** Run a rendered script under real bash with the parameter in the environment; return stdout. */
function bash(script: string, value: string): string {
  return execFileSync("bash", ["-c", script], {
    env: { PATH: process.env.PATH, [paramEnvName("msg")]: value },
    encoding: "utf8",
  });
}

describe("renderShell", () => {
  it("quotes a placeholder outside quotes, inside double quotes and inside single quotes", () => {
    expect(renderShell(sh`printf '%s|' ${msg}`.parts)).toBe(`printf '%s|' "\${UPDRAFT_PARAM_MSG}"`);
    expect(renderShell(sh`printf '%s|' "x=${msg}"`.parts)).toBe(`printf '%s|' "x=\${UPDRAFT_PARAM_MSG}"`);
    expect(renderShell(sh`printf '%s|' 'x=${msg}'`.parts)).toBe(`printf '%s|' 'x='"\${UPDRAFT_PARAM_MSG}"''`);
  });

  it("never lets a value become shell code, in any quoting context (real bash)", () => {
    const contexts = [
      sh`printf '%s|' ${msg}`,
      sh`printf '%s|' "${msg}"`,
      sh`printf '%s|' '${msg}'`,
      sh`printf '%s|' a\ ${msg}`,
      sh`printf '%s|' "$(printf '%s' ${msg})"`,
      sh`printf '%s|' "$(printf '%s' "$(printf '%s' ${msg})")"`,
      sh`printf '%s|' "${"`"}printf '%s' ${msg}${"`"}"`,
    ];
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")),
        (value) => {
          for (const c of contexts) {
            const out = bash(renderShell(c.parts), value);
            // Command substitution drops trailing newlines, as bash always does.
            const expected = contexts.indexOf(c) >= 4 ? value.replace(/\n+$/, "") : value;
            expect(out).toBe(`${c === contexts[3] ? "a " : ""}${expected}|`);
          }
        },
      ),
      { numRuns: 12 * inject("fcNumRunsFactor") },
    );
    for (const hostile of ["$(touch /tmp/pwned)", "`id`", "'; rm -rf / #", '"', "a b  c", "*", "\n", "${HOME}"]) {
      expect(bash(renderShell(contexts[0]!.parts), hostile)).toBe(`${hostile}|`);
    }
  });
});

describe("templates", () => {
  it("keep parameters as placeholders and resolve them without quoting", () => {
    const out = paramRef<"out", string>("out");
    const tpl = t`${out}/data ${3}.bin`;
    expect(tpl.parts).toEqual([{ param: "out" }, "/data 3.bin"]);
    expect(resolveTemplate(tpl.parts, { out: "a b" })).toBe("a b/data 3.bin");
    expect(showTemplate(tpl.parts)).toBe("${out}/data 3.bin");
  });

  it("take shell text as written, backslashes included", () => {
    expect(sh`printf 'a\n'`.parts).toEqual(["printf 'a\\n'"]);
  });
});
