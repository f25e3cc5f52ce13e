/**
 * The run cache: every successful execution remembered by fingerprint, apart from run directories,
 * so alternating parameter sets and `gc` do not force reruns; corrupt entries are never trusted.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh, t } from "../../../../src/dsl/template.js";
import { pruneCache } from "../../../../src/executors/local/skip/cache/prune.js";
import { counter, planOf, run, stageOf, tempDir } from "../helpers.js";

const twoRuns = planOf(
  pipeline("alternate", { params: { run: param.string({ default: "r1" }) } }, ({ stage, params: p }) => {
    const train = stage("train", {
      command: sh`echo x >> train.count; mkdir -p out/${p.run}; echo ${p.run} > out/${p.run}/model.bin`,
      outputs: [t`out/${p.run}`],
      gpu: 0,
    });
    stage("eval", {
      command: sh`echo x >> eval.count; cat out/${p.run}/model.bin > eval-${p.run}.txt`,
      inputs: [t`out/${p.run}`],
      outputs: [t`eval-${p.run}.txt`],
      dependsOn: [train],
    });
  }),
);

const counts = (dir: string) => ["train", "eval"].map((s) => counter(path.join(dir, `${s}.count`)));

describe("the run cache", () => {
  it("GIVEN param sets A, B WHEN A runs again THEN it executes zero stages, both output folders being intact", async () => {
    const dir = tempDir();
    const a = await run(twoRuns, dir, { run: "r1" });
    await run(twoRuns, dir, { run: "alt" });
    const again = await run(twoRuns, dir, { run: "r1" });
    expect(counts(dir)).toEqual([2, 2]);
    expect(again.stages.map((s) => s.status)).toEqual(["up_to_date", "up_to_date"]);
    expect(stageOf(again, "train").reason).toBe(
      `same command, params and inputs as run ${a.runId.slice(-6)}; its output is intact`,
    );
  });

  it("GIVEN the run cache removed WHEN it runs again with the outputs intact THEN the last run's records make the stages up to date, with that run's outputs", async () => {
    const dir = tempDir();
    const first = await run(twoRuns, dir, { run: "r1" });
    rmSync(path.join(dir, "cache"), { recursive: true });
    const again = await run(twoRuns, dir, { run: "r1" });
    expect(counts(dir)).toEqual([1, 1]);
    expect(again.stages.map((s) => s.status)).toEqual(["up_to_date", "up_to_date"]);
    expect(stageOf(again, "train").reason).toContain(`as run ${first.runId.slice(-6)}`);
    expect(again.stages.map((s) => s.outputs)).toEqual(first.stages.map((s) => s.outputs));
  });

  it("GIVEN every run directory removed (as gc does) WHEN it runs again THEN stages are still up to date", async () => {
    const dir = tempDir();
    await run(twoRuns, dir, { run: "r1" });
    rmSync(path.join(dir, "runs"), { recursive: true });
    const again = await run(twoRuns, dir, { run: "r1" });
    expect(again.stages.map((s) => s.status)).toEqual(["up_to_date", "up_to_date"]);
  });

  it("GIVEN a corrupt and a foreign cache entry WHEN it runs again THEN both are ignored with a warning and the stage reruns", async () => {
    const dir = tempDir();
    await run(twoRuns, dir, { run: "r1" });
    rmSync(path.join(dir, "runs"), { recursive: true });
    const top = path.join(dir, "cache", "runs");
    const entries = readdirSync(top, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    expect(entries).toHaveLength(2);
    writeFileSync(path.join(top, entries[0]!), '{"kind": "updraft-run-cache", "v": 1, "fingerp');
    writeFileSync(path.join(top, entries[1]!), JSON.stringify({ kind: "something-else" }));
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    let text = "";
    stream.on("data", (d: Buffer) => (text += d.toString()));
    const again = await run(twoRuns, dir, { run: "r1" }, { output: "plain", stream, summaryStream: new PassThrough() });
    expect(again.stages.map((s) => s.status)).toEqual(["success", "success"]);
    expect(text).toMatch(/ignored run cache entry .*: not valid JSON \(a torn or foreign file\)/);
    expect(text).toMatch(/ignored run cache entry .*: not an updraft run cache record/);
  });

  it("GIVEN two recorded param sets and one output overwritten WHEN the cache is pruned (gc --cache) THEN only the entries current outputs match stay", async () => {
    const dir = tempDir();
    await run(twoRuns, dir, { run: "r1" });
    await run(twoRuns, dir, { run: "alt" });
    writeFileSync(path.join(dir, "eval-r1.txt"), "overwritten\n");
    const dry = await pruneCache(path.join(dir, "cache"), { dryRun: true });
    expect([dry.kept, dry.removed.length]).toEqual([3, 1]);
    const done = await pruneCache(path.join(dir, "cache"), { dryRun: false });
    expect([done.kept, done.removed.length]).toEqual([3, 1]);
    const again = await run(twoRuns, dir, { run: "alt" });
    expect(again.stages.map((s) => s.status)).toEqual(["up_to_date", "up_to_date"]);
  });

  it("GIVEN stages up to date WHEN the run is repeated THEN the cache's latest-execution files are not rewritten", async () => {
    const dir = tempDir();
    const first = await run(twoRuns, dir, { run: "r1" });
    const last = readdirSync(path.join(dir, "cache", "last"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".json"))
      .map((f) => path.join(dir, "cache", "last", f));
    expect(last).toHaveLength(2);
    const before = last.map((f) => [statSync(f).ino, readFileSync(f, "utf8")]);
    await run(twoRuns, dir, { run: "r1" });
    expect(last.map((f) => [statSync(f).ino, readFileSync(f, "utf8")])).toEqual(before);
    expect(before.every(([, text]) => String(text).includes(first.runId))).toBe(true);
  });

  it("GIVEN a param change WHEN the stage runs THEN the reason names the param with old and new values", async () => {
    const dir = tempDir();
    await run(twoRuns, dir, { run: "r1" });
    const next = await run(
      twoRuns,
      dir,
      { run: "alt" },
      { output: "plain", explain: true, stream: sink(), summaryStream: sink() },
    );
    expect(next.stages.map((s) => s.status)).toEqual(["success", "success"]);
    expect(whyLines).toContain("train runs: param run changed (r1 -> alt)");
  });
});

let whyLines: string[] = [];
function sink(): PassThrough & { isTTY: boolean } {
  whyLines = [];
  const s = Object.assign(new PassThrough(), { isTTY: false });
  s.on("data", (d: Buffer) => {
    for (const line of d.toString().split("\n")) if (line.includes(" runs: ")) whyLines.push(line.replace(/^\S+ /, ""));
  });
  return s;
}
