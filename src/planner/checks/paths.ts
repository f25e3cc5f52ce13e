/**
 * Paths a stage writes or runs in: they stay inside the project (the directory a local run starts
 * in; PROJECT_DIR of an exported DAG), and each output belongs to one stage however it is spelt.
 * Paths are compared as text: the stage's cwd joined with the path, normalised, parameters shown as
 * `${name}` (a parameter's value is not known when planning).
 */
import path from "node:path";
import { problem, type Problem } from "../problems.js";
import { showTemplate } from "../template.js";
import type { Stage, Template } from "../../plan/schema.js";

const escapes = (key: string) => path.posix.isAbsolute(key) || key === ".." || key.startsWith("../");

/**
 * Where a path points, relative to the project: `sub/../x.txt` with cwd `a` is `a/x.txt`.
 *
 * @example
 * ```ts
 * projectPath(["sub"], ["x.txt"]); // "sub/x.txt"
 * ```
 */
export function projectPath(cwd: Template | null, file: Template): string {
  const text = showTemplate(file);
  if (path.posix.isAbsolute(text)) return path.posix.normalize(text);
  return path.posix.normalize(path.posix.join(cwd === null ? "." : showTemplate(cwd), text));
}

const HINT =
  "keep it inside the project (a relative path without leading ..); to use a disk elsewhere, link it in (ln -s /mnt/ckpt ckpt) and write to the link";

/** Outputs and working directories outside the project, and outputs two stages declare. */
export function checkPaths(stages: readonly Stage[], out: Problem[]): void {
  const owner = new Map<string, { id: string; spelt: string }>();
  for (const s of stages) {
    const at = { source: s.source };
    const cwdKey = s.cwd === null ? "." : projectPath(null, s.cwd);
    if (escapes(cwdKey)) {
      const shown = JSON.stringify(showTemplate(s.cwd ?? []));
      out.push(
        problem("path-outside-project", s.id, `stage "${s.id}" has cwd ${shown}, outside the project`, HINT, at),
      );
    }
    for (const output of s.outputs) {
      const key = projectPath(s.cwd, output);
      const spelt =
        JSON.stringify(showTemplate(output)) + (s.cwd === null ? "" : ` in cwd ${JSON.stringify(showTemplate(s.cwd))}`);
      if (escapes(key) && !escapes(cwdKey)) {
        const shown = JSON.stringify(showTemplate(output));
        const where = key === showTemplate(output) ? "" : ` (${key})`;
        out.push(
          problem(
            "path-outside-project",
            s.id,
            `stage "${s.id}" writes output ${shown}${where}, outside the project`,
            HINT,
            at,
          ),
        );
        continue;
      }
      const first = owner.get(key);
      if (first !== undefined && first.id !== s.id) {
        const detail =
          first.spelt === spelt ? null : `written as ${first.spelt} by "${first.id}" and as ${spelt} by "${s.id}"`;
        out.push(
          problem(
            "duplicate-output",
            s.id,
            `stages "${first.id}" and "${s.id}" both declare the output ${key}`,
            "let one stage produce each file; others list it as an input",
            { source: s.source, detail },
          ),
        );
      } else owner.set(key, { id: s.id, spelt });
    }
  }
}
