/**
 * Python source text: every string literal, identifier and data literal the Airflow exporter
 * writes goes through this module, so quoting rules live in one place.
 */

/** Python's reserved words and soft keywords: never usable as variable names here. */
const KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "match",
  "case",
  "type",
  "_",
]);

/** Characters shown escaped: controls, line separators, lone surrogates, the byte-order mark. */
function escapeChar(c: string): string | null {
  switch (c) {
    case "\\":
      return "\\\\";
    case '"':
      return '\\"';
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
  }
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff)) {
    return `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return null;
}

/**
 * A Python string literal whose value is exactly `text` (double-quoted; printable Unicode kept
 * as is, everything a reader or the tokenizer could trip on escaped).
 *
 * @example
 * ```ts
 * pyString(`it's "x"\n`); // '"it\'s \\"x\\"\\n"'
 * ```
 */
export function pyString(text: string): string {
  let out = '"';
  // Iterate by UTF-16 code unit pairs so a lone surrogate is seen (and escaped) on its own.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    const pair = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    const c = pair ? text.slice(i, i + 2) : text[i]!;
    if (pair) i++;
    out += (pair ? null : escapeChar(c)) ?? c;
  }
  return `${out}"`;
}

/**
 * A Python identifier for `name`, distinct from every name in `taken` (which it joins):
 * characters outside `[A-Za-z0-9_]` become `_`, a leading digit or a keyword gets a `_` prefix,
 * and a clash gets a numbered suffix.
 *
 * @example
 * ```ts
 * const taken = new Set<string>();
 * pyIdentifier("prepare-data", taken); // "prepare_data"
 * pyIdentifier("prepare.data", taken); // "prepare_data_2"
 * ```
 */
export function pyIdentifier(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]/g, "_");
  if (base === "" || /^[0-9]/.test(base) || KEYWORDS.has(base)) base = `_${base}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/**
 * A Python number literal for a finite JavaScript number (integers stay integers).
 *
 * @example
 * ```ts
 * pyNumber(3); // "3"
 * pyNumber(1.5e-7); // "1.5e-07"
 * ```
 */
export function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as a Python number`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return Object.is(n, -0) ? "0" : String(n);
  // Python reads JavaScript's exponent form ("1e+21", "1.5e-7") as the same float.
  return String(n);
}

/** JSON-like data that `pyLiteral` writes. */
export type PyData = null | boolean | number | string | readonly PyData[] | { readonly [key: string]: PyData };

function inline(value: PyData): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyNumber(value);
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  const entries = Object.entries(value as Record<string, PyData>);
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${inline(v)}`).join(", ")}}`;
}

/**
 * A Python literal for JSON-like data: on one line when it fits in `width` characters, else one
 * item per line, indented by `indent` plus four spaces per level. Keys keep their order.
 *
 * @example
 * ```ts
 * pyLiteral({ a: [1, "x"], b: null }); // '{"a": [1, "x"], "b": None}'
 * ```
 */
export function pyLiteral(value: PyData, indent = "", width = 100): string {
  const flat = inline(value);
  if (flat.length + indent.length <= width || value === null || typeof value !== "object") return flat;
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${pyLiteral(v, inner, width)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, PyData>);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([k, v]) => `${inner}${pyString(k)}: ${pyLiteral(v, inner, width)},`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/**
 * Text as Python `#` comment lines (each line prefixed; control characters made visible, so a
 * comment never ends early or hides text).
 *
 * @example
 * ```ts
 * pyComment("a\nb"); // "# a\n# b"
 * ```
 */
export function pyComment(text: string, prefix = "# "): string {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) =>
      `${prefix}${line.replace(/[\x00-\x1f\x7f-\x9f\ufeff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}`.trimEnd(),
    )
    .join("\n");
}

/**
 * A Python literal holding a whole source module: a raw triple-quoted string that keeps the
 * module readable, or an escaped one-line literal when the text could end a raw string early.
 *
 * @example
 * ```ts
 * pyModuleText("import os\n"); // "r'''import os\n'''"
 * ```
 */
export function pyModuleText(text: string): string {
  const rawSafe = !text.includes("'''") && !/[\\']$/.test(text) && !/\\'/.test(text) && !/[\x00\r]/.test(text);
  return rawSafe ? `r'''${text}'''` : pyString(text);
}
