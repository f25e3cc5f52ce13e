/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another, and writes
 * BENCHMARKS.md from the Markdown sections they print. `npm run bench -- executor` runs only the
 * files whose names contain "executor" and leaves the other sections of BENCHMARKS.md as they were,
 * as it does the sections marked as kept.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const out = path.join(root, "BENCHMARKS.md");
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();
const chosen = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

/** Previous sections by file, kept when only some benchmarks are rerun. */
function previous(): Map<string, string> {
  const map = new Map<string, string>();
  if (!existsSync(out)) return map;
  const text = readFileSync(out, "utf8");
  for (const m of text.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench -->/g)) map.set(m[1]!, m[2]!);
  return map;
}

/**
 * Sections measured outside `npm run bench` (by a test harness, say), between `<!-- kept -->` and
 * `<!-- /kept -->`: carried over as they are.
 */
function kept(): string[] {
  if (!existsSync(out)) return [];
  return [...readFileSync(out, "utf8").matchAll(/<!-- kept -->\n[\s\S]*?<!-- \/kept -->\n/g)].map((m) => m[0]);
}

const sections = previous();
const manual = kept();
// Benchmarks time the compiled CLI, as installed from npm: build it once for all of them.
execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
process.env.UPDRAFT_BENCH_BUILT = "1";
for (const file of chosen) {
  process.stderr.write(`bench: ${file}\n`);
  const text = execFileSync(process.execPath, ["--import", "tsx", path.join(here, file)], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  sections.set(file, text.trimEnd() + "\n");
}

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const header = [
  "# Benchmarks",
  "",
  "Produced by `npm run bench` (each section names the command that reruns it alone). Every",
  "figure is measured on the machine below, with its baseline measured in the same run.",
  "",
  `- machine: ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- node ${process.version}; written ${new Date().toISOString().slice(0, 10)}`,
  "",
].join("\n");
const body = files
  .filter((f) => sections.has(f))
  .map((f) => `<!-- bench:${f} -->\n${sections.get(f)}<!-- /bench -->\n`)
  .join("\n");
writeFileSync(out, [`${header}\n${body}`, ...manual].join("\n"));
process.stderr.write(`bench: wrote ${path.relative(root, out)}\n`);
