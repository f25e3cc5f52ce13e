/**
 * Outputs: recorded with size and sha256; a stage that exits 0 without a declared output fails
 * with "missing output: PATH" and is not retried.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { counter, planOf, run, stageOf, tempDir } from "../helpers.js";

describe("outputs", () => {
  it("GIVEN a stage that writes its outputs WHEN it succeeds THEN each output is recorded with size and sha256", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("outs", {}, ({ stage }) => {
        stage("write", {
          command: sh`mkdir -p out/model && printf abc > out/a.txt && printf w > out/model/w.bin`,
          outputs: ["out/a.txt", "out/model"],
        });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "write");
    expect(s.status).toBe("success");
    const sha = createHash("sha256")
      .update(readFileSync(path.join(dir, "out/a.txt")))
      .digest("hex");
    expect(s.outputs[0]).toEqual({ path: "out/a.txt", size: 3, sha256: sha });
    expect(s.outputs[1]).toMatchObject({ path: "out/model", size: 1 });
  });

  it("GIVEN an output directory holding a link to itself WHEN it is recorded THEN the link is hashed by its target, not followed", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("loop", {}, ({ stage }) => {
        stage("ckpt", {
          command: sh`mkdir -p ckpt && printf w > ckpt/rwkv-1.pth && ln -sfn . ckpt/latest`,
          outputs: ["ckpt"],
        });
      }),
    );
    const m = await run(plan, dir);
    expect(stageOf(m, "ckpt").status).toBe("success");
    expect(stageOf(m, "ckpt").outputs[0]).toMatchObject({ path: "ckpt", size: 1 });
  });

  it("GIVEN a stage that exits 0 without its output WHEN it runs with retries THEN it fails once with missing output", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("lazy", {}, ({ stage }) => {
        const lazy = stage("lazy", {
          command: sh`echo x >> count`,
          outputs: ["out/model.pth"],
          retry: { retries: 2, delay: "0.01s" },
        });
        stage("after", { command: ["true"], dependsOn: [lazy] });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "lazy");
    expect(s.status).toBe("failed");
    expect(s.reason).toBe("missing output: out/model.pth");
    expect(s.attempts.map((a) => [a.outcome, a.exitCode])).toEqual([["missing-output", 0]]);
    expect(counter(path.join(dir, "count"))).toBe(1);
    expect(stageOf(m, "after")).toMatchObject({ status: "upstream_failed", reason: "lazy failed" });
  });

  it("GIVEN a stage working in a sub-directory WHEN its outputs are recorded THEN paths are relative to where the run started", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("sub", {}, ({ stage }) => {
        const mk = stage("mk", { command: ["mkdir", "-p", "work"] });
        stage("inside", { command: sh`printf x > result.txt`, cwd: "work", outputs: ["result.txt"], dependsOn: [mk] });
      }),
    );
    const m = await run(plan, dir);
    expect(stageOf(m, "inside").outputs.map((o) => o.path)).toEqual(["work/result.txt"]);
  });

  it("GIVEN a working directory that does not exist WHEN the stage starts THEN it fails clearly without an attempt", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("nocwd", {}, ({ stage }) => {
        stage("lost", { command: ["true"], cwd: "no/such/dir" });
      }),
    );
    const m = await run(plan, dir);
    expect(stageOf(m, "lost")).toMatchObject({
      status: "failed",
      reason: "working directory does not exist: no/such/dir",
      attempts: [],
    });
  });
});
