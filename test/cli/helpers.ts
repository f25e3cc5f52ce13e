import { execa } from "execa";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Run the real CLI (`updraft ...`) from the repository root; never throws on a non-zero exit. */
export async function updraft(args: readonly string[], env: Record<string, string> = {}) {
  const r = await execa(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], {
    cwd: ROOT,
    reject: false,
    env: { NO_COLOR: "1", ...env },
    extendEnv: true,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Run a pipeline file directly, as `tsx pipelines/x.ts ...` does. */
export async function runFile(file: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = await execa(process.execPath, ["--import", "tsx", file, ...args], {
    cwd: ROOT,
    reject: false,
    env: { NO_COLOR: "1", ...env },
    extendEnv: true,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** True when the text looks like a stack trace. */
export const hasStack = (text: string) => /\n\s+at .+:\d+:\d+/.test(text);
