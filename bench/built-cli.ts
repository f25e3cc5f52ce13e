/**
 * The CLI as users get it from npm: compiled to dist/ (built once per `npm run bench`).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Path of the compiled CLI, building it first unless bench/run.ts already did. */
export function builtCli(): string {
  if (!process.env.UPDRAFT_BENCH_BUILT) {
    execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
    process.env.UPDRAFT_BENCH_BUILT = "1";
  }
  return path.join(root, "dist/cli/bin.js");
}
