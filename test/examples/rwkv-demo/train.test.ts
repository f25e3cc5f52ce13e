import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../../examples/rwkv-demo/src/checkpoints.js";
import { classifyTrainFailure } from "../../../examples/rwkv-demo/src/rwkv-train.js";
import { DATA, hasStack, prepare, tempDir, tool, train } from "./helpers.js";

// train.py's train_log.txt line: epoch, loss (.6f), exp(loss) (.4f), lr (.8f), str(datetime.now()), epoch in this launch.
const LOG_LINE = /^(\d+) (\d+\.\d{6}) (\d+\.\d{4}) (\d+\.\d{8}) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} (\d+)$/;

describe("the stand-in trainer (an n-gram model over RWKV World ids, not RWKV)", () => {
  const dir = tempDir();
  beforeAll(async () => {
    expect((await prepare(dir)).code).toBe(0);
  }, 600_000); // the tools start Python and tsx: slow on a busy shared machine

  it("GIVEN fail_once WHEN the first attempt runs THEN it dies by SIGKILL after its second checkpoint, and the retry resumes from it to the end", async () => {
    const proj = path.join(dir, "proj");
    const env = { UPDRAFT_RUN_ID: "run-a" };
    const first = await train(dir, ["--fail-once", "true"], proj, env);
    expect(first.signal).toBe("SIGKILL");
    expect(first.stderr).toContain("fail_once: killing this attempt after rwkv-1.pth");
    expect(existsSync(path.join(proj, "rwkv-1.pth"))).toBe(true);
    expect(existsSync(path.join(proj, "rwkv-final.pth"))).toBe(false);

    const second = await train(dir, ["--fail-once", "true"], proj, env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`resuming from ${path.join(proj, "rwkv-1.pth")}`);
    expect(existsSync(path.join(proj, "rwkv-final.pth"))).toBe(true);

    const log = readFileSync(path.join(proj, "train_log.txt"), "utf8").trim().split("\n");
    expect(log.filter((l) => l.startsWith("NEW RUN "))).toHaveLength(2);
    const epochs = log.filter((l) => LOG_LINE.test(l)).map((l) => LOG_LINE.exec(l)!);
    expect(epochs.map((m) => Number(m[1]))).toEqual(epochs.map((_, i) => i));
    for (const m of epochs) expect(Number(m[3])).toBeCloseTo(Math.exp(Number(m[2])), 3);
    expect(Number(epochs.at(-1)![2])).toBeLessThan(Number(epochs[0]![2]));
  });

  it("GIVEN the same data without a crash WHEN trained THEN the model equals the resumed one: resumption loses and repeats nothing", async () => {
    const clean = path.join(dir, "proj-clean");
    expect((await train(dir, [], clean)).code).toBe(0);
    const resumed = loadCheckpoint(path.join(dir, "proj", "rwkv-final.pth"));
    const straight = loadCheckpoint(path.join(clean, "rwkv-final.pth"));
    expect(straight.model.tokensSeen).toBeGreaterThan(0);
    expect(resumed.model.toState()).toEqual(straight.model.toState());
    expect(resumed.meta).toEqual(straight.meta);
  });

  it("GIVEN a project directory trained on other data WHEN training starts THEN it refuses with exit 4 instead of resuming", async () => {
    const other = tempDir();
    expect((await prepare(other, path.join(DATA, "bad.jsonl"))).code).toBe(0);
    const r = await train(other, [], path.join(dir, "proj-clean"));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("holds checkpoints trained on other data");
    expect(hasStack(r.stderr)).toBe(false);
  });

  it("GIVEN settings train.py would assert on WHEN training starts THEN exit 4 (configuration), never a retryable code", async () => {
    const ctx = await tool("train", [
      "--profile",
      "demo",
      "--data",
      path.join(dir, "data"),
      "--proj-dir",
      path.join(dir, "p2"),
      "--base-model",
      "0",
      "--ctx-len",
      "256",
    ]);
    expect(ctx.code).toBe(4);
    expect(ctx.stderr).toContain("ctx_len 256 differs from the 512 the data was prepared for");
    const bsz = await train(dir, ["--micro-bsz", "11"], path.join(dir, "p3"));
    expect(bsz.code).toBe(4);
    expect(bsz.stderr).toContain("AssertionError (as in train.py): 40320 is not divisible by micro_bsz 11");
  });

  it("GIVEN real torch weights as the base model WHEN profile=demo trains THEN exit 4 says the stand-in cannot read them", async () => {
    const torch = path.join(dir, "real.pth");
    writeFileSync(torch, Buffer.from("PK\u0003\u0004 not really a zip"));
    const r = await tool("train", [
      "--profile",
      "demo",
      "--data",
      path.join(dir, "data"),
      "--proj-dir",
      path.join(dir, "p4"),
      "--base-model",
      torch,
      "--ctx-len",
      "512",
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("is a torch checkpoint (real RWKV weights)");
  });

  it("GIVEN profile=rwkv without an RWKV-LM checkout WHEN training starts THEN it fails at once with exit 4 and says what is missing", async () => {
    const r = await tool("train", [
      "--profile",
      "rwkv",
      "--data",
      path.join(dir, "data"),
      "--proj-dir",
      path.join(dir, "p5"),
      "--base-model",
      "/nonexistent/base.pth",
      "--ctx-len",
      "512",
      "--rwkv-dir",
      path.join(dir, "no-checkout"),
    ]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`no RWKV-LM checkout at ${path.join(dir, "no-checkout")}`);
    expect(r.stderr).toContain("base model /nonexistent/base.pth does not exist");
    expect(hasStack(r.stderr)).toBe(false);
  });
});

describe("how a train.py run ended, as an exit code", () => {
  it("GIVEN the ways train.py stops WHEN classified THEN kills and CUDA OOM are retryable, assertions and setup errors are not", () => {
    expect(classifyTrainFailure(0, null, "")).toBeNull();
    expect(classifyTrainFailure(null, "SIGKILL", "")?.exitCode).toBe(137);
    expect(
      classifyTrainFailure(1, null, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate")?.exitCode,
    ).toBe(75);
    expect(classifyTrainFailure(1, null, "    assert args.magic_prime % 3 == 2\nAssertionError")?.exitCode).toBe(4);
    expect(
      classifyTrainFailure(
        1,
        null,
        "RuntimeError: Error(s) in loading state_dict for RWKV:\n\tsize mismatch for emb.weight",
      )?.exitCode,
    ).toBe(4);
    expect(classifyTrainFailure(1, null, "something else")?.exitCode).toBe(1);
  });
});
