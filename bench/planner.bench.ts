/**
 * Planner speed: generated DAGs of 1k, 10k and 100k stages (about 3 dependencies each), and
 * `updraft plan` on the flagship pipeline end to end, next to `node -e 0`.
 *
 *   npx tsx bench/planner.bench.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pipeline, plan, type Pipeline } from "../src/index.js";
import { builtCli } from "./built-cli.js";

/** A layered random DAG: each stage depends on up to 3 of the 50 stages before it (seeded). */
function generate(n: number): Pipeline {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return pipeline(`gen_${n}`, {}, ({ stage }) => {
    const refs: ReturnType<typeof stage>[] = [];
    for (let i = 0; i < n; i++) {
      const deps = new Set<ReturnType<typeof stage>>();
      for (let k = 0; k < 3 && i > 0; k++) deps.add(refs[Math.max(0, i - 1 - Math.floor(random() * 50))]!);
      refs.push(stage(`s${i}`, { command: ["true", String(i)], dependsOn: [...deps], retry: { retries: 1 } }));
    }
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timePlan(p: Pipeline, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = plan(p);
    times.push(performance.now() - t0);
    if (!result.ok) throw new Error("generated pipeline did not plan");
  }
  return median(times);
}

function timeCommand(cmd: string, args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
  }
  return median(times);
}

const rows: string[] = [];
const sizes = [1_000, 10_000, 100_000];
const targets: Record<number, string> = { 1000: "", 10000: "< 250 ms", 100000: "< 3,000 ms" };
let baselinePerK = 0;
for (const n of sizes) {
  const t0 = performance.now();
  const p = generate(n);
  const buildMs = performance.now() - t0;
  timePlan(p, 1); // warm-up: JIT, first allocation
  const ms = timePlan(p, n >= 100_000 ? 3 : 7);
  const perK = ms / (n / 1000);
  if (n === 1000) baselinePerK = perK;
  rows.push(
    `| ${n.toLocaleString("en")} | ${ms.toFixed(1)} ms | ${perK.toFixed(2)} ms | ${(perK / baselinePerK).toFixed(2)}x | ${targets[n]} | ${buildMs.toFixed(0)} ms |`,
  );
}

const flagship = existsSync("pipelines/rwkv.ts") ? "pipelines/rwkv.ts" : "examples/hello/pipeline.ts";
const nodeMs = timeCommand(process.execPath, ["-e", "0"], 7);
const distMs = timeCommand(process.execPath, [builtCli(), "plan", flagship], 7);
const srcMs = timeCommand(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "plan", flagship], 7);

process.stdout.write(`## Planner

Command: \`npx tsx bench/planner.bench.ts\` (medians; the plan() times exclude building the pipeline
with the DSL, shown in the last column).

| stages | plan() | per 1k stages | per-1k vs 1k run | target | DSL build |
|---:|---:|---:|---:|---|---:|
${rows.join("\n")}

Linear growth shows as a flat "per 1k stages" column (baseline: the 1k run of this table).

| \`updraft plan ${flagship}\`, cold process | median of 7 | target |
|---|---:|---|
| baseline: \`node -e 0\` | ${nodeMs.toFixed(0)} ms | |
| installed CLI (\`node dist/cli/bin.js\`) | ${distMs.toFixed(0)} ms | < 1,000 ms |
| from source (\`node --import tsx src/cli/bin.ts\`) | ${srcMs.toFixed(0)} ms | |
`);
