/**
 * No-op runs (everything up to date) through the compiled CLI, as installed from npm: a stage
 * reading one 2 GB input (a sparse file), one reading a 10,000-file directory, and a 100-stage
 * chain, each beside `make`, `dvc repro` and Snakemake on the same work (DVC and Snakemake are
 * installed into venvs under ~/.cache/updraft/bench-venvs, see python-tools.ts), with updraft's own
 * no-op run of a pipeline without inputs as the baseline. Also: A, B, A parameter sets (stages the
 * third run executes, with the run cache and with the output store), and where start-up goes.
 * The chain is measured again under Node 22 when it can be fetched (see node-runtime.ts).
 *
 *   npx tsx bench/noop.bench.ts
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { param } from "../src/dsl/params.js";
import { pipeline } from "../src/dsl/pipeline.js";
import { sh, t } from "../src/dsl/template.js";
import { plan as toPlan } from "../src/planner/plan.js";
import type { Manifest } from "../src/records/manifest.js";
import { builtCli } from "./built-cli.js";
import { dvcStages, writeMakefile, writeSnakefile } from "./noop-baselines.js";
import { nodeRuntime } from "./node-runtime.js";
import { pythonTool } from "./python-tools.js";

const BIN = builtCli();
const REPEAT = 3;
const NOOP_ROUNDS = 5;
const CHAIN = 100;
const FILES = 10_000;
const work = mkdtempSync(path.join(os.tmpdir(), "updraft-bench-noop-"));

function writePlan(name: string, p: ReturnType<typeof pipeline>): string {
  const result = toPlan(p);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("; "));
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(result.plan));
  return file;
}
const planFile = (name: string, build: Parameters<typeof pipeline>[2]) => writePlan(name, pipeline(name, {}, build));

/** Wall time of `updraft run FILE` in `work` (one runs directory, so earlier runs count), with its manifest. */
function updraft(file: string, extra: string[] = [], node = process.execPath): { ms: number; manifest: Manifest } {
  const runs = path.join(work, "runs");
  const before = new Set(readdirSync(runs));
  const started = performance.now();
  const r = spawnSync(node, [BIN, "run", file, "--runs-dir", runs, "-q", ...extra], {
    cwd: work,
    env: { ...process.env, NO_COLOR: "1" },
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`updraft run ${file} exited ${r.status}:\n${r.stderr}`);
  const id = readdirSync(runs).find((d) => !before.has(d) && !d.startsWith("."))!;
  return { ms, manifest: JSON.parse(readFileSync(path.join(runs, id, "manifest.json"), "utf8")) as Manifest };
}

function wall(cmd: string, args: string[]): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd: work, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = (f: () => number) => median(Array.from({ length: REPEAT }, f));
const executed = (m: Manifest) => m.stages.filter((s) => s.status === "success").length;
const restored = (m: Manifest) => m.stages.filter((s) => s.reason?.includes("restored from the output store")).length;

/** A no-op run's median wall time, and the most stages any measured run executed (0 expected). */
type Noop = { ms: number; ran: number };

/**
 * Median no-op times of several plans after two warm-up runs each (the second lets the stat cache
 * trust what the first hashed), measured in rounds that take each plan in turn, so that a change of
 * machine load between measurements falls on every plan alike.
 */
function noops(files: readonly string[], node = process.execPath): Noop[] {
  for (const file of files) updraft(file, [], node);
  spawnSync("sleep", ["2.1"]);
  for (const file of files) updraft(file, [], node);
  const rounds = Array.from({ length: NOOP_ROUNDS }, () => files.map((file) => updraft(file, [], node)));
  return files.map((_, i) => ({
    ms: median(rounds.map((r) => r[i]!.ms)),
    ran: Math.max(...rounds.map((r) => executed(r[i]!.manifest))),
  }));
}

mkdirSync(path.join(work, "runs"));
execFileSync("truncate", ["-s", "2G", path.join(work, "big.bin")]);
mkdirSync(path.join(work, "many"));
for (let i = 0; i < FILES; i++) writeFileSync(path.join(work, "many", `f${i}.txt`), `${i}\n`);

const loadBefore = os.loadavg()[0]!;
// Where start-up goes: node itself, then loading the CLI's modules, then a run that does nothing.
const nodeMs = timed(() => wall(process.execPath, ["-e", "0"]));
const versionMs = timed(() => wall(process.execPath, [BIN, "--version"]));
// `updraft run --help` loads the run command's modules (zod and the Plan schema, the planner, the local executor) and runs nothing.
const runModulesMs = timed(() => wall(process.execPath, [BIN, "run", "--help"]));
const none = planFile(
  "none",
  ({ stage }) => void stage("s", { command: sh`echo ok > none.out`, outputs: ["none.out"] }),
);
const bigPlan = planFile(
  "big",
  ({ stage }) => void stage("s", { command: sh`echo ok > big.out`, inputs: ["big.bin"], outputs: ["big.out"] }),
);
const manyPlan = planFile(
  "many",
  ({ stage }) => void stage("s", { command: sh`echo ok > many.out`, inputs: ["many"], outputs: ["many.out"] }),
);

const chainOf = ({ stage }: Parameters<Parameters<typeof pipeline>[2]>[0]) => {
  let prev: ReturnType<typeof stage> | null = null;
  for (let i = 0; i < CHAIN; i++)
    prev = stage(`c${i}`, {
      command: sh`echo ${String(i)} > c${String(i)}.out`,
      inputs: i > 0 ? [`c${i - 1}.out`] : [],
      outputs: [`c${i}.out`],
      dependsOn: prev ? [prev] : [],
    });
};
const chainPlan = planFile("chain", chainOf);
const [base, big, many, chain] = noops([none, bigPlan, manyPlan, chainPlan]) as [Noop, Noop, Noop, Noop];
// Node 22 keeps compiled code between runs (the bin turns that on); Node 20, which runs this, cannot.
const node22 = nodeRuntime(22);
const on22 = node22 && {
  ...node22,
  nodeMs: timed(() => wall(node22.bin, ["-e", "0"])),
  noops: noops([none, chainPlan], node22.bin) as [Noop, Noop],
};
writeMakefile(work, CHAIN);
const last = `c${CHAIN - 1}.mk.out`;
wall("make", ["-s", "big.out", "many.out", last]);
const makeBig = timed(() => wall("make", ["-s", "big.out"]));
const makeMany = timed(() => wall("make", ["-s", "many.out"]));
const makeChain = timed(() => wall("make", ["-s", last]));

const dvc = process.env.DVC_BIN ?? pythonTool("dvc");
let dvcBig: number | null = null;
let dvcMany: number | null = null;
if (dvc !== null) {
  wall(dvc, ["init", "--no-scm", "-q"]);
  for (const args of dvcStages()) wall(dvc, ["stage", "add", "-q", ...args]);
  wall(dvc, ["repro", "-q"]);
  wall(dvc, ["repro", "-q"]);
  dvcBig = timed(() => wall(dvc, ["repro", "-q", "big"]));
  dvcMany = timed(() => wall(dvc, ["repro", "-q", "many"]));
}

const snakemake = process.env.SNAKEMAKE_BIN ?? pythonTool("snakemake");
let snakeChain: number | null = null;
if (snakemake !== null) {
  writeSnakefile(work, CHAIN);
  const target = `c${CHAIN - 1}.smk.out`;
  wall(snakemake, [target, "-c1", "--quiet", "all"]);
  snakeChain = timed(() => wall(snakemake, [target, "-c1", "--quiet", "all"]));
}

/** A, B, A: the third run's executed and restored stages. `fixed`: outputs at the same paths for every run (`cache: true`). */
function aba(name: string, fixed: boolean): { ran: number; restored: number } {
  const file = writePlan(
    name,
    pipeline(name, { params: { run: param.string({ default: "r1" }) } }, ({ stage, params: p }) => {
      const dir = fixed ? t`${name}/out` : t`${name}/${p.run}`;
      const train = stage("train", {
        command: sh`mkdir -p ${dir}; echo ${p.run} > ${dir}/m`,
        outputs: [dir],
        cache: fixed,
      });
      stage("eval", {
        command: sh`cat ${dir}/m > ${dir}.txt`,
        inputs: [dir],
        outputs: [t`${dir}.txt`],
        dependsOn: [train],
        cache: fixed,
      });
    }),
  );
  updraft(file, ["--param", "run=r1"]);
  updraft(file, ["--param", "run=alt"]);
  const third = updraft(file, ["--param", "run=r1"]).manifest;
  return { ran: executed(third), restored: restored(third) };
}
const abaRuns = aba("aba", false);
const abaStore = aba("abastore", true);

const f = (n: number) => n.toFixed(0);
const ok = (good: boolean) => (good ? "yes" : "**no**");
const vs = (what: string, ms: number, d: number | null) =>
  d === null ? `${what} not installed` : `${what} ${f(d)} ms (${(d / ms).toFixed(1)}x updraft)`;
const above = (r: { ms: number }) => `${f(r.ms)} ms (+${f(r.ms - base.ms)} ms)`;
const lines = [
  "## No-op runs (`updraft run` with everything up to date)",
  "",
  `\`npx tsx bench/noop.bench.ts\` — through the compiled CLI (\`node dist/cli/bin.js run plan.json -q\`); medians of ${NOOP_ROUNDS} rounds, each running every plan once in turn, after two warm-up runs each (the run cache and stat cache filled). The large input is a 2 GB sparse file; the directory holds ${FILES.toLocaleString("en")} small files. \`make\` checks the directory as one prerequisite plus a stamp refreshed by \`find -newer\`; DVC: \`dvc repro -q <stage>\` in a \`dvc init --no-scm\` project with the same stages.`,
  "",
  "| figure | measured | target | within | baselines (same run) |",
  "|---|---|---|---|---|",
  `| no-op run, one 2 GB input, above a no-op run without inputs | ${above(big)} | ≤ +100 ms; ≥ 3x faster than DVC | ${ok(big.ms - base.ms <= 100 && (dvcBig === null || dvcBig >= 3 * big.ms))} | no inputs ${f(base.ms)} ms; \`make\` ${f(makeBig)} ms; ${vs("`dvc repro`", big.ms, dvcBig)} |`,
  `| no-op run, a ${FILES.toLocaleString("en")}-file input directory, above a no-op run without inputs | ${above(many)} | ≤ +100 ms; ≥ 3x faster than DVC | ${ok(many.ms - base.ms <= 100 && (dvcMany === null || dvcMany >= 3 * many.ms))} | no inputs ${f(base.ms)} ms; \`make\` ${f(makeMany)} ms; ${vs("`dvc repro`", many.ms, dvcMany)} |`,
  `| stages executed by the third of A, B, A param sets, outputs in a folder per param set (run cache) | ${abaRuns.ran} | 0 | ${ok(abaRuns.ran === 0)} | 2 stages each in A and B |`,
  `| stages executed by the third of A, B, A param sets, outputs at the same paths, \`cache: true\` (output store) | ${abaStore.ran} (${abaStore.restored} restored) | 0 | ${ok(abaStore.ran === 0)} | 2 stages each in A and B |`,
  `| no-op run of a ${CHAIN}-stage chain (plan.json) | ${f(chain.ms)} ms | ≤ 150 ms | ${ok(chain.ms <= 150)} | \`make\` ${f(makeChain)} ms; ${vs("Snakemake", chain.ms, snakeChain)} |`,
  on22
    ? `| the same chain under Node ${on22.version} (compiled code kept between runs) | ${f(on22.noops[1].ms)} ms | ≤ 150 ms | ${ok(on22.noops[1].ms <= 150)} | \`node -e 0\` ${f(on22.nodeMs)} ms; no-op without inputs ${f(on22.noops[0].ms)} ms (Node ${process.version}: ${f(nodeMs)} and ${f(base.ms)} ms) |`
    : "| the same chain under Node 22 | not measured: Node 22 could not be fetched | ≤ 150 ms | | |",
  "",
  `Where start-up goes (same run): \`node -e 0\` ${f(nodeMs)} ms; \`updraft --version\` (node plus the CLI's entry modules) ${f(versionMs)} ms; \`updraft run --help\` (the run command's modules loaded: zod and the Plan schema, the planner, the local executor; nothing run) ${f(runModulesMs)} ms; a no-op run of a one-stage plan without inputs ${f(base.ms)} ms. The rest of that run is validating the plan, checking the run cache and writing the run's records; a pipeline file written in TypeScript adds loading it through tsx (not measured here).`,
  "",
  `Executed stages in the measured no-op runs: ${big.ran + many.ran + chain.ran + (on22?.noops[1].ran ?? 0)} (0 expected). DVC: ${dvc ?? "not installed"}; Snakemake: ${snakemake ?? "not installed"}. Machine load (1-minute load average) ${loadBefore.toFixed(2)} before and ${os.loadavg()[0]!.toFixed(2)} after on ${os.cpus().length} cores, shared with other work: start-up times grow with it, the baselines show how much.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
rmSync(work, { recursive: true, force: true });
