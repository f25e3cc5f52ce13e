import { describe, expect, it } from "vitest";
import { param, pipeline, plan, sh, t, type Plan } from "updraft";
import { formatDryRun } from "../../../src/executors/dry-run/format.js";

const p = pipeline(
  "train",
  {
    description: "Fine-tune and gate.",
    params: { run: param.string({ default: "r1" }), ctx: param.int({ default: 512 }) },
  },
  ({ stage, qualityGate, params: pr }) => {
    const prep = stage("prep", {
      command: ["python", "prep.py", "--out", t`data/${pr.run}`],
      outputs: [t`data/${pr.run}/metrics.json`],
      cwd: "work",
    });
    const gate = qualityGate("data_ok", {
      after: [prep],
      metrics: t`data/${pr.run}/metrics.json`,
      rules: (r) => [r.metric("rows").gte(100), r.metric("split.verdict").eq("PASS"), r.file("vocab.txt").exists()],
    });
    stage("train", {
      command: sh`python train.py --ctx_len ${pr.ctx} \
  --run "${pr.run}"`,
      dependsOn: [gate],
      gpu: 1,
      timeout: "12h",
      env: { WANDB_MODE: "offline" },
      secretEnv: ["HF_TOKEN"],
      retry: { retries: 3, delay: "60s", backoff: 2, maxDelay: "10m", nonRetryableExitCodes: [2] },
    });
  },
);

describe("dry-run", () => {
  it("shows each level, resolved commands, env with secrets masked, gates in words and the retry schedule", () => {
    const result = plan(p) as { ok: true; plan: Plan };
    const text = formatDryRun(result.plan, { run: "it's mine", ctx: 1024 }, { source: "pipelines/train.ts" });
    expect(text.replace(/plan [0-9a-f]{12}/, "plan HASH")).toMatchInlineSnapshot(`
      "dry-run: pipeline train from pipelines/train.ts (plan HASH); nothing will run
      Fine-tune and gate.
      3 stages in 3 levels; critical path: prep -> data_ok -> train
      params:
        run = "it's mine"  (string)
        ctx = 1024  (int)

      level 0
        ● prep
            command  python prep.py --out 'data/it'\\''s mine'
            cwd      work
            timeout  none
            retry    no retries
            output   data/it's mine/metrics.json

      level 1
        ◆ gate data_ok  ← prep
            verdict  FAIL blocks everything downstream; never retried
            metrics  data/it's mine/metrics.json
            rule     rows must be at least 100
            rule     split.verdict must equal "PASS"
            rule     file vocab.txt must exist

      level 2
        ● train  ← data_ok
            command  python train.py --ctx_len "1024" \\
                       --run "it's mine"
            env      WANDB_MODE=offline
            env      HF_TOKEN=******** (secret, from the environment)
            gpu      1 (CUDA_VISIBLE_DEVICES set to the leased indices)
            timeout  12h per attempt
            retry    retries 3: waits 60s, 120s, 240s (cap 600s); exit code 2 fails at once"
    `);
  });

  it("GIVEN a GPU count from a parameter WHEN dry-run with a value THEN the stage shows the count and the parameter", () => {
    const r = plan(
      pipeline("counted", { params: { gpus: param.int({ default: 1 }) } }, ({ stage, params: p }) => {
        stage("train", { command: ["true"], gpu: p.gpus });
      }),
    );
    if (!r.ok) throw new Error("plan failed");
    expect(formatDryRun(r.plan, { gpus: 3 })).toContain(
      "      gpu      3 (parameter gpus; CUDA_VISIBLE_DEVICES set to the leased indices)",
    );
  });

  it("GIVEN a one-stage pipeline WHEN dry-run THEN its counts read in the singular", () => {
    const r = plan(pipeline("single", {}, ({ stage }) => void stage("a", { command: ["true"] })));
    if (!r.ok) throw new Error("invalid");
    expect(formatDryRun(r.plan, {})).toContain("1 stage in 1 level; critical path: a");
  });

  it("GIVEN a gate whose bound is a parameter, a checksum from its metrics and anyOf WHEN dry-run THEN the rules read with the run's values", () => {
    const r = plan(
      pipeline("bounded", { params: { min_rows: param.int({ default: 100 }) } }, ({ stage, qualityGate, params }) => {
        const a = stage("a", { command: ["true"] });
        qualityGate("data_ok", {
          after: [a],
          metrics: "manifest.json",
          rules: (x) => [
            x.metric("rows").gte(params.min_rows),
            x.anyOf(x.metric("path").eq("data.bin"), x.file("data.bin").sha256(x.metric("sha256"))),
          ],
        });
      }),
    );
    if (!r.ok) throw new Error("invalid");
    const rules = formatDryRun(r.plan, { min_rows: 250 })
      .split("\n")
      .filter((l) => l.includes("rule "));
    expect(rules).toEqual([
      "      rule     rows must be at least 250",
      '      rule     (path must equal "data.bin") or (sha256 of data.bin must equal metric sha256)',
    ]);
  });
});
