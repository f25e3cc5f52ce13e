/**
 * The local executor's own cost, measured through the real CLI (`updraft run plan.json`):
 * overhead per stage on 1,000 chained `true` stages (minus the start-up time of a 1-stage run),
 * beside a plain shell loop and `make` running the same commands; 64 independent 0.2 s stages at
 * concurrency 8, beside `xargs -P 8`; and the runner's peak RSS on the 1,000-stage run.
 *
 *   npx tsx bench/executor.bench.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "../src/dsl/pipeline.js";
import { sh } from "../src/dsl/template.js";
import { plan as toPlan } from "../src/planner/plan.js";
import type { Manifest } from "../src/records/manifest.js";
import { builtCli } from "./built-cli.js";

const BIN = builtCli();
const CHAIN = 1000;
const REPEAT = 5;
const work = mkdtempSync(path.join(os.tmpdir(), "updraft-bench-exec-"));

function planFile(name: string, build: Parameters<typeof pipeline>[2]): string {
  const result = toPlan(pipeline(name, {}, build));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("; "));
  const file = path.join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify(result.plan));
  return file;
}

const chain = (n: number) =>
  planFile(`chain-${n}`, ({ stage }) => {
    let prev: ReturnType<typeof stage> | null = null;
    for (let i = 0; i < n; i++) prev = stage(`s${i}`, { command: ["true"], dependsOn: prev ? [prev] : [] });
  });
const wide = planFile("wide-64", ({ stage }) => {
  for (let i = 0; i < 64; i++) stage(`s${i}`, { command: sh`sleep 0.2` });
});

// Writes the runner's peak RSS to $RSS_OUT when it exits.
const probe = path.join(work, "rss-probe.mjs");
writeFileSync(
  probe,
  `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => { if (process.env.RSS_OUT) writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS)); });\n`,
);

/** Wall time of `updraft run FILE` in a fresh runs directory, with the run's manifest and peak RSS. */
function updraft(file: string, extra: string[] = []): { ms: number; manifest: Manifest; rssKb: number } {
  const runs = mkdtempSync(path.join(work, "runs-"));
  const rss = path.join(runs, "rss");
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", probe, BIN, "run", file, "--runs-dir", runs, ...extra], {
    cwd: work,
    env: { ...process.env, RSS_OUT: rss, NO_COLOR: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`updraft run ${file} exited ${r.status}:\n${r.stderr}`);
  const id = readdirSync(runs).find((d) => d !== "rss" && !d.startsWith("."))!;
  const manifest = JSON.parse(readFileSync(path.join(runs, id, "manifest.json"), "utf8")) as Manifest;
  return { ms, manifest, rssKb: Number(readFileSync(rss, "utf8")) };
}

function wall(cmd: string, args: string[], cwd = work): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const repeat = <T>(f: () => T) => Array.from({ length: REPEAT }, f);

function makefile(n: number): string {
  const file = path.join(work, `chain-${n}.mk`);
  const rules = Array.from({ length: n }, (_, i) => `s${i}:${i > 0 ? ` s${i - 1}` : ""}\n\t@true\n`);
  writeFileSync(file, `.PHONY: ${Array.from({ length: n }, (_, i) => `s${i}`).join(" ")}\n${rules.join("")}`);
  return file;
}

const loadBefore = os.loadavg()[0]!;
const chainFile = chain(CHAIN);
const oneFile = chain(1);
const big = repeat(() => updraft(chainFile));
const one = repeat(() => updraft(oneFile));
const perStage = (median(big.map((b) => b.ms)) - median(one.map((o) => o.ms))) / (CHAIN - 1);
const shellPerStage =
  median(repeat(() => wall("bash", ["-c", `for i in $(seq ${CHAIN}); do /usr/bin/true; done`]))) / CHAIN;
