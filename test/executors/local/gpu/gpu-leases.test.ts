/**
 * GPU leases: CUDA_VISIBLE_DEVICES set to the leased indices, stages sharing a slot never overlap,
 * a waiting stage says for whom it waits, a dead holder's lease is reclaimed, and no GPU is a
 * clear error before anything runs.
 */
import { spawnSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import { planOf, run, stageOf, tempDir } from "../helpers.js";

const gpuPair = planOf(
  pipeline("gpus", {}, ({ stage }) => {
    for (const id of ["g1", "g2"]) {
      stage(id, {
        gpu: 1,
        command: sh`echo "$CUDA_VISIBLE_DEVICES" > ${id}.dev; echo "start $(date +%s%3N)" > ${id}.t; sleep 0.3; echo "end $(date +%s%3N)" >> ${id}.t`,
      });
    }
  }),
);

function span(dir: string, id: string): [number, number] {
  const [s, e] = readFileSync(path.join(dir, `${id}.t`), "utf8")
    .trim()
    .split("\n")
    .map((l) => Number(l.split(" ")[1]));
  return [s!, e!];
}

function capture(): { stream: NodeJS.WritableStream; text: () => string } {
  const parts: string[] = [];
  return {
    stream: { write: (t: string) => parts.push(t) } as unknown as NodeJS.WritableStream,
    text: () => parts.join(""),
  };
}

function writeLease(dir: string, gpu: number, holder: Record<string, unknown>): void {
  mkdirSync(path.join(dir, "locks"), { recursive: true });
  writeFileSync(
    path.join(dir, "locks", `gpu-${gpu}.lock`),
    JSON.stringify({ host: os.hostname(), since: new Date().toISOString(), pidStart: null, childPid: null, ...holder }),
  );
}

describe("GPU leases", () => {
  it("GIVEN two GPU stages and 2 GPUs WHEN they run THEN they run side by side on different devices", async () => {
    const dir = tempDir();
    const m = await run(gpuPair, dir, {}, { gpus: 2 });
    const devs = ["g1", "g2"].map((id) => readFileSync(path.join(dir, `${id}.dev`), "utf8").trim()).sort();
    expect(devs).toEqual(["0", "1"]);
    expect(m.stages.flatMap((s) => s.attempts[0]!.gpus).sort()).toEqual([0, 1]);
    const [a, b] = [span(dir, "g1"), span(dir, "g2")];
    expect(a[0] < b[1] && b[0] < a[1]).toBe(true);
  });

  it("GIVEN two GPU stages and 1 GPU WHEN they run THEN they never overlap and the second reports whom it waited for", async () => {
    const dir = tempDir();
    const out = capture();
    const m = await run(gpuPair, dir, {}, { gpus: 1, output: "plain", stream: out.stream, summaryStream: out.stream });
    const [a, b] = [span(dir, "g1"), span(dir, "g2")].sort((x, y) => x[0] - y[0]);
    expect(a![1]).toBeLessThanOrEqual(b![0]);
    const waited = m.stages.map((s) => s.attempts[0]!).sort((x, y) => x.gpuWaitMs - y.gpuWaitMs);
    expect(waited[1]!.gpuWaitMs).toBeGreaterThan(150);
    expect(out.text()).toMatch(
      new RegExp(`g[12] waiting for a GPU: GPU 0 held by run ${m.runId}, stage g[12], pid \\d+`),
    );
  });

  it("GIVEN a lease left by a dead process WHEN a GPU stage starts THEN the lease is reclaimed at once", async () => {
    const dir = tempDir();
    const dead = spawnSync("true").pid!;
    writeLease(dir, 0, { pid: dead, runId: "old-run", stage: "train" });
    const one = planOf(
      pipeline("one", {}, ({ stage }) => {
        stage("g", { gpu: 1, command: ["true"] });
      }),
    );
    const m = await run(one, dir, {}, { gpus: 1 });
    expect(stageOf(m, "g").attempts[0]).toMatchObject({ outcome: "success", gpus: [0] });
    // Not reclaimed, it would wait for ever; "at once" is no wait for a holder, with room for a busy machine.
    expect(stageOf(m, "g").attempts[0]!.gpuWaitMs).toBeLessThan(5000);
  });

  it("GIVEN a lease held by a live process WHEN a GPU stage starts THEN it waits until that process is gone", async () => {
    const dir = tempDir();
    const holder = spawn("sleep", ["30"]);
    writeLease(dir, 0, { pid: holder.pid, runId: "other-run", stage: "train" });
    const out = capture();
    // The holder ends 300 ms after the stage says it waits, so it is alive when the stage starts, however busy the machine.
    let waitSeenAt = 0;
    const stream = {
      write: (t: string) => {
        if (!waitSeenAt && t.includes("waiting for a GPU")) {
          waitSeenAt = Date.now();
          setTimeout(() => holder.kill(), 300);
        }
        return out.stream.write(t);
      },
    } as unknown as NodeJS.WritableStream;
    const one = planOf(
      pipeline("one", {}, ({ stage }) => {
        stage("g", { gpu: 1, command: ["true"] });
      }),
    );
    const m = await run(one, dir, {}, { gpus: 1, output: "plain", stream, summaryStream: stream });
    const attempt = stageOf(m, "g").attempts[0]!;
    expect(attempt.gpuWaitMs).toBeGreaterThanOrEqual(300);
    expect(Date.parse(attempt.start)).toBeGreaterThanOrEqual(waitSeenAt + 300);
    expect(out.text()).toContain(`g waiting for a GPU: GPU 0 held by run other-run, stage train, pid ${holder.pid}`);
  });

  it("GIVEN a lease whose runner died before it named the stage process WHEN another run wants the GPU THEN it waits until the orphaned stage is gone", async () => {
    const dir = tempDir();
    const dead = spawnSync("true").pid!;
    // The state a runner killed right after starting a GPU stage leaves: runner dead, childPid null,
    // the stage still running (in a group of its own, carrying the run's marker variables).
    writeLease(dir, 0, { pid: dead, runId: "crashed-run", stage: "train", childPid: null });
    const orphan = spawn("sleep", ["1.5"], {
      detached: true,
      env: { ...process.env, UPDRAFT_RUN_ID: "crashed-run", UPDRAFT_STAGE: "train", UPDRAFT_ATTEMPT: "1" },
    });
    const ended = new Promise<number>((resolve) => orphan.once("exit", () => resolve(Date.now())));
    const one = planOf(
      pipeline("one", {}, ({ stage }) => {
        stage("g", { gpu: 1, command: sh`echo "start $(date +%s%3N)" > g.t` });
      }),
    );
    const m = await run(one, dir, {}, { gpus: 1 });
    const orphanEnd = await ended;
    expect(stageOf(m, "g").attempts[0]!.gpuWaitMs).toBeGreaterThan(1000);
    const started = Number(readFileSync(path.join(dir, "g.t"), "utf8").split(" ")[1]);
    expect(started).toBeGreaterThanOrEqual(orphanEnd - 50);
  });

  it("GIVEN a GPU stage WHEN no GPU is found THEN the run fails before anything runs with a hint", async () => {
    const dir = tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: "/nonexistent" };
    delete env.UPDRAFT_GPUS;
    const error = await run(gpuPair, dir, {}, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunSetupError);
    expect((error as Error).message).toBe('stage "g1" needs 1 GPU, but no GPU was found (nvidia-smi -L)');
    expect((error as RunSetupError).hint).toContain("--gpus N or UPDRAFT_GPUS=N");
    const fromEnv = await run(gpuPair, dir, {}, { env: { ...process.env, UPDRAFT_GPUS: "0" } }).catch(
      (e: unknown) => e,
    );
    expect((fromEnv as Error).message).toBe('stage "g1" needs 1 GPU, but no GPU was found (UPDRAFT_GPUS)');
  });

  it("GIVEN gpu: p.gpus WHEN run with gpus 3 of 3 THEN the stage leases three devices; with 4, or 0, it fails before anything runs", async () => {
    const counted = planOf(
      pipeline("counted", { params: { gpus: param.int({ default: 1 }) } }, ({ stage, params: p }) => {
        stage("train", { gpu: p.gpus, command: sh`echo "$CUDA_VISIBLE_DEVICES" > train.dev` });
      }),
    );
    const dir = tempDir();
    const m = await run(counted, dir, { gpus: 3 }, { gpus: 3 });
    expect(readFileSync(path.join(dir, "train.dev"), "utf8")).toBe("0,1,2\n");
    expect(stageOf(m, "train").attempts[0]!.gpus).toEqual([0, 1, 2]);
    const tooMany = await run(counted, dir, { gpus: 4 }, { gpus: 3 }).catch((e: unknown) => e);
    expect((tooMany as Error).message).toBe('stage "train" needs 4 GPUs, but only 3 GPUs (--gpus)');
    const zero = await run(counted, dir, { gpus: 0 }, { gpus: 3 }).catch((e: unknown) => e);
    expect(zero).toBeInstanceOf(RunSetupError);
    expect((zero as Error).message).toBe('stage "train" takes its GPU count from parameter "gpus", which is 0');
  });
});
