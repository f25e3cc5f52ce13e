import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planFromJson } from "../../src/planner/plan.js";
import { argvTemplates } from "../../src/planner/template.js";
import type { Plan, Stage } from "../../src/plan/schema.js";
import { rwkv, tempDir } from "./helpers.js";

const STAGES = [
  "check_setup",
  "prepare_dataset",
  "dataset_gate",
  "train",
  "eval_artefacts",
  "evaluate",
  "eval_gate",
  "release",
];

describe("pipelines/rwkv.ts as a plan", () => {
  let plan: Plan;
  const stage = (id: string): Stage => plan.stages.find((s) => s.id === id)!;
  beforeAll(async () => {
    const r = await rwkv(["plan", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    plan = (JSON.parse(r.stdout) as { plan: Plan }).plan;
  });

  it("GIVEN the pipeline WHEN planned THEN it is valid and its stages form one chain from the setup check to the release", () => {
    const again = planFromJson(plan);
    expect(again.ok && again.plan.hash).toBe(plan.hash);
    expect(plan.stages.map((s) => s.id)).toEqual(STAGES);
    expect(plan.stages.map((s) => s.dependsOn)).toEqual([[], ...STAGES.slice(0, -1).map((id) => [id])]);
    expect(plan.stages.filter((s) => s.kind === "gate").map((s) => s.id)).toEqual(["dataset_gate", "eval_gate"]);
  });

  it("GIVEN the train stage WHEN planned THEN it leases a GPU, runs long, and retries with backoff except on exit codes 2, 3 and 4", () => {
    const train = stage("train");
    expect(train.gpu).toBe(1);
    expect(train.timeoutSeconds).toBe(48 * 3600);
    expect(train.retry).toEqual({
      retries: 3,
      delaySeconds: 10,
      multiplier: 2,
      maxDelaySeconds: 600,
      nonRetryableExitCodes: [2, 3, 4],
    });
    expect(stage("prepare_dataset").retry.nonRetryableExitCodes).toEqual([2, 3, 4]);
    expect(stage("eval_artefacts").gpu).toBe(1);
  });

  it("GIVEN the gates WHEN planned THEN they read the metrics files the tools write, with the team's rules", () => {
    const data = stage("dataset_gate").gate!;
    expect(data.metrics).toEqual([{ param: "out_root" }, "/", { param: "run_name" }, "/data/metrics.json"]);
    expect(data.rules.map((r) => ("metric" in r ? r.metric : r.op))).toEqual([
      "rows",
      "valid_utf8",
      "invalid_json_rows",
      "empty_share",
      "unique_ratio",
      "top_row_share",
      "categories.max_deviation",
      "categories.unknown_rows",
      "length.too_short_rows",
      "length.too_long_rows",
      "russian_prompt_share",
      "secret_rows",
      "leakage_rows",
      "tokens.chars_per_token",
      "file-not-empty",
    ]);
    // Byte-level ids give about 0.6 characters per token on this text, World ids about 2.2.
    expect(data.rules.find((r) => "metric" in r && r.metric === "tokens.chars_per_token")).toEqual({
      op: ">=",
      metric: "tokens.chars_per_token",
      value: 1.5,
    });
    expect(stage("eval_gate").gate!.rules.slice(0, 3)).toEqual([
      { op: "==", metric: "domain_eval.verdict", value: "PASS" },
      { op: "==", metric: "retention_eval.verdict", value: "PASS" },
      { op: "<", metric: "heldout.loss", value: 1 },
    ]);
  });

  it("GIVEN every command WHEN planned THEN run parameters are placeholders, never values pasted into the text", () => {
    const defaults = plan.params.flatMap((p) => (typeof p.default === "string" ? [p.default] : []));
    for (const s of plan.stages) {
      if (s.command?.kind !== "argv") continue;
      for (const arg of argvTemplates(s.command.argv)) {
        const literal = arg.filter((part): part is string => typeof part === "string").join("");
        if (arg.length === 1 && typeof arg[0] === "string")
          expect(defaults, `${s.id}: ${literal}`).not.toContain(literal);
        for (const d of defaults.filter((x) => x.includes("/"))) expect(literal, s.id).not.toContain(d);
      }
    }
    const train = stage("train").command!;
    expect(train.kind === "argv" && train.argv.slice(4, 6)).toEqual([["--profile"], [{ param: "profile" }]]);
  });

  it("GIVEN the parameters WHEN planned THEN the team's per-run settings are there, profile an enum defaulting to demo", () => {
    expect(plan.params.map((p) => p.name)).toEqual([
      "profile",
      "run_name",
      "input",
      "heldout",
      "general_heldout",
      "out_root",
      "base_model",
      "rwkv_dir",
      "ctx_len",
      "n_layer",
      "n_embd",
      "micro_bsz",
      "lr_init",
      "lr_final",
      "epoch_save",
      "fail_once",
    ]);
    expect(plan.params[0]).toMatchObject({ type: "enum", values: ["demo", "rwkv"], default: "demo" });
  });
});

describe("pipelines/rwkv.ts without an RWKV checkout", () => {
  it("GIVEN profile=rwkv and no checkout WHEN dry-run THEN it shows the real profile's commands and runs nothing", async () => {
    const r = await rwkv([
      "--dry-run",
      "--param",
      "profile=rwkv",
      "--param",
      "rwkv_dir=/nowhere/RWKV-LM",
      "--param",
      "base_model=/models/rwkv7.pth",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dry-run: pipeline rwkv from pipelines/rwkv.ts");
    expect(r.stdout).toContain("examples/rwkv-demo/src/train.ts --profile rwkv");
    expect(r.stdout).toContain("--rwkv-dir /nowhere/RWKV-LM");
    expect(r.stdout).toContain("retry    retries 3: waits 10s, 20s, 40s (cap 600s); exit codes 2, 3, 4 fail at once");
  });

  it("GIVEN no checkout WHEN exported to Airflow THEN a DAG file is written", async () => {
    const out = tempDir();
    const r = await rwkv(["export", "airflow", "--out", out]);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, "rwkv.py"))).toBe(true);
    expect(readFileSync(path.join(out, "rwkv.py"), "utf8")).toContain("prepare_dataset");
  });
});
