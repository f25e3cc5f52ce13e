import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Inside this repository `updraft` is the source tree, as tsconfig's paths say for tsx and tsc.
    alias: { updraft: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One fast-check seed per run, printed first and last; FC_SEED=<seed> reruns it (README, "Tests").
    globalSetup: ["test/setup/fast-check-seed.ts"],
    setupFiles: ["test/setup/fast-check.ts"],
  },
});
