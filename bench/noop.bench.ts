/**
 * No-op runs (everything up to date) through the real CLI: a stage reading one 2 GB input (a
 * sparse file), one reading a 10,000-file directory, beside `make` (and `dvc repro` when a `dvc`
 * is found on PATH or in $DVC_BIN) on the same project, and updraft's own no-op run of a pipeline
 * without inputs as the baseline. Also: A, B, A parameter sets (stages executed by the third run)
 * and the no-op run of a 100-stage chain.
 *
 *   npx tsx bench/noop.bench.ts
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { param } from "../src/dsl/params.js";
import { pipeline } from "../src/dsl/pipeline.js";
import { sh, t } from "../src/dsl/template.js";
import { plan as toPlan } from "../src/planner/plan.js";
import type { Manifest } from "../src/records/manifest.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const TSX = path.join(ROOT, "node_modules/tsx/dist/loader.mjs");
const BIN = path.join(ROOT, "src/cli/bin.ts");
const REPEAT = 3;
const work = mkdtempSync(path.join(os.tmpdir(), "updraft-bench-noop-"));

function planFile(name: string, build: Parameters<typeof pipeline>[2]): string {
  return writePlan(name, pipeline(name, {}, build));
}

function writePlan(name: string, p: ReturnType<typeof pipeline>): string {
  const result = toPlan(p);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("; "));
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(result.plan));
  return file;
}

/** Wall time of `updraft run FILE` in `work` (one runs directory, so earlier runs count), with its manifest. */
function updraft(file: string, extra: string[] = []): { ms: number; manifest: Manifest } {
  const runs = path.join(work, "runs");
  const before = new Set(readdirSync(runs, { withFileTypes: false }).map(String));
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", TSX, BIN, "run", file, "--runs-dir", runs, "-q", ...extra], {
    cwd: work,
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`updraft run ${file} exited ${r.status}:\n${r.stderr}`);
  const id = readdirSync(runs).find((d) => !before.has(d))!;
  return { ms, manifest: JSON.parse(readFileSync(path.join(runs, id, "manifest.json"), "utf8")) as Manifest };
}

function wall(cmd: string, args: string[]): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd: work, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const executed = (m: Manifest) => m.stages.filter((s) => s.status === "success").length;
/** Median no-op time after two warm-up runs (the second lets the stat cache trust what the first hashed). */
function noop(file: string, extra: string[] = []): { ms: number; ran: number } {
  updraft(file, extra);
  spawnSync("sleep", ["2.1"]);
  updraft(file, extra);
  const runs = Array.from({ length: REPEAT }, () => updraft(file, extra));
  return { ms: median(runs.map((r) => r.ms)), ran: Math.max(...runs.map((r) => executed(r.manifest))) };
}

mkdirSync(path.join(work, "runs"));
execFileSync("truncate", ["-s", "2G", path.join(work, "big.bin")]);
mkdirSync(path.join(work, "many"));
for (let i = 0; i < 10_000; i++) writeFileSync(path.join(work, "many", `f${i}.txt`), `${i}\n`);

const loadBefore = os.loadavg()[0]!;
const none = planFile(
  "none",
  ({ stage }) => void stage("s", { command: sh`echo ok > none.out`, outputs: ["none.out"] }),
);
const big = planFile("big", ({ stage }) => {
  stage("s", { command: sh`echo ok > big.out`, inputs: ["big.bin"], outputs: ["big.out"] });
});
const many = planFile("many", ({ stage }) => {
  stage("s", { command: sh`echo ok > many.out`, inputs: ["many"], outputs: ["many.out"] });
});
const base = noop(none);
const bigRun = noop(big);
const manyRun = noop(many);

writeFileSync(
  path.join(work, "Makefile"),
  "big.out: big.bin\n\techo ok > big.out\nmany.out: $(wildcard many/*)\n\techo ok > many.out\n",
);
wall("make", ["-s", "big.out", "many.out"]);
const makeBig = median(Array.from({ length: REPEAT }, () => wall("make", ["-s", "big.out"])));
const makeMany = median(Array.from({ length: REPEAT }, () => wall("make", ["-s", "many.out"])));

