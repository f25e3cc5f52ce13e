/**
 * `updraft history` and `updraft advise` over 10,000 run manifests, measured end to end through the
 * real CLI (process start included), beside `updraft --version` as the start-up baseline.
 *
 *   npx tsx bench/history.bench.ts
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chainPlan, manifest, type StageSpec } from "../test/fixtures/history/factory.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = 10_000;
const REPEAT = 5;
const TARGET_MS = 1000;

/** A realistic mix: mostly successes, some retries, GPU waits, failures and gate verdicts. */
function stagesFor(i: number): StageSpec[] {
  return [
    { id: "export-1c", outputs: ["data/raw.jsonl"], durationMs: 30_000 },
    { id: "tokenize", inputs: ["data/raw.jsonl"], outputs: ["data/train.bin"], durationMs: 120_000 },
    { id: "train", gpus: [0], gpuWaitMs: i % 17 === 0 ? 1_200_000 : 0, outcomes: i % 11 === 0 ? ["timeout", "success"] : i % 29 === 0 ? ["failed"] : ["success"], durationMs: 3_600_000, outputs: ["out/model.pth"] },
    { id: "eval", inputs: ["out/model.pth"], outputs: ["out/metrics.json"], durationMs: 300_000 },
    { id: "eval-gate", gate: { verdict: i % 7 === 0 ? "FAIL" : "PASS" } },
  ];
}

function generate(dir: string): void {
  const plans = [0, 1, 2].map((v) => chainPlan(`rwkv-${v}`, ["export-1c", "tokenize", "train", "eval", "eval-gate"], { gates: ["eval-gate"], file: `pipelines/rwkv-${v}.ts` }));
  const now = Date.now();
  for (let i = 0; i < RUNS; i++) {
    const plan = plans[i % plans.length]!;
    const runId = `run-${String(i).padStart(5, "0")}`;
    const m = manifest({ runId, pipelineId: plan.pipeline.id, planHash: plan.hash, start: new Date(now - i * 5 * 60_000), user: ["ada", "bo"][i % 2]!, stages: stagesFor(i) });
    const runDir = path.join(dir, runId);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, "manifest.json"), JSON.stringify(m, null, 2));
    writeFileSync(path.join(runDir, "plan.json"), JSON.stringify(plan, null, 2));
  }
}

function cli(args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(args: string[]): number {
  cli(args); // warm the file cache and tsx's transform cache
  const times = Array.from({ length: REPEAT }, () => cli(args)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-history-bench-"));
try {
  generate(dir);
  const baseline = median(["--version"]);
  const history = median(["history", "--runs-dir", dir]);
  const advise = median(["advise", "--runs-dir", dir]);
  const ms = (n: number) => `${Math.round(n)} ms`;
  const row = (cmd: string, t: number) => `| \`${cmd}\` | ${ms(t)} | < ${ms(TARGET_MS)} | ${ms(baseline)} | ${ms(t - baseline)} |`;
  process.stdout.write(
    [
      "## Run history over 10,000 manifests",
      "",
      "`npx tsx bench/history.bench.ts`: generates 10,000 local run directories (manifest.json and",
      `plan.json, 5 stages each, retries, GPU waits and gate verdicts mixed in), then runs the real CLI`,
      `end to end (\`node --import tsx src/cli/bin.ts ...\`), median of ${REPEAT} after one warm-up run.`,
      "",
      "| command | time | target | baseline: `updraft --version` | above baseline |",
      "| --- | --- | --- | --- | --- |",
      row(`updraft history --runs-dir DIR`, history),
      row(`updraft advise --runs-dir DIR`, advise),
      "",
    ].join("\n"),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
