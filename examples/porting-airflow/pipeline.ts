/**
 * The nightly fine-tune of examples/porting-airflow/README.md, ported from a hand-written Airflow
 * DAG: the same tasks, pool, owner, start date and run settings, and the same two gates.
 *
 *   npx tsx src/cli/bin.ts plan examples/porting-airflow/pipeline.ts
 *   npx tsx src/cli/bin.ts export airflow examples/porting-airflow/pipeline.ts --out dags/
 */
import { z } from "zod";
import { optional, param, pipeline, runCli, sh, t } from "updraft";

const Manifest = z.object({
  rows: z.number(),
  split: z.string(),
  sha256: z.string(),
});

const Eval = z.object({ loss: z.number(), verdict: z.string() });

export const nightly = pipeline(
  "nlp_finetune_nightly",
  {
    description: "Nightly RWKV fine-tune on the 1C corpus (ported from dags/nlp_finetune_nightly.py).",
    tags: ["nlp", "rwkv"],
    maxActiveRuns: 1,
    airflow: { startDate: "2025-01-01", owner: "nlp-team", gpuPool: "nlp_gpu" },
    params: {
      // conf first, then the worker's TEAM_RUN_NAME, then the default: as the old DAG read it.
      run_name: param.string({ env: "TEAM_RUN_NAME", default: "nightly" }),
      data_dir: param.path({ default: (p) => t`data/processed/${p.run_name!}` }),
      ctx_len: param.int({ default: 512 }),
      epochs: param.int({ default: 1 }),
      wandb_project: param.string({ default: "", description: "empty: no --wandb flag" }),
      resume: param.bool({ default: false }),
    },
    defaults: { retry: { retries: 2, delay: "5m" } },
  },
  ({ stage, qualityGate, params: p }) => {
    const prepare = stage("prepare_binidx", {
      command: ["bash", "scripts/prepare_binidx.sh", p.data_dir, p.ctx_len],
      outputs: [t`${p.data_dir}/manifest.json`, t`${p.data_dir}/train_text_document.bin`],
      timeout: "1h",
    });
    const data = qualityGate("dataset_gate", {
      after: [prepare],
      metrics: t`${p.data_dir}/manifest.json`,
      schema: Manifest,
      // The team's runbooks read the verdict here; updraft also keeps its own record.
      record: t`runs/${p.run_name}/gates/dataset_gate.json`,
      rules: (r) => [
        r.metric("rows").gte(1000),
        r.metric("split").eqIgnoreCase("train"),
        r.file(t`${p.data_dir}/train_text_document.bin`).notEmpty(),
      ],
    });
    const train = stage("train", {
      command: [
        "bash",
        "scripts/train.sh",
        p.data_dir,
        "--epochs",
        p.epochs,
        optional("--wandb", p.wandb_project),
        optional("--resume", p.resume),
      ],
      dependsOn: [data],
      gpu: 1,
      timeout: "12h",
      queue: "gpu_hosts",
      outputs: [t`runs/${p.run_name}/rwkv-final.pth`],
    });
    const evaluate = stage("evaluate", {
      command: sh`bash scripts/evaluate.sh ${p.run_name} > runs/${p.run_name}/eval.json`,
      dependsOn: [train],
      outputs: [t`runs/${p.run_name}/eval.json`],
    });
    const evalGate = qualityGate("eval_gate", {
      after: [evaluate],
      metrics: t`runs/${p.run_name}/eval.json`,
      schema: Eval,
      rules: (r) => [r.metric("loss").lte(1.8), r.metric("verdict").eqIgnoreCase("pass")],
    });
    stage("release", {
      command: ["bash", "scripts/release.sh", p.run_name],
      dependsOn: [evalGate],
      retry: { retries: 0 },
    });
  },
);
export default nightly;

await runCli(nightly);
