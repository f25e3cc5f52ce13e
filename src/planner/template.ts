/**
 * Templates: strings with typed parameter placeholders, and the two ways to turn them into text.
 *
 * A value never becomes shell syntax: `resolveTemplate` substitutes values where no shell is
 * involved (argv items, env values, paths), and `renderShell` turns a shell script's placeholders
 * into quoted references to the `UPDRAFT_PARAM_<NAME>` environment variables that every executor
 * sets for a stage.
 */
import type { Template } from "../plan/schema.js";

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

type Quote = "none" | "single" | "double";

/** One quoting context: the top level, or a command substitution `$(...)` / backquotes. */
interface Frame {
  quote: Quote;
  /** Open parentheses inside a `$(` frame; a `)` at zero closes the frame. */
  parens: number;
  closer: ")" | "`" | null;
}

/** Read `text` as bash would, from the contexts in `stack`, updating them in place. */
function scanQuotes(text: string, stack: Frame[]): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1]!;
    if (top.quote === "single") {
      if (c === "'") top.quote = "none";
    } else if (c === "\\") {
      i++;
    } else if (c === "$" && text[i + 1] === "(") {
      stack.push({ quote: "none", parens: 0, closer: ")" });
      i++;
    } else if (c === "`" && top.closer === "`" && top.quote === "none") {
      stack.pop();
    } else if (c === "`") {
      stack.push({ quote: "none", parens: 0, closer: "`" });
    } else if (top.quote === "double") {
      if (c === '"') top.quote = "none";
    } else if (c === "'") {
      top.quote = "single";
    } else if (c === '"') {
      top.quote = "double";
    } else if (c === "(" && top.closer === ")") {
      top.parens++;
    } else if (c === ")" && top.closer === ")") {
      if (top.parens === 0 && stack.length > 1) stack.pop();
      else top.parens--;
    }
  }
}

/**
 * Render a shell script template to bash text in which each parameter is a quoted expansion of
 * its environment variable, correct whether the placeholder stands inside double quotes, single
 * quotes or none, also inside `$(...)` and backquotes: the value is data to bash, never code. `inDoubleQuotes` gives the text that
 * stands for a parameter inside double quotes (by default its variable reference).
 *
 * @example
 * ```ts
 * renderShell(["echo ", { param: "msg" }]); // 'echo "${UPDRAFT_PARAM_MSG}"'
 * renderShell(["echo 'x=", { param: "msg" }, "'"]); // `echo 'x='"\${UPDRAFT_PARAM_MSG}"''`
 * ```
 */
export function renderShell(
  template: Template,
  inDoubleQuotes: (name: string) => string = (name) => `\${${paramEnvName(name)}}`,
): string {
  const stack: Frame[] = [{ quote: "none", parens: 0, closer: null }];
  let out = "";
  for (const part of template) {
    if (typeof part === "string") {
      out += part;
      scanQuotes(part, stack);
      continue;
    }
    const quote = stack[stack.length - 1]!.quote;
    const ref = inDoubleQuotes(part.param);
    if (quote === "double") out += ref;
    else if (quote === "single") out += `'"${ref}"'`;
    else out += `"${ref}"`;
  }
  return out;
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