// The floor for any runner written for node: a bare node process starting the same processes
// one after another (detached, output appended to a file), as updraft's process starter does.
const spawnLoop = path.join(work, "spawn-loop.cjs");
writeFileSync(
  spawnLoop,
  `const { spawn } = require("node:child_process");
const { openSync, closeSync } = require("node:fs");
let left = Number(process.argv[2]);
const next = () => {
  if (left-- === 0) return;
  const fd = openSync(process.argv[3], "a");
  const child = spawn("true", [], { detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  child.on("exit", next);
};
next();
`,
);
const spawnLog = path.join(work, "spawn-loop.log");
const nodePerStage =
  (median(repeat(() => wall(process.execPath, [spawnLoop, String(CHAIN), spawnLog]))) -
    median(repeat(() => wall(process.execPath, [spawnLoop, "1", spawnLog])))) /
  (CHAIN - 1);
const mk = [makefile(CHAIN), makefile(1)];
const makePerStage =
  (median(repeat(() => wall("make", ["-s", "-f", mk[0]!, `s${CHAIN - 1}`]))) -
    median(repeat(() => wall("make", ["-s", "-f", mk[1]!, "s0"])))) /
  (CHAIN - 1);
const peakMb = Math.max(...big.map((b) => b.rssKb)) / 1024;

const wideRuns = repeat(() => updraft(wide, ["--concurrency", "8"]));
const runSpan = (m: Manifest) => Date.parse(m.end!) - Date.parse(m.start);
const wideMs = median(wideRuns.map((w) => runSpan(w.manifest)));
const xargsMs = median(repeat(() => wall("bash", ["-c", "seq 64 | xargs -P 8 -I{} sleep 0.2"])));

const ok = (good: boolean) => (good ? "yes" : "**no**");
const f = (n: number, d = 2) => n.toFixed(d);
const lines = [
  "## Local executor (`updraft run`)",
  "",
  "`npx tsx bench/executor.bench.ts` — through the built CLI as npm installs it (`node dist/cli/bin.js run plan.json`), plain output to a pipe, a fresh runs directory each time; medians of " +
    REPEAT +
    " runs.",
  "",
  "| figure | measured | target | within | baseline (same run) |",
  "|---|---|---|---|---|",
  `| overhead per stage, ${CHAIN} chained \`true\` stages (run time minus a 1-stage run, per stage) | ${f(perStage)} ms | ≤ 3 ms | ${ok(perStage <= 3)} | shell loop ${f(shellPerStage)} ms/stage; \`make\` ${f(makePerStage)} ms/stage; node spawning them in turn ${f(nodePerStage)} ms/stage |`,
  `| ${CHAIN}-stage run, wall time (1-stage run: start-up) | ${f(median(big.map((b) => b.ms)) / 1000)} s | | | 1-stage run ${f(median(one.map((o) => o.ms)) / 1000)} s |`,
  `| 64 independent \`sleep 0.2\` stages at concurrency 8 (manifest start to end) | ${f(wideMs / 1000, 3)} s | 1.6 s ± 10% (≤ 1.76 s) | ${ok(wideMs <= 1760)} | \`xargs -P 8\` ${f(xargsMs / 1000, 3)} s |`,
  `| peak RSS of the runner, ${CHAIN}-stage run | ${f(peakMb, 1)} MB | < 150 MB | ${ok(peakMb < 150)} | 1-stage run ${f(Math.max(...one.map((o) => o.rssKb)) / 1024, 1)} MB |`,
  "",
  `Machine load (1-minute load average) ${f(loadBefore)} before and ${f(os.loadavg()[0]!)} after on ${os.cpus().length} cores: fork and exec costs, and so these figures, grow with it; the shell and \`make\` baselines show how much. "node spawning them in turn" is a bare node process starting the 1000 \`true\` processes one after another, as updraft's process starter does: no runner that starts processes from node goes below it.`,
  "",
  `Manifest of the ${CHAIN}-stage run: ${Math.round(JSON.stringify(big[0]!.manifest).length / 1024)} KiB, rewritten atomically (temp file, fsync, rename, fsync dir) as stages change; changes less than 50 ms apart share one write, and progress lines are printed only after the write that records them.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
rmSync(work, { recursive: true, force: true });
