/**
 * Vitest setupFile: every property test and fc.sample of the run uses the seed picked (and
 * printed) by test/setup/fast-check-seed.ts, so a failure seen once is rerun with FC_SEED=<seed>.
 * `runs(n)` scales a test's own numRuns by FC_NUM_RUNS_FACTOR; tests without one get 100 x factor.
 */
import fc from "fast-check";
import { inject } from "vitest";

const seed = inject("fcSeed");
const factor = inject("fcNumRunsFactor");

/** `n` runs times FC_NUM_RUNS_FACTOR (1 unless set), for a test's explicit numRuns. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * factor));
}

fc.configureGlobal({ seed, numRuns: runs(100) });
