/**
 * Python tools the benchmarks compare against (DVC, Snakemake), each installed once into its own
 * venv under ~/.cache/updraft/bench-venvs/<name> with `pip install`, under a time limit. A tool that
 * does not install in time is reported as missing, never faked.
 *
 *   npx tsx bench/python-tools.ts dvc snakemake   # install ahead of `npm run bench`
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const VENVS = path.join(os.homedir(), ".cache/updraft/bench-venvs");
const LIMIT_MS = Number(process.env.UPDRAFT_BENCH_INSTALL_MS ?? 15 * 60_000);

/**
 * The path of `name`'s executable (`dvc`, `snakemake`), installing it first when needed; null with
 * the reason printed to stderr when it cannot be installed within the time limit.
 *
 * @example
 * ```ts
 * const dvc = pythonTool("dvc"); // "~/.cache/updraft/bench-venvs/dvc/bin/dvc" or null
 * ```
 */
export function pythonTool(name: string): string | null {
  const venv = path.join(VENVS, name);
  const bin = path.join(venv, "bin", name);
  const done = path.join(venv, ".installed");
  if (existsSync(done) && existsSync(bin)) return bin;
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(VENVS, { recursive: true });
  const steps: [string, string[]][] = [
    ["python3", ["-m", "venv", venv]],
    [path.join(venv, "bin/pip"), ["install", "-q", "--disable-pip-version-check", name]],
  ];
  const deadline = Date.now() + LIMIT_MS;
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, {
      stdio: ["ignore", "ignore", "inherit"],
      timeout: Math.max(deadline - Date.now(), 1),
    });
    if (r.status !== 0) {
      process.stderr.write(`bench: could not install ${name} (${r.error?.message ?? `exit ${r.status}`})\n`);
      return null;
    }
  }
  spawnSync("touch", [done]);
  return existsSync(bin) ? bin : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const name of process.argv.slice(2)) process.stdout.write(`${name}: ${pythonTool(name) ?? "not installed"}\n`);
