/**
 * All quoting for the SLURM export: how text from a Plan becomes a bash word (`shellWord`, shared
 * by every command line updraft writes: src/common/shell.ts) or a bash comment in submit.sh.
 * Nothing else in src/executors/slurm builds shell text out of Plan values.
 */
import { shellWord, shellWords } from "../../common/shell.js";

export { shellWord as bashWord, shellWords as bashWords };

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
  return `\${job[${shellWord(key)}]}`;
}

/**
 * A reference to the GPU count submit.sh read for a stage whose count a parameter gives (`gpus[stage]`),
 * for use inside double quotes.
 *
 * @example
 * ```ts
 * gpuRef("train"); // "${gpus[train]}"
 * ```
 */
export function gpuRef(stage: string): string {
  return `\${gpus[${shellWord(stage)}]}`;
}
