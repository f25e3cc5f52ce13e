/**
 * `sha256sum` output, as `sha256sum -c` reads it: `<64 hex digits> <space or *><name>` per line.
 * Blank lines, `#` comments and malformed lines are skipped; a leading backslash marks a name with
 * `\\` and `\n` escapes (how GNU coreutils writes names holding a backslash or a newline).
 */

/** One line of a sums file: the listed name as written and its hash in lower case. */
export interface SumsEntry {
  readonly name: string;
  readonly sha256: string;
}

const HEX64 = /^[0-9a-fA-F]{64}$/;

/**
 * The entries of a `sha256sum`-format text.
 *
 * @example
 * ```ts
 * parseSums("ab…(64 hex)  data/train.bin\n"); // [{ name: "data/train.bin", sha256: "ab…" }]
 * ```
 */
export function parseSums(text: string): SumsEntry[] {
  const entries: SumsEntry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const escaped = line.startsWith("\\");
    const body = escaped ? line.slice(1) : line;
    const hash = body.slice(0, 64);
    const sep = body.slice(64, 66);
    const name = body.slice(66);
    if (!HEX64.test(hash) || (sep !== "  " && sep !== " *") || name === "") continue;
    entries.push({ name: escaped ? unescapeName(name) : name, sha256: hash.toLowerCase() });
  }
  return entries;
}

function unescapeName(name: string): string {
  return name.replace(/\\([\s\S])/g, (_, c: string) => (c === "n" ? "\n" : c));
}

/**
 * The last `/`-separated part of a path: how a sums entry is matched to a file.
 *
 * @example
 * ```ts
 * baseName("./out/data.bin"); // "data.bin"
 * ```
 */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}
