/**
 * The output store (`cache: true`): returning to a parameter set restores the outputs it wrote to
 * the same paths instead of running the stage again; objects are copies (reflinks where the file
 * system can), so a later in-place write to an output never reaches the store; a corrupt object is
 * never restored; `gc --cache` keeps only the objects current outputs are.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { pruneCache } from "../../../../src/executors/local/skip/cache/prune.js";
import { planStatus } from "../../../../src/executors/local/status.js";
import { counter, planOf, run, stageOf, tempDir } from "../helpers.js";

/** Outputs at fixed paths whatever `lr` is: the case the run cache alone cannot skip. */
const sweep = (cache: boolean) =>
  planOf(
    pipeline("sweep", { params: { lr: param.string({ default: "a" }) } }, ({ stage, params: p }) => {
      const train = stage("train", {
        command: sh`echo x >> train.count; mkdir -p ckpt; echo "model ${p.lr}" > model.bin; echo "step ${p.lr}" > ckpt/step.txt; echo "${p.lr}" > part-${p.lr}.csv`,
        outputs: ["model.bin", "ckpt", "part-*.csv"],
        cache,
      });
      stage("eval", {
        command: sh`echo x >> eval.count; cat model.bin > score.txt`,
        inputs: ["model.bin"],
        outputs: ["score.txt"],
        dependsOn: [train],
        cache,
      });
    }),
  );

const counts = (dir: string) => ["train", "eval"].map((s) => counter(path.join(dir, `${s}.count`)));
const read = (dir: string, f: string) => readFileSync(path.join(dir, f), "utf8");
const quiet = () => ({ output: "plain" as const, stream: new PassThrough(), summaryStream: new PassThrough() });

function objectFiles(dir: string): string[] {
  const objects = path.join(dir, "cache", "objects");
  return existsSync(objects) ? readdirSync(objects, { recursive: true, encoding: "utf8" }) : [];
}

describe("the output store", () => {
  it("GIVEN param sets A, B, A on outputs at fixed paths WHEN the third run starts THEN it executes zero stages and A's outputs are back", async () => {
    const dir = tempDir();
    const plan = sweep(true);
    const a = await run(plan, dir, { lr: "a" }, quiet());
    await run(plan, dir, { lr: "b" }, quiet());
    expect(read(dir, "model.bin")).toBe("model b\n");
    const again = await run(plan, dir, { lr: "a" }, quiet());
    expect(counts(dir)).toEqual([2, 2]);
    expect(again.stages.map((s) => s.status)).toEqual(["up_to_date", "up_to_date"]);
    expect(stageOf(again, "train").reason).toBe(
      `same command, params and inputs as run ${a.runId}; all 3 outputs restored from the output store`,
    );
    expect(read(dir, "model.bin")).toBe("model a\n");
    expect(read(dir, "ckpt/step.txt")).toBe("step a\n");
    expect(read(dir, "score.txt")).toBe("model a\n");
    // The glob output is the files A wrote: B's file is gone, A's is back.
    expect(readdirSync(dir).filter((f) => f.startsWith("part-"))).toEqual(["part-a.csv"]);
  });

  it("GIVEN the same pipeline without cache: true WHEN A, B, A run THEN the third run executes both stages again", async () => {
    const dir = tempDir();
    const plan = sweep(false);
    for (const lr of ["a", "b", "a"]) await run(plan, dir, { lr }, quiet());
    expect(counts(dir)).toEqual([3, 3]);
    expect(objectFiles(dir)).toEqual([]);
  });

  it("GIVEN a restored output rewritten in place (same inode) WHEN A runs again after B THEN the store still restores A's bytes", async () => {
    const dir = tempDir();
    const plan = sweep(true);
    await run(plan, dir, { lr: "a" }, quiet());
    await run(plan, dir, { lr: "b" }, quiet());
    await run(plan, dir, { lr: "a" }, quiet());
    const before = statSync(path.join(dir, "model.bin")).ino;
    // What `> model.bin` in a stage does: truncate and write the same inode.
    writeFileSync(path.join(dir, "model.bin"), "scribbled over\n", { flag: "r+" });
    expect(statSync(path.join(dir, "model.bin")).ino).toBe(before);
    await run(plan, dir, { lr: "b" }, quiet());
    const third = await run(plan, dir, { lr: "a" }, quiet());
    expect(read(dir, "model.bin")).toBe("model a\n");
    expect(stageOf(third, "train").status).toBe("up_to_date");
    expect(counts(dir)).toEqual([2, 2]);
  });

  it("GIVEN a store object changed behind updraft's back WHEN its param set returns THEN it is deleted with a warning and the stage runs", async () => {
    const dir = tempDir();
    const plan = sweep(true);
    await run(plan, dir, { lr: "a" }, quiet());
    const store = path.join(dir, "cache", "objects");
    const modelObject = objectFiles(dir)
      .map((f) => path.join(store, f))
      .find((f) => statSync(f).isFile() && readFileSync(f, "utf8") === "model a\n")!;
    writeFileSync(modelObject, "model tampered\n");
    await run(plan, dir, { lr: "b" }, quiet());
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    let text = "";
    stream.on("data", (d: Buffer) => (text += d.toString()));
    const again = await run(plan, dir, { lr: "a" }, { output: "plain", stream, summaryStream: new PassThrough() });
    expect(stageOf(again, "train").status).toBe("success");
    expect(read(dir, "model.bin")).toBe("model a\n");
    expect(text).toContain(`deleted output store object ${modelObject}: its content no longer matches its hash`);
  });

  it("GIVEN A then B stored WHEN status asks for A THEN it says a run restores A's outputs, and writes nothing", async () => {
    const dir = tempDir();
    const plan = sweep(true);
    const a = await run(plan, dir, { lr: "a" }, quiet());
    await run(plan, dir, { lr: "b" }, quiet());
    const { stages } = await planStatus(plan, { lr: "a" }, { cwd: dir, runsDir: "runs", cacheDir: "cache" });
    expect(stages[0]).toEqual({
      stage: "train",
      state: "up_to_date",
      reasons: [`same command, params and inputs as run ${a.runId}; a run restores its outputs from the output store`],
    });
    expect(read(dir, "model.bin")).toBe("model b\n");
  });

  it("GIVEN objects of A and B with B's outputs on disk WHEN gc --cache prunes THEN A's objects go and B's stay, so B still skips", async () => {
    const dir = tempDir();
    const plan = sweep(true);
    await run(plan, dir, { lr: "a" }, quiet());
    await run(plan, dir, { lr: "b" }, quiet());
    const dry = await pruneCache(path.join(dir, "cache"), { dryRun: true });
    expect(dry.objectsRemoved).toBe(3); // model.bin and score.txt hold the same bytes: one object
    expect(dry.bytesFreed).toBe("model a\n".length + "step a\n".length + "a\n".length);
    const before = objectFiles(dir).length;
    const done = await pruneCache(path.join(dir, "cache"), { dryRun: false });
    expect(done.objectsRemoved).toBe(3);
    expect(objectFiles(dir).length).toBeLessThan(before);
    const again = await run(plan, dir, { lr: "b" }, quiet());
    expect(again.stages.map((s) => s.status)).toEqual(["up_to_date", "up_to_date"]);
    const back = await run(plan, dir, { lr: "a" }, quiet());
    expect(stageOf(back, "train").status).toBe("success");
  });
});
