/**
 * `updraft check FILE`: the TypeScript compiler on a pipeline file. tsx (which loads pipeline files)
 * strips types without checking them, so a compile error the README promises (a misspelt stage
 * handle or metric name) shows only here, in an editor, or in `tsc`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Command } from "commander";
import type * as TS from "typescript";
import { CliError } from "../errors.js";
import type { CliContext } from "../context.js";
import { plural } from "../../common/plural.js";

const DEFAULTS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: true,
};

/** The project's own TypeScript, which updraft does not ship. */
function loadTypeScript(cwd: string): typeof TS {
  try {
    return createRequire(path.join(cwd, "package.json"))("typescript") as typeof TS;
  } catch {
    throw new CliError("updraft check needs the TypeScript compiler, which this project does not have", {
      hint: "npm install --save-dev typescript",
    });
  }
}

/** Compiler options: the project's tsconfig.json when there is one, else strict NodeNext defaults. */
function compilerOptions(ts: typeof TS, file: string): TS.CompilerOptions {
  const config = ts.findConfigFile(path.dirname(path.resolve(file)), (f) => ts.sys.fileExists(f));
  const raw = config ? ts.readConfigFile(config, (f) => ts.sys.readFile(f)).config : { compilerOptions: DEFAULTS };
  const parsed = ts.parseJsonConfigFileContent(raw ?? {}, ts.sys, config ? path.dirname(config) : process.cwd());
  return { ...parsed.options, noEmit: true };
}

/**
 * Type-check one file; resolves to the number of errors after printing them.
 *
 * @example
 * ```ts
 * const errors = checkFile("pipelines/rwkv.ts");
 * ```
 */
export function checkFile(file: string): number {
  if (!existsSync(file))
    throw new CliError(`no such file: ${file}`, { hint: "give the path of a pipeline file (.ts)" });
  const ts = loadTypeScript(process.cwd());
  const program = ts.createProgram([path.resolve(file)], compilerOptions(ts, file));
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return 0;
  const host: TS.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => "\n",
  };
  const color = process.stderr.isTTY && !process.env.NO_COLOR;
  const text = color ? ts.formatDiagnosticsWithColorAndContext(errors, host) : ts.formatDiagnostics(errors, host);
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  return errors.length;
}

export function registerCheck(program: Command, ctx: CliContext): void {
  const cmd = program
    .command("check")
    .description("type-check a pipeline file with TypeScript (tsx, which runs it, does not)")
    .action(() => {
      const file = ctx.self ? ctx.self.source?.file : cmd.args[0];
      if (!file) throw new CliError("check needs a pipeline file", { hint: "updraft check pipelines/my.ts" });
      const shown = path.relative(process.cwd(), path.resolve(file)) || file;
      const n = checkFile(file);
      if (n > 0) {
        throw new CliError(`${shown} does not compile: ${plural(n, "error")}`, {
          hint: "fix the errors above; a misspelt stage or metric name shows here before a run does",
        });
      }
      process.stdout.write(`${shown} compiles\n`);
    });
  if (!ctx.self) cmd.argument("<pipeline>", "pipeline file (.ts)");
}
