/**
 * `\${...}` in an sh template reaches bash escaped (bash prints the text), silently: the planner warns,
 * and `sh.raw` is the explicit way to hand bash an expansion of the script's own variables.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { param, pipeline, plan, sh, type Plan } from "../../../src/index.js";
import { renderShell } from "../../../src/planner/template.js";

function planned(script: ReturnType<typeof sh>) {
  const p = pipeline("w", { params: { n: param.int({ default: 2 }) } }, ({ stage }) => {
    stage("train", { command: script });
  });
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("; "));
  return result;
}

const bash = (plan: Plan) => {
  const c = plan.stages[0]!.command!;
  if (c.kind !== "shell") throw new Error("not a script");
  return execFileSync("bash", ["-c", renderShell(c.script)], { env: { UPDRAFT_PARAM_N: "2" } }).toString();
};

describe("escaped expansions in sh scripts", () => {
  it("GIVEN \\${args[@]} in a script WHEN planned THEN a warning says bash gets the text, and how to write it", () => {
    const result = planned(sh`args=(a "b c"); printf '<%s>' \${args[@]}`);
    expect(bash(result.plan)).toBe("<${args[@]}>");
    expect(result.warnings.map((w) => `${w.code}: ${w.message} | ${w.hint}`)).toMatchInlineSnapshot(`
      [
        "escaped-shell-expansion: stage "train" has \\\${args[@]} in its script: bash reads \\$ as a plain dollar, so the command gets the text \${args[@]}, not its value | to have bash expand it, write \${sh.raw("\${args[@]}")} in the sh template; to pass the text on, put it in single quotes",
      ]
    `);
  });

  it("GIVEN sh.raw for the expansion WHEN planned and run THEN no warning and bash expands the array", () => {
    const p = pipeline("w", { params: { n: param.int({ default: 2 }) } }, ({ stage, params }) => {
      stage("train", { command: sh`args=(a "b c" ${params.n}); printf '<%s>' "${sh.raw("${args[@]}")}"` });
    });
    const result = plan(p);
    if (!result.ok) throw new Error("does not plan");
    expect(result.warnings).toEqual([]);
    expect(bash(result.plan)).toBe("<a><b c><2>");
  });

  it("GIVEN \\${ in single quotes, a comment or a quoted heredoc WHEN planned THEN no warning (bash keeps the backslash there)", () => {
    for (const script of [
      sh`echo '\${x}'`,
      sh`echo hi # \${x}`,
      sh`cat <<'EOF'
\${x}
EOF`,
    ])
      expect(planned(script).warnings).toEqual([]);
  });

  it("GIVEN \\${ inside double quotes, \$( ) or an unquoted heredoc WHEN planned THEN each warns", () => {
    for (const script of [
      sh`echo "\${x}"`,
      sh`echo $(echo \${x})`,
      sh`cat <<EOF
\${x}
EOF`,
    ])
      expect(planned(script).warnings.map((w) => w.code)).toEqual(["escaped-shell-expansion"]);
  });
});
