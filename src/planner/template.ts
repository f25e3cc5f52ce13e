/**
 * Templates: strings with typed parameter placeholders, and the two ways to turn them into text.
 *
 * A value never becomes shell syntax: `resolveTemplate` substitutes values where no shell is
 * involved (argv items, env values, paths), and `renderShell` turns a shell script's placeholders
 * into quoted references to the `UPDRAFT_PARAM_<NAME>` environment variables that every executor
 * sets for a stage.
 */
import type { Arg, OptionalArg, Template } from "../plan/schema.js";
import { scanShell } from "./shell/scan.js";

/** A resolved run-parameter value. */
export type ParamValue = string | number | boolean;

/**
 * The environment variable that carries a parameter to a stage's process.
 *
 * @example
 * ```ts
 * paramEnvName("ctx_len"); // "UPDRAFT_PARAM_CTX_LEN"
 * ```
 */
export function paramEnvName(name: string): string {
  return `UPDRAFT_PARAM_${name.toUpperCase()}`;
}

/** The names of the parameters a template refers to, in order of appearance. */
export function templateParams(template: Template): string[] {
  return template.flatMap((part) => (typeof part === "string" ? [] : [part.param]));
}

/**
 * Substitute parameter values into a template; no quoting, since no shell reads the result.
 *
 * @example
 * ```ts
 * resolveTemplate(["out/", { param: "run" }], { run: "r1" }); // "out/r1"
 * ```
 */
export function resolveTemplate(template: Template, values: Readonly<Record<string, ParamValue>>): string {
  return template
    .map((part) => {
      if (typeof part === "string") return part;
      const value = values[part.param];
      if (value === undefined) throw new Error(`no value for parameter "${part.param}"`);
      return String(value);
    })
    .join("");
}

/**
 * Render a shell script template to bash text in which each parameter is a quoted expansion of
 * its environment variable, correct whether the placeholder stands inside double quotes, single
 * quotes or none, inside `$'...'`, `$(...)`, backquotes and heredoc bodies, and after comments (read
 * by `scanShell`): the value is data to bash, never code. Contexts bash reads as arithmetic take only
 * int parameters, and a quoted heredoc none: the planner refuses those (`unsafe-shell-param`).
 * `inDoubleQuotes` gives the text that stands for a parameter inside double quotes, or in a heredoc
 * body where `"` is plain text (by default its variable reference).
 *
 * @example
 * ```ts
 * renderShell(["echo ", { param: "msg" }]); // 'echo "${UPDRAFT_PARAM_MSG}"'
 * renderShell(["echo 'x=", { param: "msg" }, "'"]); // `echo 'x='"\${UPDRAFT_PARAM_MSG}"''`
 * ```
 */
export function renderShell(
  template: Template,
  inDoubleQuotes: (name: string, inHeredoc: boolean) => string = (name) => `\${${paramEnvName(name)}}`,
): string {
  const places = scanShell(template);
  let k = 0;
  return template
    .map((part) => {
      if (typeof part === "string") return part;
      const { quote } = places[k++]!;
      const ref = inDoubleQuotes(part.param, quote === "heredoc");
      switch (quote) {
        case "double":
        case "heredoc":
        case "arith": // only int values pass validation here: digits and a sign, nothing bash could split
          return ref;
        case "single":
          return `'"${ref}"'`;
        case "ansi":
          return `'"${ref}"$'`;
        case "quoted-heredoc":
          throw new Error(`parameter "${part.param}" stands in a quoted heredoc, which expands nothing`);
        default:
          return `"${ref}"`;
      }
    })
    .join("");
}

/**
 * A template as a person reads it: placeholders shown as `${name}`.
 *
 * @example
 * ```ts
 * showTemplate(["out/", { param: "run" }]); // "out/${run}"
 * ```
 */
export function showTemplate(template: Template): string {
  return template.map((part) => (typeof part === "string" ? part : `\${${part.param}}`)).join("");
}

/** Whether an argv item is an optional group (`optional()` in the DSL). */
export function isOptionalArg(arg: Arg): arg is OptionalArg {
  return !Array.isArray(arg);
}

/**
 * Whether a parameter value keeps its optional argv items: a bool that is true, or text that is
 * not empty (a number is always set).
 *
 * @example
 * ```ts
 * isSet(""); // false
 * isSet(false); // false
 * ```
 */
export function isSet(value: ParamValue | undefined): boolean {
  return value !== undefined && value !== false && value !== "";
}

/**
 * An argv with its values filled in, optional groups dropped where their parameter is not set.
 *
 * @example
 * ```ts
 * resolveArgv([["train"], { optional: "wandb", argv: [["--wandb"], [{ param: "wandb" }]] }], { wandb: "" }); // ["train"]
 * ```
 */
export function resolveArgv(argv: readonly Arg[], values: Readonly<Record<string, ParamValue>>): string[] {
  return argv.flatMap((arg) => {
    if (!isOptionalArg(arg)) return [resolveTemplate(arg, values)];
    return isSet(values[arg.optional]) ? arg.argv.map((a) => resolveTemplate(a, values)) : [];
  });
}

/**
 * Every template of an argv, optional groups included, and for each group its parameter as a
 * template of its own (so what reads templates for parameters sees it).
 *
 * @example
 * ```ts
 * argvTemplates([{ optional: "resume", argv: [["--resume"]] }]); // [[{ param: "resume" }], ["--resume"]]
 * ```
 */
export function argvTemplates(argv: readonly Arg[]): Template[] {
  return argv.flatMap((arg) => (isOptionalArg(arg) ? [[{ param: arg.optional }], ...arg.argv] : [arg]));
}
