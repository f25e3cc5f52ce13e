import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { GpuPool } from "../../../src/executors/local/gpu/gpu-leases.js";
import { FileHasher } from "../../../src/executors/local/skip/file-hash.js";
import type { Template } from "../../../src/index.js";
import { resolveTemplate } from "../../../src/planner/template.js";

/**
 * The runtime (python/updraft_airflow, the package every DAG file embeds), run by python3 against the
 * TypeScript side: its text conversion against the planner's, its GPU leases against the local
 * executor's. Those modules need no Airflow.
 */
const PACKAGE_DIR = path.resolve(import.meta.dirname, "../../../python");
const PRELUDE = [
  "import json, sys, time",
  `sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`,
  "from updraft_airflow.records import js_text, resolve",
  "from updraft_airflow.gpu import NoGpu, lease_gpus, release_gpus",
].join("\n");

async function python(code: string, env: Record<string, string> = {}): Promise<string> {
  const r = await execa("python3", ["-c", `${PRELUDE}\n${code}`], { env, extendEnv: true });
  return String(r.stdout);
}

describe("generated runtime: parameter values as text", () => {
  it("GIVEN numbers, booleans and strings WHEN written by js_text THEN the text equals JavaScript's String(value)", async () => {
    const values = [
      ...fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 400 * inject("fcNumRunsFactor") }),
      ...fc.sample(fc.integer(), { numRuns: 50 * inject("fcNumRunsFactor") }),
      0,
      -0,
      1,
      -1,
      0.1,
      1e21,
      1e-7,
      1e-6,
      123456789012345680000,
      5e-324,
      2 ** 53,
      0.000001234,
      1.5e300,
      true,
      false,
      "text {{ x }}",
    ];
    // On stdin: with FC_NUM_RUNS_FACTOR=20 the values outgrow a command-line argument (E2BIG).
    const { stdout: out } = await execa(
      "python3",
      ["-c", `${PRELUDE}\nprint(json.dumps([js_text(v) for v in json.loads(sys.stdin.read())]))`],
      { input: JSON.stringify(values) },
    );
    expect(JSON.parse(out)).toEqual(values.map((v) => String(v)));
  });

  it("GIVEN plan templates WHEN resolved by the generated resolve() THEN they equal resolveTemplate", async () => {
    const values = { run: "r1 {{ x }}", n: 512, lr: 0.0006, on: true };
    const templates: Template[] = [
      ["out/x"],
      ["out/", { param: "run" }, "/", { param: "n" }],
      [{ param: "lr" }, "-", { param: "on" }],
    ];
    const data = templates.map((t) => (t.every((p) => typeof p === "string") ? t.join("") : t));
    const out = await python(
      `values = json.loads(${JSON.stringify(JSON.stringify(values))})\nprint(json.dumps([resolve(t, values) for t in json.loads(${JSON.stringify(JSON.stringify(data))})]))`,
    );
    expect(JSON.parse(out)).toEqual(templates.map((t) => resolveTemplate(t, values)));
  });
});

