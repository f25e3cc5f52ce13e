/**
 * The one shape of an outcome that may fail without throwing: `ok` says which side it is, and each
 * side carries its own named fields (`plan`, `problems`, `reason`, ...), so a caller narrows on `ok`
 * and then reads names that say what they hold.
 */

/**
 * A success carrying `T`'s fields, or a failure carrying `E`'s.
 *
 * @example
 * ```ts
 * type Parsed = Result<{ value: number }, { reason: string }>;
 * const r: Parsed = Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: "not a number" };
 * if (!r.ok) console.error(r.reason);
 * ```
 */
export type Result<T extends object, E extends object> = ({ ok: true } & T) | ({ ok: false } & E);
