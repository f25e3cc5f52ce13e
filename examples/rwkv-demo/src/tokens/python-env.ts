/**
 * The Python environment the tokenizer runs in, created by the demo itself: a venv with exactly
 * `python/requirements.txt` (pinned), under `~/.cache/updraft/rwkv-tokenizer-venvs/<key>`, keyed by
 * the requirements and the Python it was made from, made once and reused while both are unchanged.
 * `UPDRAFT_PYTHON` names the Python to make it from (default `python3`, 3.10 or newer);
 * `UPDRAFT_CACHE_DIR` moves the cache (default `~/.cache/updraft`); `UPDRAFT_TOKENIZER_PYTHON` names
 * a Python that already has the requirements (an offline machine), and nothing is made.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXIT, ToolError } from "../tool.js";

/** The demo's Python files: the tokenizer script and its pinned requirements. */
export const PYTHON_DIR = path.join(import.meta.dirname, "..", "..", "python");
const REQUIREMENTS = path.join(PYTHON_DIR, "requirements.txt");
const MIN_VERSION: readonly [number, number] = [3, 10];
const INSTALL_HINT =
  "install Python 3.10 or newer with its venv module (Debian/Ubuntu/WSL: sudo apt install python3 python3-venv), or set UPDRAFT_PYTHON to one";

function baseVersion(python: string): [number, number] | string {
  const r = spawnSync(python, ["--version"], { encoding: "utf8" });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : r.error.message;
  const match = /Python (\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  return match ? [Number(match[1]), Number(match[2])] : `"${`${r.stdout}${r.stderr}`.trim()}" is not a Python version`;
}

function run(what: string, command: string, args: readonly string[]): void {
  const r = spawnSync(command, args, { encoding: "utf8" });
  if (r.status === 0) return;
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-6).join("\n  ");
  throw new ToolError(
    `${what} failed (${r.error?.message ?? `exit ${r.status}`})${output ? `:\n  ${output}` : ""}`,
    EXIT.config,
    what.startsWith("pip")
      ? "the first run needs PyPI (or a pip mirror set by PIP_INDEX_URL); later runs reuse the environment"
      : INSTALL_HINT,
  );
}

/**
 * The venv's python, after making the venv if it does not exist yet. Throws a ToolError
 * (configuration, exit 4) with a plain reason when Python 3.10+ is missing or pip cannot install.
 *
 * @example
 * ```ts
 * spawnSync(tokenizerPython(), [path.join(PYTHON_DIR, "world_tokens.py"), "info"]);
 * ```
 */
export function tokenizerPython(log: (line: string) => void = () => {}): string {
  const given = process.env.UPDRAFT_TOKENIZER_PYTHON;
  if (given) return given;
  const base = process.env.UPDRAFT_PYTHON ?? "python3";
  const version = baseVersion(base);
  if (typeof version === "string" || version[0] * 100 + version[1] < MIN_VERSION[0] * 100 + MIN_VERSION[1]) {
    const found = typeof version === "string" ? version : `Python ${version.join(".")}`;
    throw new ToolError(
      `the RWKV World tokenizer runs in Python ${MIN_VERSION.join(".")} or newer; ${base}: ${found}`,
      EXIT.config,
      INSTALL_HINT,
    );
  }
  const requirements = readFileSync(REQUIREMENTS);
  const key = createHash("sha256")
    .update(requirements)
    .update(`\0${base}\0${version.join(".")}`)
    .digest("hex")
    .slice(0, 16);
  const cache = process.env.UPDRAFT_CACHE_DIR ?? path.join(os.homedir(), ".cache", "updraft");
  const venv = path.join(cache, "rwkv-tokenizer-venvs", key);
  const python = path.join(venv, "bin", "python");
  if (existsSync(path.join(venv, "complete"))) return python;

  log(`creating the tokenizer's Python environment (once): ${venv}`);
  mkdirSync(path.dirname(venv), { recursive: true });
  // Built aside and renamed into place, so that two tools starting at once never share a half-made venv.
  const building = `${venv}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    run(`${base} -m venv`, base, ["-m", "venv", building]);
    const pip = [
      path.join(building, "bin", "python"),
      "-m",
      "pip",
      "install",
      "--no-deps",
      "--disable-pip-version-check",
    ];
    run("pip install -r python/requirements.txt", pip[0]!, [...pip.slice(1), "--quiet", "-r", REQUIREMENTS]);
    writeFileSync(path.join(building, "complete"), requirements);
    try {
      renameSync(building, venv);
    } catch (error) {
      if (!existsSync(path.join(venv, "complete"))) throw error;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return python;
}
