/**
 * Run parameters: declared with a type and a default, referenced through typed placeholders.
 */

import type { TextInput } from "./template.js";

const PARAM_REF = Symbol.for("updraft.param-ref");

/** The value types of each parameter kind. */
export interface ParamValueTypes {
  string: string;
  int: number;
  number: number;
  bool: boolean;
  path: string;
  enum: string;
}
export type ParamKind = keyof ParamValueTypes;

/** A parameter declaration, as written in `pipeline(id, { params: { ... } })`. */
export interface ParamDecl<K extends ParamKind = ParamKind, V = ParamValueTypes[K]> {
  readonly type: K;
  readonly default: V | null;
  /** A default derived from other parameters: given their placeholders, a `t` template. */
  readonly derived: DerivedDefault | null;
  /** The environment variable to read when no value is given (before the default). */
  readonly env: string | null;
  readonly values: readonly string[];
  readonly description: string | null;
}

/** The placeholders of a pipeline's parameters, by name, as a derived default receives them. */
export type AnyParamRefs = Readonly<Record<string, ParamRef>>;

/** A default computed from other parameters: `(p) => t\`data/${p.run_name}\``. */
export type DerivedDefault = (p: AnyParamRefs) => TemplateLike;

/** What a derived default returns: a `t` template, a placeholder or text. */
export type TemplateLike = TextInput;

/** A placeholder for a parameter's value inside commands, env values and paths. */
export interface ParamRef<N extends string = string, V = unknown> {
  readonly [PARAM_REF]: true;
  readonly name: N;
  /** The declared kind, when the placeholder came from a pipeline's `params`. */
  readonly kind?: ParamKind;
  /** Type-level only: the parameter's value type. */
  readonly __value?: V;
}

export type ParamDecls = Readonly<Record<string, ParamDecl>>;

/** The placeholders a pipeline body receives for its declared parameters. */
export type ParamRefs<P extends ParamDecls> = {
  readonly [N in keyof P & string]: ParamRef<N, P[N] extends ParamDecl<ParamKind, infer V> ? V : never>;
};

/** Options shared by every parameter kind. */
export interface ParamOptions<V> {
  /**
   * Omit to make the parameter required. A function of the other parameters' placeholders
   * returning a `t` template derives the default from their values (resolved after them).
   */
  default?: V | DerivedDefault;
  /**
   * An environment variable to take the value from, read on the machine that runs the stage, when
   * neither `--param`/`--params` (Airflow: the run's conf) nor `UPDRAFT_PARAM_<NAME>` gives one.
   */
  env?: string;
  description?: string;
}

function declare<K extends ParamKind, V>(
  type: K,
  options: ParamOptions<V>,
  values: readonly string[] = [],
): ParamDecl<K, V> {
  const given = options.default;
  return Object.freeze({
    type,
    default: given === undefined || typeof given === "function" ? null : given,
    derived: typeof given === "function" ? (given as DerivedDefault) : null,
    env: options.env ?? null,
    values: Object.freeze([...values]),
    description: options.description ?? null,
  });
}

/**
 * Parameter declarations by type.
 *
 * @example
 * ```ts
 * const params = {
 *   run_name: param.string({ default: "demo" }),
 *   ctx_len: param.int({ default: 512 }),
 *   profile: param.enum(["demo", "rwkv"], { default: "demo" }),
 *   team_run: param.string({ env: "TEAM_RUN_NAME", default: "nightly" }),
 *   data_dir: param.path({ default: (p) => t`data/processed/${p.team_run}` }),
 * };
 * ```
 */
export const param = Object.freeze({
  string: (options: ParamOptions<string> = {}) => declare("string", options),
  int: (options: ParamOptions<number> = {}) => declare("int", options),
  number: (options: ParamOptions<number> = {}) => declare("number", options),
  bool: (options: ParamOptions<boolean> = {}) => declare("bool", options),
  path: (options: ParamOptions<string> = {}) => declare("path", options),
  enum: <const T extends readonly string[]>(values: T, options: ParamOptions<T[number]> = {}) =>
    declare<"enum", T[number]>("enum", options, values),
});

/** A placeholder for parameter `name`. */
export function paramRef<N extends string, V>(name: N, kind?: ParamKind): ParamRef<N, V> {
  return Object.freeze({ [PARAM_REF]: true as const, name, ...(kind ? { kind } : {}) });
}

/** Whether a value is a parameter placeholder. */
export function isParamRef(value: unknown): value is ParamRef {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[PARAM_REF] === true;
}
