#!/usr/bin/env node
import module from "node:module";

// Node 22.1 and later can keep compiled code between runs (in the OS's temp folder, or where
// NODE_COMPILE_CACHE says): start-up then skips most parsing. Node 20 has no such cache, and a
// cache that cannot be written is skipped without a word.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// `updraft --help | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

// Imported after the cache is on, so that the CLI's own modules go through it.
const { main } = await import("./main.js");
process.exitCode = await main(process.argv.slice(2));
