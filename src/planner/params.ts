/**
 * Run-parameter values: from `--param name=value`, a `--params` JSON file, `UPDRAFT_PARAM_<NAME>`
 * variables and declared defaults, in that order of precedence, checked against declared types.
 */
import { problem, type Problem } from "./problems.js";
import type { Param } from "../plan/schema.js";
import { paramEnvName, type ParamValue } from "./template.js";
import { valueTypeError } from "./validate.js";
import type { Result } from "../common/result.js";

/** Where values come from. Text values are converted to the declared type. */
export interface ParamSources {
  /** `--param name=value` pairs, as given. */
  readonly cli?: readonly string[];
  /** Parsed `--params` file: an object of name to value. */
  readonly file?: Readonly<Record<string, unknown>>;
  /** Usually `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type ParamResult = Result<{ values: Record<string, ParamValue> }, { problems: Problem[] }>;

/** Decimal digits only: `0x10`, `0b11`, `1e3` and `1_000` are not ints, whatever `Number()` says. */
const INT_TEXT = /^-?[0-9]+$/;
/** Decimal, with an optional fraction and exponent: `0.5`, `-3`, `1e-4`, `.5`. */
const NUMBER_TEXT = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** How to write a value of each type as text. */
const TEXT_FORM: Partial<Record<Param["type"], string>> = {
  int: "write it in decimal digits, such as 42 or -3",
  number: "write it as a decimal number, such as 0.5, -3 or 1e-4",
  bool: "write true, false, yes, no, 1 or 0",
};

/** Convert text (from the command line or the environment) to a parameter's type. */
function fromText(p: Param, text: string): unknown {
  switch (p.type) {
    case "int":
      return INT_TEXT.test(text) ? Number(text) : text;
    case "number":
      return NUMBER_TEXT.test(text) ? Number(text) : text;
    case "bool":
      return (
        ({ true: true, false: false, "1": true, "0": false, yes: true, no: false } as Record<string, boolean>)[
          text.toLowerCase()
        ] ?? text
      );
    default:
      return text;
  }
}

/**
 * Resolve every declared parameter's value, or report every unknown name, wrong type and missing
 * required value.
 *
 * @example
 * ```ts
 * resolveParams(plan.params, { cli: ["ctx_len=1024"], env: process.env });
 * ```
 */
export function resolveParams(params: readonly Param[], sources: ParamSources): ParamResult {
  const problems: Problem[] = [];
  const byName = new Map(params.map((p) => [p.name, p]));
  const known = params.map((p) => p.name).join(", ") || "(none)";
  const given = new Map<string, { value: unknown; from: string }>();

  for (const [name, value] of Object.entries(sources.file ?? {})) {
    if (!byName.has(name))
      problems.push(
        problem(
          "unknown-param",
          null,
          `--params file sets "${name}", which the pipeline does not declare`,
          `declared parameters: ${known}`,
        ),
      );
    else given.set(name, { value, from: "--params file" });
  }
  for (const pair of sources.cli ?? []) {
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const p = byName.get(name);
    if (eq === -1)
      problems.push(
        problem(
          "invalid-param-syntax",
          null,
          `--param ${JSON.stringify(pair)} has no value`,
          "write --param name=value",
        ),
      );
    else if (!p)
      problems.push(
        problem(
          "unknown-param",
          null,
          `--param sets "${name}", which the pipeline does not declare`,
          `declared parameters: ${known}`,
        ),
      );
    else given.set(name, { value: fromText(p, pair.slice(eq + 1)), from: "--param" });
  }

  const values: Record<string, ParamValue> = {};
  for (const p of params) {
    const envText = sources.env?.[paramEnvName(p.name)];
    const chosen =
      given.get(p.name) ??
      (envText !== undefined ? { value: fromText(p, envText), from: paramEnvName(p.name) } : undefined) ??
      (p.default !== null ? { value: p.default, from: "default" } : undefined);
    if (!chosen) {
      problems.push(
        problem(
          "missing-param",
          null,
          `parameter "${p.name}" is required and has no value`,
          `give it with --param ${p.name}=VALUE or ${paramEnvName(p.name)}`,
        ),
      );
      continue;
    }
    const reason = valueTypeError(p, chosen.value);
    if (reason)
      problems.push(
        problem(
          "invalid-param-value",
          null,
          `parameter "${p.name}" from ${chosen.from} ${reason}`,
          typeof chosen.value === "string" && TEXT_FORM[p.type]
            ? `give a value of type ${p.type}: ${TEXT_FORM[p.type]}`
            : `give a value of type ${p.type}${p.type === "enum" ? ` (${p.values.join(", ")})` : ""}`,
        ),
      );
    else values[p.name] = chosen.value as ParamValue;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