const dvc = process.env.DVC_BIN ?? "dvc";
let dvcBig: number | null = null;
let dvcMany: number | null = null;
if (spawnSync(dvc, ["--version"], { stdio: "ignore" }).status === 0) {
  wall(dvc, ["init", "--no-scm", "-q"]);
  wall(dvc, ["stage", "add", "-q", "-n", "big", "-d", "big.bin", "-o", "big.dvc.out", "echo ok > big.dvc.out"]);
  wall(dvc, ["stage", "add", "-q", "-n", "many", "-d", "many", "-o", "many.dvc.out", "echo ok > many.dvc.out"]);
  wall(dvc, ["repro", "-q"]);
  wall(dvc, ["repro", "-q"]);
  dvcBig = median(Array.from({ length: REPEAT }, () => wall(dvc, ["repro", "-q", "big"])));
  dvcMany = median(Array.from({ length: REPEAT }, () => wall(dvc, ["repro", "-q", "many"])));
}

const aba = writePlan(
  "aba",
  pipeline("aba", { params: { run: param.string({ default: "r1" }) } }, ({ stage, params: p }) => {
    const train = stage("train", {
      command: sh`mkdir -p ab/${p.run}; echo ${p.run} > ab/${p.run}/m`,
      outputs: [t`ab/${p.run}`],
    });
    stage("eval", {
      command: sh`cat ab/${p.run}/m > ab-${p.run}.txt`,
      inputs: [t`ab/${p.run}`],
      outputs: [t`ab-${p.run}.txt`],
      dependsOn: [train],
    });
  }),
);
updraft(aba, ["--param", "run=r1"]);
updraft(aba, ["--param", "run=alt"]);
const third = updraft(aba, ["--param", "run=r1"]);

const chain = planFile("chain", ({ stage }) => {
  let prev: ReturnType<typeof stage> | null = null;
  for (let i = 0; i < 100; i++)
    prev = stage(`c${i}`, {
      command: sh`echo ${String(i)} > c${String(i)}.out`,
      inputs: i > 0 ? [`c${i - 1}.out`] : [],
      outputs: [`c${i}.out`],
      dependsOn: prev ? [prev] : [],
    });
});
const chainRun = noop(chain);

const f = (n: number) => n.toFixed(0);
const ok = (good: boolean) => (good ? "yes" : "**no**");
const vsDvc = (ms: number, d: number | null) =>
  d === null ? "" : `; \`dvc repro\` ${f(d)} ms (${(d / ms).toFixed(1)}x)`;
const lines = [
  "## No-op runs (`updraft run` with everything up to date)",
  "",
  `\`npx tsx bench/noop.bench.ts\` — through the real CLI (\`node --import tsx src/cli/bin.ts run plan.json -q\`); medians of ${REPEAT} runs after two warm-up runs (the run cache and stat cache filled).`,
  "",
  "| figure | measured | target | within | baseline (same run) |",
  "|---|---|---|---|---|",
  `| no-op run, one 2 GB input (sparse file), above a no-op run without inputs | ${f(bigRun.ms)} ms (+${f(bigRun.ms - base.ms)} ms) | ≤ +100 ms | ${ok(bigRun.ms - base.ms <= 100)} | no inputs ${f(base.ms)} ms; \`make\` ${f(makeBig)} ms${vsDvc(bigRun.ms, dvcBig)} |`,
  `| no-op run, a 10,000-file input directory, above a no-op run without inputs | ${f(manyRun.ms)} ms (+${f(manyRun.ms - base.ms)} ms) | ≤ +100 ms | ${ok(manyRun.ms - base.ms <= 100)} | no inputs ${f(base.ms)} ms; \`make\` ${f(makeMany)} ms${vsDvc(manyRun.ms, dvcMany)} |`,
  `| stages executed by the third of A, B, A param sets | ${executed(third.manifest)} | 0 | ${ok(executed(third.manifest) === 0)} | 2 stages each in A and B |`,
  `| no-op run of a 100-stage chain | ${f(chainRun.ms)} ms | ≤ 150 ms | ${ok(chainRun.ms <= 150)} | no inputs, 1 stage ${f(base.ms)} ms |`,
  "",
  dvcBig === null
    ? "`dvc` was not found (set DVC_BIN to a dvc executable to compare)."
    : `DVC: \`${dvc}\`, a \`dvc init --no-scm\` project with the same two stages.`,
  "",
  `Executed stages in the measured no-op runs: ${bigRun.ran + manyRun.ran + chainRun.ran} (0 expected). Machine load (1-minute load average) ${loadBefore.toFixed(2)} before and ${os.loadavg()[0]!.toFixed(2)} after on ${os.cpus().length} cores, shared with other work: start-up times grow with it.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
rmSync(work, { recursive: true, force: true });
