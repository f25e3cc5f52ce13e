/**
 * Vitest globalSetup: picks the one fast-check seed of this run (FC_SEED, or a fresh random one),
 * prints it first and last, and hands it with the FC_NUM_RUNS_FACTOR multiplier to every test
 * worker, where test/setup/fast-check.ts configures fast-check with them. A test that sets its own
 * numRuns multiplies it by `inject("fcNumRunsFactor")`.
 */
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    fcSeed: number;
    fcNumRunsFactor: number;
  }
}

function readSeed(text: string | undefined): number {
  if (text === undefined || text.trim() === "") return (Math.random() * 2 ** 32) | 0;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FC_SEED must be an integer, as fast-check prints it (seed: N); got "${text}"`);
  return seed;
}

function readFactor(text: string | undefined): number {
  if (text === undefined || text.trim() === "") return 1;
  const factor = Number(text);
  if (!Number.isSafeInteger(factor) || factor < 1)
    throw new Error(`FC_NUM_RUNS_FACTOR must be a whole number, 1 or more; got "${text}"`);
  return factor;
}

export default function setup(project: TestProject): () => void {
  const seed = readSeed(process.env.FC_SEED);
  const factor = readFactor(process.env.FC_NUM_RUNS_FACTOR);
  const rerun = `FC_SEED=${seed}${factor === 1 ? "" : ` FC_NUM_RUNS_FACTOR=${factor}`}`;
  project.provide("fcSeed", seed);
  project.provide("fcNumRunsFactor", factor);
  console.log(`fast-check seed: ${seed}${factor === 1 ? "" : `, numRuns x${factor}`} (rerun with ${rerun})`);
  return () => console.log(`fast-check seed was ${seed} (rerun with ${rerun} npx vitest run <file>)`);
}
