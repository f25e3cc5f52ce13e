/**
 * Where each placeholder of a bash script template stands, read as bash reads it: which quoting
 * applies there (none, double, single, `$'...'`, a comment, a heredoc body) and whether bash would
 * evaluate the value as arithmetic (`$(( ))`, `(( ))`, `$[ ]`, `${...}`, an array subscript, a
 * `[[ ]]` test comparing numbers), where a value such as `a[$(cmd)]` runs `cmd`.
 *
 * Only the contexts that change what a placeholder becomes are tracked; `renderShell` and the
 * planner's check both read this one scanner, so what is refused at plan time is exactly what could
 * not be rendered safely.
 */
import type { Template } from "../../plan/schema.js";

/** The quoting around a placeholder; `quoted-heredoc` (`<<'EOF'`) expands nothing. */
export type ShellQuote = "plain" | "double" | "single" | "ansi" | "comment" | "heredoc" | "quoted-heredoc" | "arith";

/** One placeholder's place: its quoting, and why only an int is safe there (null: any value is). */
export interface Placement {
  readonly quote: ShellQuote;
  numeric: string | null;
}

interface Heredoc {
  delimiter: string;
  strip: boolean;
  expand: boolean;
}
type Code = {
  kind: "code";
  closer: ")" | "`" | "))" | "]" | null;
  /** Why this frame is arithmetic; null for commands. */
  arith: string | null;
  parens: number;
  heredocs: Heredoc[];
  test: { numeric: boolean; marks: number[] } | null;
};
type Frame =
  | Code
  | { kind: "single" | "double" | "ansi" | "comment" }
  | { kind: "brace"; inDouble: boolean }
  | ({ kind: "heredoc"; lineStart: number } & Heredoc);

