import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onlyManifest, rwkv, tempDir } from "./helpers.js";
import { readmeSample, sampleLines } from "../readme-samples.js";

/** A demo run with private outputs, run records and GPU lock files. */
async function demo(params: readonly string[]) {
  const dir = tempDir();
  const env = {
    UPDRAFT_GPUS: "1",
    UPDRAFT_RUNS_DIR: path.join(dir, "runs"),
    UPDRAFT_LOCK_DIR: path.join(dir, "locks"),
  };
  const r = await rwkv(["--param", `out_root=${dir}/out`, ...params.flatMap((p) => ["--param", p])], env);
  return { ...r, dir, manifest: onlyManifest(env.UPDRAFT_RUNS_DIR) };
}

describe("npm run demo, end to end (profile=demo)", () => {
  it("GIVEN the shipped corpus WHEN the demo runs THEN every stage succeeds and the release verifies and names this run", async () => {
    const { code, stdout, dir, manifest } = await demo([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^run \S+: success in [\d.]+s \(8 success\)$/m);
    expect(manifest.status).toBe("success");
    expect(manifest.stages.map((s) => [s.id, s.status])).toEqual([
      ["check_setup", "success"],
      ["prepare_dataset", "success"],
      ["dataset_gate", "success"],
      ["train", "success"],
      ["eval_artefacts", "success"],
      ["evaluate", "success"],
      ["eval_gate", "success"],
      ["release", "success"],
    ]);
    expect(manifest.stages.find((s) => s.id === "train")!.attempts[0]!.gpus).toEqual([0]);
    const release = path.join(dir, "out/demo/release");
    expect((await execa("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: release, reject: false })).exitCode).toBe(
      0,
    );
    const lineage = JSON.parse(readFileSync(path.join(release, "release-manifest.json"), "utf8")) as {
      lineage: { run: { id: string } };
    };
    expect(lineage.lineage.run.id).toBe(manifest.runId);
    // AND the README's sample of this summary is what it printed (run ids, durations, sizes, hashes aside)
    expect(sampleLines(readmeSample("readme-demo-output"), stdout, `${dir}/out`)).toEqual({ missing: null });
  }, 600_000);

  it("GIVEN the defective dataset WHEN the demo runs THEN the dataset gate blocks training and the run records every failing rule", async () => {
    const { code, stdout, dir, manifest } = await demo(["input=examples/rwkv-demo/data/bad.jsonl", "run_name=bad"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^run \S+: failed in [\d.]+s \(2 success, 1 failed, 5 blocked\)$/m);
    const gate = manifest.stages.find((s) => s.id === "dataset_gate")!;
    expect(gate.gate?.verdict).toBe("FAIL");
    const failed = gate
      .gate!.rules.filter((r) => !r.passed)
      .map((r) => ("metric" in r.rule ? r.rule.metric : r.rule.op));
    expect(failed).toEqual([
      "empty_share",
      "unique_ratio",
      "top_row_share",
      "categories.max_deviation",
      "secret_rows",
      "leakage_rows",
    ]);
    expect(manifest.stages.find((s) => s.id === "train")).toMatchObject({ status: "blocked", attempts: [] });
    expect(existsSync(path.join(dir, "out/bad/proj"))).toBe(false);
    // AND the README's excerpt of this run's summary is what it printed
    expect(sampleLines(readmeSample("readme-demo-bad-output"), stdout, `${dir}/out`)).toEqual({ missing: null });
  }, 600_000);

  it("GIVEN fail_once WHEN the demo runs THEN the killed train attempt is retried and resumes from its checkpoint", async () => {
    const { code, dir, manifest } = await demo(["fail_once=true", "run_name=retry"]);
    expect(code).toBe(0);
    const train = manifest.stages.find((s) => s.id === "train")!;
    expect(train.attempts.map((a) => a.outcome)).toEqual(["failed", "success"]);
    expect(train.attempts[0]!.signal).toBe("SIGKILL");
    expect(train.attempts[0]!.retryDelayMs).toBe(10_000);
    const second = readFileSync(path.join(dir, "runs", manifest.runId, train.attempts[1]!.log!), "utf8");
    expect(second).toContain(`resuming from ${dir}/out/retry/proj/rwkv-1.pth`);
  }, 600_000);

  it("GIVEN profile=rwkv and no RWKV-LM checkout WHEN run THEN the first stage fails at once, not retried, saying what is missing", async () => {
    const { code, stdout, dir, manifest } = await demo(["profile=rwkv", "rwkv_dir=/nowhere/RWKV-LM", "run_name=real"]);
    expect(code).toBe(1);
    const check = manifest.stages[0]!;
    expect(check).toMatchObject({ id: "check_setup", status: "failed" });
    expect(check.attempts.map((a) => a.exitCode)).toEqual([4]);
    const log = readFileSync(path.join(dir, "runs", manifest.runId, check.attempts[0]!.log!), "utf8");
    expect(log).toContain(
      "check-setup: error: no RWKV-LM checkout at /nowhere/RWKV-LM (expected /nowhere/RWKV-LM/RWKV-v7/train_temp/train.py)",
    );
    expect(manifest.stages.slice(1).every((s) => s.attempts.length === 0)).toBe(true);
    expect(stdout).toContain("check_setup");
  }, 600_000);
});
