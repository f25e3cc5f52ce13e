/**
 * Vitest setupFile: every property test and fc.sample of the run uses the seed picked (and
 * printed) by test/setup/fast-check-seed.ts, so a failure seen once is rerun with FC_SEED=<seed>.
 * Tests without their own numRuns get 100 x FC_NUM_RUNS_FACTOR.
 */
import fc from "fast-check";
import { inject } from "vitest";

const seed = inject("fcSeed");
const factor = inject("fcNumRunsFactor");
// Without the globalSetup, `n * inject("fcNumRunsFactor")` would be NaN: zero runs, silently.
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(factor))
  throw new Error("fast-check seed not provided: run vitest with vitest.config.ts (its globalSetup)");
fc.configureGlobal({ seed, numRuns: 100 * factor });
