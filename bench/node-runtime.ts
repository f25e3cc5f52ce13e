/**
 * Another Node.js major than the one running the benchmarks, for start-up figures: Node 22.1 and
 * later keep compiled code between runs (`module.enableCompileCache`, which `updraft`'s bin turns
 * on), Node 20 cannot. The binary comes from the npm registry's `node-linux-<arch>` package (the
 * Node.js release binaries as the `node` npm package installs them), unpacked once under
 * ~/.cache/updraft/bench-node/<version>. One that cannot be fetched is reported as missing.
 *
 *   npx tsx bench/node-runtime.ts 22   # fetch ahead of `npm run bench`
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.join(os.homedir(), ".cache/updraft/bench-node");
const ARCH: Readonly<Record<string, string>> = { x64: "x64", arm64: "arm64" };

/**
 * The path of a `node` binary of major version `major` and its version, fetching it first when
 * needed; null with the reason printed to stderr when there is none for this machine.
 *
 * @example
 * ```ts
 * const node22 = nodeRuntime(22); // { bin: "~/.cache/updraft/bench-node/22/package/bin/node", version: "v22.23.5" }
 * ```
 */
export function nodeRuntime(major: number): { bin: string; version: string } | null {
  const arch = ARCH[process.arch];
  if (process.platform !== "linux" || arch === undefined) {
    process.stderr.write(`bench: no Node ${major} package for ${process.platform}-${process.arch}\n`);
    return null;
  }
  const dir = path.join(ROOT, String(major));
  const bin = path.join(dir, "package", "bin", "node");
  if (!existsSync(bin)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const pack = spawnSync("npm", ["pack", "--silent", `node-linux-${arch}@${major}`], {
      cwd: dir,
      encoding: "utf8",
      timeout: 10 * 60_000,
    });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (pack.status !== 0 || tarball === undefined) {
      process.stderr.write(`bench: could not fetch Node ${major} (${pack.error?.message ?? pack.stderr.trim()})\n`);
      return null;
    }
    const untar = spawnSync("tar", ["xzf", tarball], { cwd: dir, encoding: "utf8" });
    rmSync(path.join(dir, tarball), { force: true });
    if (untar.status !== 0 || !existsSync(bin)) {
      process.stderr.write(`bench: could not unpack Node ${major} (${untar.stderr.trim()})\n`);
      rmSync(dir, { recursive: true, force: true });
      return null;
    }
  }
  const version = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
  return version.startsWith(`v${major}.`) ? { bin, version } : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const major of process.argv.slice(2))
    process.stdout.write(`node ${major}: ${nodeRuntime(Number(major))?.bin ?? "not available"}\n`);
