/**
 * `runCli(pipeline)`: the one call a pipeline file ends with.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import type { Pipeline } from "../dsl/pipeline.js";
import { loadingState } from "./load.js";
import { main } from "./main.js";

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(path.resolve(p));
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/** Whether the file that declared `pipeline` is the program node (or tsx) was started with. */
function isEntryPoint(pipeline: Pipeline): boolean {
  const entry = process.argv[1];
  const file = pipeline.source?.file;
  return entry !== undefined && file !== undefined && samePath(entry, file);
}

/**
 * Hand a pipeline to the CLI. When its file is the program (`tsx pipelines/rwkv.ts --dry-run`),
 * it takes the same commands and flags as `updraft` (no command means `run`). When the file is
 * imported (by `updraft`, a test, another module), it does nothing but make the pipeline known.
 * Give `argv` to run the CLI regardless.
 *
 * Awaiting it is optional: the returned promise never rejects (errors become the exit code), so a
 * CommonJS project, where a top-level `await` does not compile, calls `runCli(p);` alone.
 *
 * @example
 * ```ts
 * const hello = pipeline("hello", {}, ({ stage }) => { stage("hi", { command: ["echo", "hi"] }); });
 * export default hello;
 * runCli(hello);
 * ```
 */
export async function runCli(pipeline: Pipeline, argv?: readonly string[]): Promise<void> {
  const loading = loadingState();
  if (loading) {
    loading.registered.push(pipeline);
    return;
  }
  if (argv === undefined && !isEntryPoint(pipeline)) return;
  process.exitCode = await main(argv ?? process.argv.slice(2), pipeline);
}
