/**
 * The README's samples of program output, for the tests that run those programs: each sample is the
 * fenced block after an HTML comment marker, and output is compared with what truly varies from run
 * to run (run ids, durations, output sizes and hashes, where records go) replaced by placeholders.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The fenced block that follows `<!-- NAME -->` in the README. */
export function readmeSample(name: string): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const m = new RegExp(`<!-- ${name} -->\\s*\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no block after <!-- ${name} -->`);
  return m[1]!;
}

/**
 * Output with what varies replaced: run ids by `<run>`, durations by `<t>`, an output's size and
 * hash by `<size, hash>`, the records folder by `<records>`, `outRoot` by the README's
 * `examples/rwkv-demo/out`; runs of spaces (column padding after a duration) become one.
 *
 * @example
 * ```ts
 * normalizeOutput("run 20261126T120000.000Z-1a2b3c: success in 42s"); // "run <run>: success in <t>"
 * ```
 */
export function normalizeOutput(text: string, outRoot?: string): string {
  let out = text;
  if (outRoot) out = out.split(outRoot).join("examples/rwkv-demo/out");
  return out
    .replace(/\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}/g, "<run>")
    .replace(/^records and logs: .*$/gm, "records and logs: <records>")
    .replace(/\(\d+(?:\.\d+)? (?:B|KiB|MiB|GiB), sha256 [0-9a-f]{12}\)/g, "(<size, hash>)")
    .replace(/(?<![\w.])(?:\d+m)?\d+(?:\.\d+)?(?:ms|s)\b/g, "<t>")
    .replace(/ {2,}/g, " ")
    .trimEnd();
}

/**
 * Whether `sample` (normalised) is in `output` (normalised) line by line, in order; a line `...`
 * in the sample stands for any number of lines.
 */
export function sampleLines(sample: string, output: string, outRoot?: string): { missing: string | null } {
  const got = normalizeOutput(output, outRoot).split("\n");
  let at = 0;
  let gap = true; // the sample may start anywhere
  for (const line of normalizeOutput(sample).split("\n")) {
    if (line === "...") {
      gap = true;
      continue;
    }
    const found = gap ? got.indexOf(line, at) : got[at] === line ? at : -1;
    if (found === -1) return { missing: line };
    at = found + 1;
    gap = false;
  }
  return { missing: null };
}
