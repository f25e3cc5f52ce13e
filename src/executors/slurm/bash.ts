/**
 * All quoting for the SLURM export: how text from a Plan becomes a bash word or a bash comment in
 * submit.sh. Nothing else in src/executors/slurm builds shell text out of Plan values.
 */

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * Text as one bash word: unquoted when it is plainly safe, else single-quoted (a `'` inside
 * becomes `'\''`). Single quotes make every other byte literal, newlines included.
 *
 * @example
 * ```ts
 * bashWord("train"); // "train"
 * bashWord("it's $HOME"); // "'it'\\''s $HOME'"
 * ```
 */
export function bashWord(text: string): string {
  return SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Words joined into one command line, each quoted by `bashWord`.
 *
 * @example
 * ```ts
 * bashWords(["submit", "a b"]); // "submit 'a b'"
 * ```
 */
export function bashWords(words: readonly string[]): string {
  return words.map(bashWord).join(" ");
}

/**
 * Text as bash comment lines: every line starts with `# `, and control characters (which a
 * terminal or an editor could act on) become `?`.
 *
 * @example
 * ```ts
 * bashComment("two\nlines"); // "# two\n# lines"
 * ```
 */
export function bashComment(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `# ${line.replace(/[\u0000-\u001f\u007f]/g, "?")}`.trimEnd())
    .join("\n");
}

/**
 * A reference to the job id submit.sh recorded under a key (`job[key]` in a bash associative
 * array), for use inside double quotes.
 *
 * @example
 * ```ts
 * jobRef("train#1"); // "${job['train#1']}"
 * ```
 */
export function jobRef(key: string): string {
  return `\${job[${bashWord(key)}]}`;
}