describe("generated runtime: GPU leases shared with updraft run", () => {
  const LEASE = `
started = time.monotonic()
lease = lease_gpus(1, "airflow-run", "train", lambda text: print("waiting:", text, flush=True))
print(json.dumps({"gpus": [h["gpu"] for h in lease], "waitedMs": int((time.monotonic() - started) * 1000)}), flush=True)
time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 0)
release_gpus(lease)
`;

  it("GIVEN updraft run holds the only GPU WHEN an Airflow task leases one THEN it waits for the release, then gets device 0", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-leases-"));
    const pool = new GpuPool(dir, 1);
    const local = await pool.acquire(
      1,
      { runId: "local-run", stage: "train" },
      new AbortController().signal,
      () => undefined,
    );
    const task = execa("python3", ["-c", `${PRELUDE}\n${LEASE}`], {
      env: { UPDRAFT_GPUS: "1", UPDRAFT_LOCK_DIR: dir },
      extendEnv: true,
      buffer: true,
    });
    // Hold the GPU for 1 s from when the task says it waits, however long python3 took to start.
    await new Promise<void>((resolve) =>
      task.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("waiting:")) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    local.release();
    const lines = String((await task).stdout)
      .trim()
      .split("\n");
    expect(lines[0]).toBe("waiting: GPU 0 held by local-run/train");
    const result = JSON.parse(lines[1]!) as { gpus: number[]; waitedMs: number };
    expect(result.gpus).toEqual([0]);
    expect(result.waitedMs).toBeGreaterThanOrEqual(1000);
  });

  it("GIVEN an Airflow task holds GPU 0 of 2 WHEN updraft run leases one THEN it gets device 1; a third waits for one", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-leases-"));
    const task = execa("python3", ["-c", `${PRELUDE}\n${LEASE}`, "2"], {
      env: { UPDRAFT_GPUS: "2", UPDRAFT_LOCK_DIR: dir },
      extendEnv: true,
      buffer: true,
    });
    await new Promise<void>((resolve) =>
      task.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("gpus")) resolve();
      }),
    );
    const pool = new GpuPool(dir, 2);
    const second = await pool.acquire(
      1,
      { runId: "local-run", stage: "eval" },
      new AbortController().signal,
      () => undefined,
    );
    expect(second.gpus).toEqual([1]);
    const waitedFor: string[] = [];
    const third = await pool.acquire(
      1,
      { runId: "local-run", stage: "other" },
      new AbortController().signal,
      (holders) => waitedFor.push(holders.map((h) => `${h.gpu}:${h.runId}`).join(",")),
    );
    expect(third.gpus).toEqual([0]);
    expect(waitedFor[0]).toBe("0:airflow-run,1:local-run");
    second.release();
    third.release();
    await task;
  });

  it("GIVEN a stage needing more GPUs than the worker has WHEN leasing THEN it fails at once, saying how to fix it", async () => {
    const out = await python('try:\n    lease_gpus(2, "r", "s", print)\nexcept NoGpu as e:\n    print(e)', {
      UPDRAFT_GPUS: "1",
      UPDRAFT_LOCK_DIR: mkdtempSync(path.join(os.tmpdir(), "updraft-leases-")),
    });
    expect(out).toBe(
      "the stage needs 2 GPU(s) and this worker has 1: set UPDRAFT_GPUS=N to lease N devices here, CUDA_VISIBLE_DEVICES to pin devices, or UPDRAFT_GPU_LEASE=pool to let the Airflow pool be the lease (devices untouched)",
    );
  });
});

describe("generated runtime: output records", () => {
  it("GIVEN a file and a directory tree (nested, a link, odd bytes) WHEN recorded by the runtime THEN paths, sizes and hashes equal updraft run's", async () => {
    // GIVEN a project whose stage wrote a file and a directory, recorded from a cwd below the project
    const project = mkdtempSync(path.join(os.tmpdir(), "updraft-outputs-"));
    mkdirSync(path.join(project, "work", "ckpt", "deep"), { recursive: true });
    writeFileSync(path.join(project, "work", "model.bin"), Buffer.from([0, 1, 2, 255]));
    writeFileSync(path.join(project, "work", "ckpt", "b.txt"), "b\n");
    writeFileSync(path.join(project, "work", "ckpt", "a b.txt"), "a".repeat(70_000));
    writeFileSync(path.join(project, "work", "ckpt", "deep", "é.json"), "{}");
    symlinkSync("../model.bin", path.join(project, "work", "ckpt", "link"));
    // WHEN the runtime records them
    const out = await python(
      `from updraft_airflow.outputs import output_records\nprint(json.dumps(output_records(${JSON.stringify(project)}, ${JSON.stringify(path.join(project, "work"))}, ["model.bin", "ckpt", "missing"])))`,
    );
    // THEN they are what updraft run's hasher records (the missing one is left out: the task already failed on it)
    const hasher = new FileHasher();
    const want = await Promise.all(
      ["work/model.bin", "work/ckpt"].map(async (p) => ({ path: p, ...(await hasher.hash(path.join(project, p)))! })),
    );
    expect(JSON.parse(out)).toEqual(want);
  });
});
