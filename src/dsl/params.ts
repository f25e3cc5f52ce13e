/**
 * Run parameters: declared with a type and a default, referenced through typed placeholders.
 */

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
  readonly values: readonly string[];
  readonly description: string | null;
}

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
  /** Omit to make the parameter required. */
  default?: V;
  description?: string;
}

function declare<K extends ParamKind, V>(
  type: K,
  options: ParamOptions<V>,
  values: readonly string[] = [],
): ParamDecl<K, V> {
  return Object.freeze({
    type,
    default: options.default ?? null,
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
