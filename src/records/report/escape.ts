/**
 * HTML escaping: every piece of user text (stage ids, reasons, params, paths) goes through here.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text safe inside HTML or SVG element content and quoted attribute values.
 *
 * @example
 * ```ts
 * esc('<b a="1">'); // "&lt;b a=&quot;1&quot;&gt;"
 * ```
 */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * A relative URL for a local file, each path segment percent-encoded.
 *
 * @example
 * ```ts
 * fileHref("../runs/r 1/logs/train.1.log"); // "../runs/r%201/logs/train.1.log"
 * ```
 */
export function fileHref(relativePath: string): string {
  return relativePath
    .split(/[\\/]/)
    .map((s) => (s === ".." || s === "." ? s : encodeURIComponent(s)))
    .join("/");
}