/** Stands for a placeholder in the scanned text; bash text cannot hold a NUL. */
const MARK = "\u0000";
const code = (closer: Code["closer"], arith: string | null): Code => ({
  kind: "code",
  closer,
  arith,
  parens: 0,
  heredocs: [],
  test: null,
});
const WORD_END = /[\s;&|<>()\u0000]/;
const NUMERIC_TEST = /-(?:eq|ne|lt|le|gt|ge)(?=[\s;&|)]|$)/y;
const SUBSCRIPT = /[A-Za-z_][A-Za-z0-9_]*\[/y;

const wordStart = (text: string, i: number) => i === 0 || /[\s;&|()<>]/.test(text[i - 1]!);

/** `$((`, `$(`, `$[`, `${`, backquotes and backslashes: the same in commands, double quotes and heredocs. */
function expansion(text: string, i: number, stack: Frame[], inDouble: boolean): number | null {
  const [c, n] = [text[i], text[i + 1]];
  if (c === "\\") return i + 1;
  if (c === "$" && n === "(" && text[i + 2] === "(") return (stack.push(code("))", "inside $(( ))")), i + 2);
  if (c === "$" && n === "(") return (stack.push(code(")", null)), i + 1);
  if (c === "$" && n === "[") return (stack.push(code("]", "inside $[ ]")), i + 1);
  if (c === "$" && n === "{") return (stack.push({ kind: "brace", inDouble }), i + 1);
  if (c !== "`") return null;
  const top = stack[stack.length - 1]!;
  if (top.kind === "code" && top.closer === "`") stack.pop();
  else stack.push(code("`", null));
  return i;
}

/** Read the delimiter after `<<` and queue its heredoc; returns where scanning goes on. */
function heredocStart(text: string, i: number, frame: Code): number {
  if (text[i + 2] === "<") return i + 2;
  let j = i + 2;
  const strip = text[j] === "-";
  if (strip) j++;
  while (text[j] === " " || text[j] === "\t") j++;
  let delimiter = "";
  let quoted = false;
  while (j < text.length && !WORD_END.test(text[j]!)) {
    const ch = text[j]!;
    const end = ch === "'" || ch === '"' ? text.indexOf(ch, j + 1) : -1;
    if (end !== -1) [delimiter, quoted, j] = [delimiter + text.slice(j + 1, end), true, end + 1];
    else if (ch === "\\") [delimiter, quoted, j] = [delimiter + (text[j + 1] ?? ""), true, j + 2];
    else [delimiter, j] = [delimiter + ch, j + 1];
  }
  if (delimiter === "") return i + 1;
  frame.heredocs.push({ delimiter, strip, expand: !quoted });
  return j - 1;
}

function startHeredoc(stack: Frame[], frame: Code, lineStart: number): void {
  const next = frame.heredocs.shift();
  if (next) stack.push({ kind: "heredoc", lineStart, ...next });
}

/** One character in a command (or arithmetic) frame. */
function inCode(text: string, i: number, stack: Frame[], top: Code, out: Placement[]): number {
  const [c, n] = [text[i], text[i + 1]];
  const e = expansion(text, i, stack, false);
  if (e !== null) return e;
  if (c === "'") stack.push({ kind: "single" });
  else if (c === '"') stack.push({ kind: "double" });
  else if (c === "$" && n === "'") return (stack.push({ kind: "ansi" }), i + 1);
  else if (top.arith !== null) {
    if (c === "(") top.parens++;
    else if (c === ")" && top.parens > 0) top.parens--;
    else if (c === ")" && top.closer === "))" && n === ")") return (stack.pop(), i + 1);
    else if (c === "]" && top.closer === "]") stack.pop();
  } else if (c === "#" && wordStart(text, i)) stack.push({ kind: "comment" });
  else if (c === "(" && n === "(" && wordStart(text, i)) return (stack.push(code("))", "inside (( ))")), i + 1);
  else if (c === "(") top.parens++;
  else if (c === ")" && top.parens > 0) top.parens--;
  else if (c === ")" && top.closer === ")") stack.pop();
  else if (c === "<" && n === "<") return heredocStart(text, i, top);
  else if (c === "\n") startHeredoc(stack, top, i + 1);
  else if (wordStart(text, i)) return inCodeWord(text, i, stack, top, out);
  return i;
}

/** The start of a word in a command: `[[`, `]]`, a numeric test operator, `name[`. */
function inCodeWord(text: string, i: number, stack: Frame[], top: Code, out: Placement[]): number {
  const ends = (k: number) => k >= text.length || WORD_END.test(text[k]!);
  if (text.startsWith("[[", i) && ends(i + 2)) return ((top.test = { numeric: false, marks: [] }), i + 1);
  if (top.test && text.startsWith("]]", i) && ends(i + 2)) {
    const reason = "in a [[ ]] test that compares numbers (-eq, -lt, ...)";
    if (top.test.numeric) for (const k of top.test.marks) out[k]!.numeric ??= reason;
    top.test = null;
    return i + 1;
  }
  NUMERIC_TEST.lastIndex = i;
  if (top.test && NUMERIC_TEST.test(text)) top.test.numeric = true;
  SUBSCRIPT.lastIndex = i;
  const sub = SUBSCRIPT.exec(text);
  if (sub) return (stack.push(code("]", "in an array subscript")), i + sub[0].length - 1);
  return i;
}

/** One character of a heredoc body: expansions when unquoted, and the line that ends it. */
function inHeredoc(text: string, i: number, stack: Frame[], top: Frame & { kind: "heredoc" }): number {
  if (top.expand) {
    const e = expansion(text, i, stack, true);
    if (e !== null) return e;
  }
  if (text[i] !== "\n") return i;
  const line = text.slice(top.lineStart, i);
  top.lineStart = i + 1;
  if ((top.strip ? line.replace(/^\t+/, "") : line) !== top.delimiter) return i;
  stack.pop();
  const below = stack[stack.length - 1];
  if (below?.kind === "code") startHeredoc(stack, below, i + 1);
  return i;
}

/** The quoting at the top of the stack, and whether the value is read as arithmetic. */
function place(stack: readonly Frame[], index: number): Placement {
  const top = stack[stack.length - 1]!;
  const quote: ShellQuote =
    top.kind === "code"
      ? top.arith === null
        ? "plain"
        : "arith"
      : top.kind === "brace"
        ? "arith"
        : top.kind === "heredoc"
          ? top.expand
            ? "heredoc"
            : "quoted-heredoc"
          : top.kind;
  for (let k = stack.length - 1; k >= 0; k--) {
    const f = stack[k]!;
    if (f.kind === "brace") return { quote, numeric: "inside ${...}" };
    if (f.kind === "heredoc") break;
    if (f.kind !== "code") continue;
    if (f.arith !== null) return { quote, numeric: f.arith };
    f.test?.marks.push(index);
    break;
  }
  return { quote, numeric: null };
}

/**
 * Each placeholder's place in a bash script template, in order.
 *
 * @example
 * ```ts
 * scanShell(["echo $(( ", { param: "n" }, " + 1 ))"]); // [{ quote: "arith", numeric: "inside $(( ))" }]
 * ```
 */
export function scanShell(template: Template): Placement[] {
  const text = template.map((part) => (typeof part === "string" ? part.replaceAll(MARK, "") : MARK)).join("");
  const stack: Frame[] = [code(null, null)];
  const out: Placement[] = [];
  for (let i = 0; i < text.length; i++) {
    const top = stack[stack.length - 1]!;
    const c = text[i];
    if (c === MARK) out.push(place(stack, out.length));
    else if (top.kind === "single") c === "'" && stack.pop();
    else if (top.kind === "ansi") c === "\\" ? i++ : c === "'" && stack.pop();
    else if (top.kind === "comment") c === "\n" && (stack.pop(), i--);
    else if (top.kind === "double") c === '"' ? stack.pop() : (i = expansion(text, i, stack, true) ?? i);
    else if (top.kind === "brace") i = inBrace(text, i, stack, top.inDouble);
    else if (top.kind === "heredoc") i = inHeredoc(text, i, stack, top);
    else i = inCode(text, i, stack, top as Code, out);
  }
  return out;
}

/** One character inside `${...}`: single quotes and `$'...'` are quotes there only outside double quotes. */
function inBrace(text: string, i: number, stack: Frame[], inDouble: boolean): number {
  const e = expansion(text, i, stack, inDouble);
  if (e !== null) return e;
  const c = text[i];
  if (c === "}") stack.pop();
  else if (c === '"') stack.push({ kind: "double" });
  else if (c === "'" && !inDouble) stack.push({ kind: "single" });
  else if (c === "$" && text[i + 1] === "'" && !inDouble) return (stack.push({ kind: "ansi" }), i + 1);
  return i;
}
