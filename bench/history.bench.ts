/**
 * `updraft history` and `updraft advise` over 10,000 run manifests, measured end to end through the
 * real CLI (process start included), beside `updraft history` over an empty folder as the start-up baseline.
 *
 *   npx tsx bench/history.bench.ts
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Manifest } from "../src/records/manifest.js";
import { chainPlan, manifest, type StageSpec } from "../test/fixtures/history/factory.js";
import { builtCli } from "./built-cli.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = 10_000;
const REPEAT = 5;
const TARGET_MS = 1000;

/** A realistic mix: mostly successes, some retries, GPU waits, failures and gate verdicts. */
function stagesFor(i: number): StageSpec[] {
  return [
    { id: "export-1c", outputs: ["data/raw.jsonl"], durationMs: 30_000 },
    { id: "tokenize", inputs: ["data/raw.jsonl"], outputs: ["data/train.bin"], durationMs: 120_000 },
    {
      id: "train",
      gpus: [0],
      gpuWaitMs: i % 17 === 0 ? 1_200_000 : 0,
      outcomes: i % 11 === 0 ? ["timeout", "success"] : i % 29 === 0 ? ["failed"] : ["success"],
      durationMs: 3_600_000,
      outputs: ["out/model.pth"],
    },
    { id: "eval", inputs: ["out/model.pth"], outputs: ["out/metrics.json"], durationMs: 300_000 },
    { id: "eval-gate", gate: { verdict: i % 7 === 0 ? "FAIL" : "PASS" } },
  ];
}

/** The local executor's layout: run fields indented, then one line per stage. */
function manifestText(m: Manifest): string {
  const { stages, ...run } = m;
  return `${JSON.stringify(run, null, 2).replace(/\n}$/, "")},\n  "stages": [\n    ${stages.map((s) => JSON.stringify(s)).join(",\n    ")}\n  ]\n}\n`;
}

function generate(dir: string): void {
  const plans = [0, 1, 2].map((v) =>
    chainPlan(`rwkv-${v}`, ["export-1c", "tokenize", "train", "eval", "eval-gate"], {
      gates: ["eval-gate"],
      file: `pipelines/rwkv-${v}.ts`,
    }),
  );
  const now = Date.now();
  for (let i = 0; i < RUNS; i++) {
    const plan = plans[i % plans.length]!;
    const runId = `run-${String(i).padStart(5, "0")}`;
    const m = manifest({
      runId,
      pipelineId: plan.pipeline.id,
      planHash: plan.hash,
      start: new Date(now - i * 210_000),
      user: ["ada", "bo"][i % 2]!,
      stages: stagesFor(i),
    });
    const runDir = path.join(dir, runId);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, "manifest.json"), manifestText(m));
    writeFileSync(path.join(runDir, "plan.json"), JSON.stringify(plan, null, 2));
  }
}

function cli(args: string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, [builtCli(), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, stdout };
}

/** Median wall time of REPEAT calls after one warm-up (file cache); checks the output. */
function median(args: string[], check: (stdout: string) => boolean): number {
  const warm = cli(args);
  if (!check(warm.stdout))
    throw new Error(`unexpected output of updraft ${args.join(" ")}:\n${warm.stdout.slice(0, 2000)}`);
  const times = Array.from({ length: REPEAT }, () => cli(args).ms).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-history-bench-"));
try {
  generate(dir);
  const loadBefore = os.loadavg()[0]!;
  const empty = mkdtempSync(path.join(os.tmpdir(), "updraft-history-empty-"));
  const baseline = median(["history", "--runs-dir", empty], () => true);
  const history = median(["history", "--runs-dir", dir], (out) => out.trimEnd().split("\n").length === RUNS + 1);
  const advise = median(
    ["advise", "--runs-dir", dir],
    (out) => out.includes(`${RUNS} runs`) && out.includes("verdict: "),
  );
  const ms = (n: number) => `${Math.round(n)} ms`;
  const row = (cmd: string, t: number) =>
    `| \`${cmd}\` | ${ms(t)} | < ${ms(TARGET_MS)} | ${ms(baseline)} | ${ms(t - baseline)} |`;
  process.stdout.write(
    [
      "## Run history over 10,000 manifests",
      "",
      "`npx tsx bench/history.bench.ts`: generates 10,000 local run directories (manifest.json in the",
      "local executor's file layout and plan.json; 5 stages each, with retries, GPU waits and gate",
      "verdicts mixed in, all within the advise window), then times the real CLI end to end",
      `(the compiled CLI, \`node dist/cli/bin.js ...\`, as installed from npm; output piped and checked), median of ${REPEAT} after one`,
      "warm-up run. `updraft history` over an empty folder loads the same modules and reads nothing: the start-up floor.",
      "",
      "| command | time | target | baseline: `updraft history` of an empty folder | above baseline |",
      "| --- | --- | --- | --- | --- |",
      row(`updraft history --runs-dir DIR`, history),
      row(`updraft advise --runs-dir DIR`, advise),
      "",
      `1-minute load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after, on ${os.cpus().length} cores: start-up and reads slow down together under load.`,
      "",
    ].join("\n"),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
