/**
 * Run-parameter values: from `--param name=value`, a `--params` JSON file, `UPDRAFT_PARAM_<NAME>`,
 * a parameter's own environment variable and declared (or derived) defaults, in that order of
 * precedence, checked against declared types. The Python twin: python/updraft_airflow/params.py.
 */
import { problem, type Problem } from "./problems.js";
import type { Param, Stage } from "../plan/schema.js";
import { paramEnvName, resolveTemplate, templateParams, type ParamValue } from "./template.js";
import { derivedOrder } from "./checks/params.js";
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
  /** How problems name the `file` values; default "--params file". */
  readonly fileLabel?: string;
  /** For a plan only: a required parameter without a value is `<name: required>`, not a problem. */
  readonly allowMissing?: boolean;
}

/** The values, and where each came from: `--param`, `--params file`, a variable name, `default`, `required`. */
export type ParamResult = Result<
  { values: Record<string, ParamValue>; sources: Record<string, string> },
  { problems: Problem[] }
>;

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

/** The value of a parameter and where it came from (`--param`, an environment variable, `default`...). */
interface Chosen {
  readonly value: unknown;
  readonly from: string;
}

/** Values given by name: `--params` file entries, then `--param` pairs (later wins); unknown names are problems. */
function givenValues(
  byName: ReadonlyMap<string, Param>,
  sources: ParamSources,
  problems: Problem[],
): Map<string, Chosen> {
  const known = [...byName.keys()].join(", ") || "(none)";
  const unknown = (what: string, name: string) =>
    problem(
      "unknown-param",
      null,
      `${what} sets "${name}", which the pipeline does not declare`,
      `declared parameters: ${known}`,
    );
  const given = new Map<string, Chosen>();
  const fileLabel = sources.fileLabel ?? "--params file";
  for (const [name, value] of Object.entries(sources.file ?? {})) {
    const p = byName.get(name);
    if (!p) problems.push(unknown(fileLabel, name));
    else if (value === null)
      continue; // null (an empty field of Airflow's trigger form) gives no value
    else given.set(name, { value: typeof value === "string" ? fromText(p, value) : value, from: fileLabel });
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
    else if (!p) problems.push(unknown("--param", name));
    else given.set(name, { value: fromText(p, pair.slice(eq + 1)), from: "--param" });
  }
  return given;
}

/** The value from the environment: UPDRAFT_PARAM_<NAME>, then the parameter's own variable. */
function fromEnv(p: Param, env: ParamSources["env"]): Chosen | undefined {
  for (const name of [paramEnvName(p.name), ...(p.env !== null ? [p.env] : [])]) {
    const text = env?.[name];
    if (text !== undefined) return { value: fromText(p, text), from: name };
  }
  return undefined;
}

function typeProblem(p: Param, chosen: Chosen, reason: string): Problem {
  return problem(
    "invalid-param-value",
    null,
    `parameter "${p.name}" from ${chosen.from} ${reason}`,
    typeof chosen.value === "string" && TEXT_FORM[p.type]
      ? `give a value of type ${p.type}: ${TEXT_FORM[p.type]}`
      : `give a value of type ${p.type}${p.type === "enum" ? ` (${p.values.join(", ")})` : ""}`,
  );
}

/** The text that stands for a required parameter without a value in a plan (`updraft plan`). */
export function requiredPlaceholder(name: string): string {
  return `<${name}: required>`;
}

/**
 * Resolve every declared parameter's value, or report every unknown name, wrong type and missing
 * required value. Order of precedence: `--param`, the `--params` file (Airflow: the run's conf),
 * `UPDRAFT_PARAM_<NAME>`, the parameter's own environment variable, its default (a derived default
 * after the parameters it uses). Text from any source is converted to the declared type by one rule.
 * With `stages`, a parameter that gives a stage's GPU count must be 1 or more.
 *
 * @example
 * ```ts
 * resolveParams(plan.params, { cli: ["ctx_len=1024"], env: process.env }, plan.stages);
 * ```
 */
