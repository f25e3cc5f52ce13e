/**
 * Tagged templates for commands, env values and paths. Interpolated parameters stay placeholders
 * in the Plan, so a value is never pasted into shell text.
 */
import type { OptionalArg, Template } from "../plan/schema.js";
import { isParamRef, type ParamRef } from "./params.js";

const TEMPLATE = Symbol.for("updraft.template");
const SHELL = Symbol.for("updraft.shell");

/** A string with parameter placeholders, made by the `t` tag. */
export interface TemplateValue {
  readonly [TEMPLATE]: true;
  readonly parts: Template;
}

/** A bash script, made by the `sh` tag. */
export interface ShellCommand {
  readonly [SHELL]: true;
  readonly parts: Template;
}

/** What a command argument, env value or path may be. */
export type TextInput = string | ParamRef | TemplateValue;

/** What may be interpolated into `t` and `sh`: text, numbers, or parameters. */
export type Interpolation = string | number | ParamRef | TemplateValue;

function toParts(strings: readonly string[], values: readonly Interpolation[]): Template {
  const parts: Template = [];
  const push = (text: string) => {
    if (text === "") return;
    const last = parts[parts.length - 1];
    if (typeof last === "string") parts[parts.length - 1] = last + text;
    else parts.push(text);
  };
  strings.forEach((text, i) => {
    push(text);
    if (i >= values.length) return;
    const value = values[i];
    if (isParamRef(value)) parts.push({ param: value.name });
    else if (isTemplateValue(value)) value.parts.forEach((p) => (typeof p === "string" ? push(p) : parts.push(p)));
    else push(String(value));
  });
  return parts;
}

/**
 * A text template: `t\`${p.out}/data.bin\`` is the path `<out>/data.bin` with `out` kept a placeholder.
 *
 * @example
 * ```ts
 * stage("prep", { outputs: [t`${p.out_root}/binidx/data.bin`] });
 * ```
 */
export function t(strings: TemplateStringsArray, ...values: Interpolation[]): TemplateValue {
  return Object.freeze({ [TEMPLATE]: true as const, parts: Object.freeze(toParts(strings, values)) as Template });
}

function shellScript(strings: TemplateStringsArray, ...values: Interpolation[]): ShellCommand {
  return Object.freeze({ [SHELL]: true as const, parts: Object.freeze(toParts(strings.raw, values)) as Template });
}

/**
 * Bash text to insert into an `sh` script as written, where the template itself would need an
 * escape: `${sh.raw("${args[@]}")}` reaches bash as `${args[@]}`, which bash expands. (Written
 * `\${args[@]}` in the template, the backslash stays and bash prints the text `${args[@]}`; the
 * planner warns about that.)
 *
 * @example
 * ```ts
 * sh`args=(--ctx ${p.ctx_len}); python train.py "${sh.raw("${args[@]}")}"`;
 * ```
 */
function rawShellText(text: string): TemplateValue {
  return Object.freeze({ [TEMPLATE]: true as const, parts: Object.freeze(text === "" ? [] : [text]) as Template });
}

/**
 * A bash script, taken as written (backslashes stay, as in `String.raw`). Interpolated parameters reach it as quoted `"${UPDRAFT_PARAM_<NAME>}"` references,
 * so their values are data to the shell, never code. `sh.raw(text)` inserts bash text as written
 * (for `${...}` expansions of the script's own variables).
 *
 * @example
 * ```ts
 * stage("train", { command: sh`python train.py --ctx_len ${p.ctx_len} 2>&1 | tee train.out` });
 * ```
 */
export const sh: ((strings: TemplateStringsArray, ...values: Interpolation[]) => ShellCommand) & {
  readonly raw: (text: string) => TemplateValue;
} = Object.freeze(Object.assign(shellScript, { raw: rawShellText }));

export function isTemplateValue(value: unknown): value is TemplateValue {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TEMPLATE] === true;
}

export function isShellCommand(value: unknown): value is ShellCommand {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SHELL] === true;
}

/** Text, a parameter or a `t` template as Plan template parts. Anything else becomes its string. */
export function toTemplate(input: unknown): Template {
  if (typeof input === "string") return input === "" ? [] : [input];
  if (isParamRef(input)) return [{ param: input.name }];
  if (isTemplateValue(input)) return [...input.parts];
  return [String(input)];
}

const OPTIONAL = Symbol.for("updraft.optional-argument");

/** Argv items that disappear when their parameter is not set, made by `optional`. */
export interface OptionalArgument {
  readonly [OPTIONAL]: true;
  readonly arg: OptionalArg;
}

/**
 * Argv items present only when a parameter is set: `optional("--wandb", p.wandb_project)` is
 * `--wandb <value>` when the text is not empty and nothing when it is; with a bool parameter,
 * `optional("--resume", p.resume)` is the flag alone, present when true; `optional(p.extra)` is the
 * value alone. The same in `updraft run`, the dry-run, Airflow and Slurm.
 *
 * @example
 * ```ts
 * stage("train", { command: ["python", "train.py", optional("--wandb", p.wandb_project), optional("--resume", p.resume)] });
 * ```
 */
export function optional(value: ParamRef<string, string>): OptionalArgument;
export function optional(flag: string | TemplateValue, value: ParamRef<string, string | boolean>): OptionalArgument;
export function optional(first: string | TemplateValue | ParamRef, second?: ParamRef): OptionalArgument {
  const value = (second ?? first) as ParamRef;
  const items = second === undefined ? [] : [toTemplate(first)];
  if (value.kind !== "bool") items.push([{ param: value.name }]);
  return Object.freeze({ [OPTIONAL]: true as const, arg: Object.freeze({ optional: value.name, argv: items }) });
}

export function isOptionalArgument(value: unknown): value is OptionalArgument {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[OPTIONAL] === true;
}
