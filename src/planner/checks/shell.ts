/**
 * Parameters in bash scripts: refused where rendering cannot keep the value data. A quoted heredoc
 * expands nothing, and where bash evaluates arithmetic only an int (digits and a sign) is inert.
 */
import { problem, type Problem } from "../problems.js";
import { scanShell } from "../shell/scan.js";
import type { Param, Stage } from "../../plan/schema.js";

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