export function resolveParams(
  params: readonly Param[],
  sources: ParamSources,
  stages: readonly Pick<Stage, "id" | "gpu">[] = [],
): ParamResult {
  const problems: Problem[] = [];
  const byName = new Map(params.map((p) => [p.name, p]));
  const given = givenValues(byName, sources, problems);
  const values: Record<string, ParamValue> = {};
  const from: Record<string, string> = {};
  const accept = (p: Param, chosen: Chosen, check = true) => {
    const reason = check ? valueTypeError(p, chosen.value) : null;
    if (reason) problems.push(typeProblem(p, chosen, reason));
    else [values[p.name], from[p.name]] = [chosen.value as ParamValue, chosen.from];
  };
  for (const p of params) {
    const chosen =
      given.get(p.name) ??
      fromEnv(p, sources.env) ??
      (p.default !== null ? { value: p.default, from: "default" } : undefined);
    if (chosen) accept(p, chosen);
    else if (p.derived === null && sources.allowMissing)
      accept(p, { value: requiredPlaceholder(p.name), from: "required" }, false);
    else if (p.derived === null)
      problems.push(
        problem(
          "missing-param",
          null,
          `parameter "${p.name}" is required and has no value`,
          `give it with --param ${p.name}=VALUE or ${[paramEnvName(p.name), ...(p.env !== null ? [p.env] : [])].join(" or ")}`,
        ),
      );
  }
  for (const name of derivedOrder(params).order) {
    const p = byName.get(name)!;
    const uses = templateParams(p.derived!);
    if (name in values || !uses.every((n) => n in values)) continue; // a missing or wrong value is reported already
    const placeholder = uses.some((n) => from[n] === "required");
    accept(p, { value: fromText(p, resolveTemplate(p.derived!, values)), from: "default" }, !placeholder);
  }
  problems.push(...gpuCountProblems(stages, values, from));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values, sources: from };
}

/** A problem for each parameter that gives a stage's GPU count and resolved below 1. */
function gpuCountProblems(
  stages: readonly Pick<Stage, "id" | "gpu">[],
  values: Readonly<Record<string, ParamValue>>,
  from: Readonly<Record<string, string>>,
): Problem[] {
  const told = new Set<string>();
  const out: Problem[] = [];
  for (const s of stages) {
    if (typeof s.gpu === "number") continue;
    const name = s.gpu.param;
    const value = values[name];
    if (typeof value !== "number" || value >= 1 || told.has(name)) continue; // not resolved: reported already
    told.add(name);
    out.push(
      problem(
        "invalid-param-value",
        s.id,
        `parameter "${name}" from ${from[name]} is ${value}, but stage "${s.id}" takes its GPU count from it`,
        `give ${name} a whole number of GPUs, 1 or more`,
      ),
    );
  }
  return out;
}

/**
 * The GPUs a stage needs in a run: its count, or the value of the parameter that gives it (0 while
 * that value is not known, as a plan shows a required parameter).
 *
 * @example
 * ```ts
 * stageGpus({ gpu: { param: "gpus" } }, { gpus: 2 }); // 2
 * ```
 */
export function stageGpus(stage: Pick<Stage, "gpu">, values: Readonly<Record<string, ParamValue>>): number {
  if (typeof stage.gpu === "number") return stage.gpu;
  const value = values[stage.gpu.param];
  return typeof value === "number" ? value : 0;
}

/**
 * Whether a stage needs GPUs at all (a count from a parameter is 1 or more by validation).
 *
 * @example
 * ```ts
 * needsGpu({ gpu: { param: "gpus" } }); // true
 * ```
 */
export function needsGpu(stage: Pick<Stage, "gpu">): boolean {
  return typeof stage.gpu !== "number" || stage.gpu > 0;
}

/**
 * The pool slots an exporter that fixes them before the run reserves for a stage: its count, or the
 * default of the parameter that gives it (1 when it has none).
 *
 * @example
 * ```ts
 * fixedGpus(plan.params, { gpu: { param: "gpus" } }); // the default of "gpus"
 * ```
 */
export function fixedGpus(params: readonly Param[], stage: Pick<Stage, "gpu">): number {
  if (typeof stage.gpu === "number") return stage.gpu;
  const name = stage.gpu.param;
  const d = params.find((p) => p.name === name)?.default;
  return typeof d === "number" && d >= 1 ? d : 1;
}
