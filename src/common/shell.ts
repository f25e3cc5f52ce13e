/**
 * Quoting for POSIX shells and bash: how any text becomes one shell word. Every command line
 * updraft prints or writes for a shell (the dry-run, hints that name a command, completion
 * scripts, the SLURM export's submit.sh) quotes through here. Bash text with parameter references
 * inside a script is `renderShell`'s (src/planner/template.ts), and only the SLURM export writes
 * other bash syntax (src/executors/slurm/bash.ts).
 */

const SAFE = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * Text as one shell word: unquoted when it is plainly safe, else single-quoted (a `'` inside
 * becomes `'\''`). Single quotes make every other byte literal, newlines included; the empty
 * string becomes `''`.
 *
 * @example
 * ```ts
 * shellWord("train"); // "train"
 * shellWord("it's $HOME"); // "'it'\\''s $HOME'"
 * ```
 */
export function shellWord(text: string): string {
  return SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Words joined into one command line, each quoted by `shellWord`.
 *
 * @example
 * ```ts
 * shellWords(["submit", "a b"]); // "submit 'a b'"
 * ```
 */
export function shellWords(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}
