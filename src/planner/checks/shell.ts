/**
 * Parameters in bash scripts: refused where rendering cannot keep the value data. A quoted heredoc
 * expands nothing, and where bash evaluates arithmetic only an int (digits and a sign) is inert.
 */
import { problem, type Problem } from "../problems.js";
import { scanShell } from "../shell/scan.js";
import type { Param, Stage, Template } from "../../plan/schema.js";

/** Problems with where a stage's script uses its parameters. */
export function checkShellParams(s: Stage, params: ReadonlyMap<string, Param>, out: Problem[]): void {
  if (s.command?.kind !== "shell") return;
  const places = scanShell(s.command.script);
  const names = s.command.script.flatMap((part) => (typeof part === "string" ? [] : [part.param]));
  const at = { source: s.source };
  names.forEach((name, k) => {
    const place = places[k]!;
    const p = params.get(name);
    if (place.quote === "quoted-heredoc") {
      out.push(
        problem(
          "unsafe-shell-param",
          s.id,
          `stage "${s.id}" uses parameter "${name}" in a quoted heredoc (<<'EOF'), where bash expands nothing`,
          `write the heredoc unquoted (<<EOF, with any other $ written \\$), or pass "${name}" as an argument or through env`,
          at,
        ),
      );
    } else if (place.numeric !== null && p !== undefined && p.type !== "int") {
      out.push(
        problem(
          "unsafe-shell-param",
          s.id,
          `stage "${s.id}" uses ${p.type} parameter "${name}" ${place.numeric}, where bash may evaluate it as arithmetic: a value such as a[$(cmd)] would run cmd`,
          `declare "${name}" with param.int(), or use it outside arithmetic and hand it to a program that reads it as data`,
          at,
        ),
      );
    }
  });
}

/** Where a backslash before `$` is bash's escape, so `\${x}` reaches the program as the text `${x}`. */
const ESCAPING = new Set(["plain", "double", "heredoc"]);
const ESCAPED = "\\${";

/** `\${...}` written in a stage's script where bash reads `\$` as a plain dollar: one warning per stage. */
function escapedExpansion(s: Stage): Problem | null {
  if (s.command?.kind !== "shell") return null;
  // Each `\${` gets a pseudo placeholder in front of it, so the scanner says how bash reads it.
  const probe: Template = s.command.script.flatMap((part) =>
    typeof part === "string"
      ? part.split(ESCAPED).flatMap((text, i) => (i === 0 ? [text] : [{ param: "" }, ESCAPED + text]))
      : [{ param: `=${part.param}` }],
  );
  const places = scanShell(probe);
  const text = s.command.script.map((part) => (typeof part === "string" ? part : "")).join("");
  const found = probe
    .filter((part): part is { param: string } => typeof part !== "string")
    .some((part, k) => part.param === "" && ESCAPING.has(places[k]!.quote));
  if (!found) return null;
  const start = text.indexOf(ESCAPED);
  const end = text.indexOf("}", start);
  const written = end === -1 ? ESCAPED : text.slice(start, end + 1);
  const meant = written.slice(1);
  return problem(
    "escaped-shell-expansion",
    s.id,
    `stage "${s.id}" has ${written} in its script: bash reads \\$ as a plain dollar, so the command gets the text ${meant}, not its value`,
    `to have bash expand it, write \${sh.raw(${JSON.stringify(meant)})} in the sh template; to pass the text on, put it in single quotes`,
    { source: s.source },
  );
}

/**
 * What is valid but probably not meant, as problems of the same shape (printed as warnings): a
 * `\${...}` in a script, which bash does not expand.
 *
 * @example
 * ```ts
 * planWarnings(plan.stages).map((w) => w.code); // ["escaped-shell-expansion"]
 * ```
 */
export function planWarnings(stages: readonly Stage[]): Problem[] {
  return stages.map(escapedExpansion).filter((w): w is Problem => w !== null);
}
