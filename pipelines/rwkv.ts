/**
 * Fine-tune RWKV v7 on 1C:Enterprise data: check -> prepare -> gate -> train -> eval -> gate -> release.
 *
 *   npm run demo                                   # profile=demo: the whole chain on the CPU, in seconds
 *   npx tsx pipelines/rwkv.ts --dry-run            # what would run, with every command
 *   UPDRAFT_GPUS=1 npx tsx pipelines/rwkv.ts --param profile=rwkv --param rwkv_dir=$HOME/RWKV-LM \
 *     --param base_model=/models/rwkv7-g1-1.5b.pth --param input=data/1c.jsonl
 *
 * profile=demo trains a stand-in (an n-gram model over RWKV World ids, not RWKV) on the corpus shipped in
 * examples/rwkv-demo; profile=rwkv runs RWKV-LM's train.py with the same data files.
 * Tokens are RWKV World ids (rwkv_vocab_v20230424, the reference tokenizer's vocabulary), 0 ends each
 * document; the tokenizer runs in a Python venv the demo makes once under ~/.cache/updraft.
 * Run it from the repository root (stage paths are relative to it).
 */
import { param, pipeline, runCli, t } from "updraft";
import { DatasetMetricsSchema, EvalSummarySchema } from "../examples/rwkv-demo/src/schemas.js";
import { EXIT } from "../examples/rwkv-demo/src/tool.js";

const DEMO = "examples/rwkv-demo";

/** The tokenizer (Python) and its pinned requirements: when they change, the data is tokenised again. */
const TOKENIZER = [`${DEMO}/python/world_tokens.py`, `${DEMO}/python/requirements.txt`];

/** A demo tool, run by Node with tsx's loader (no build step). */
const tool = (name: string) => ["node", "--import", "tsx", `${DEMO}/src/${name}.ts`];

/** Bad options, bad data, bad configuration (a trainer assertion, a missing checkout): a retry cannot help. */
const NEVER_RETRY = [EXIT.usage, EXIT.data, EXIT.config];

export const rwkv = pipeline(
  "rwkv",
  {
    description:
      "Fine-tune RWKV v7 on 1C:Enterprise (BSL) data, gated on dataset quality and on domain and retention evals.",
    tags: ["rwkv", "1c", "fine-tune"],
    params: {
      profile: param.enum(["demo", "rwkv"], {
        default: "demo",
        description: "demo: stand-in n-gram trainer on the CPU; rwkv: RWKV-LM train.py on the GPU",
      }),
      run_name: param.string({ default: "demo", description: "names the output directory and the released model" }),
      input: param.path({
        default: `${DEMO}/data/train.jsonl`,
        description: "training JSONL: {category, instruction, output} or {text} per line",
      }),
      heldout: param.path({
        default: `${DEMO}/data/heldout.jsonl`,
        description: "held-out 1C split (domain eval, leakage check)",
      }),
      general_heldout: param.path({
        default: `${DEMO}/data/general-heldout.jsonl`,
        description: "general Russian text (retention eval)",
      }),
      out_root: param.path({
        default: `${DEMO}/out`,
        description: "outputs go to <out_root>/<run_name>/{data,proj,eval,release}",
      }),
      base_model: param.path({
        default: `${DEMO}/base/rwkv-base.pth`,
        description: "model to fine-tune (a stand-in model for profile=demo)",
      }),
      rwkv_dir: param.path({
        default: "../RWKV-LM",
        description: "RWKV-LM checkout (profile=rwkv runs RWKV-v7/train_temp/train.py)",
      }),
      ctx_len: param.int({ default: 512, description: "train.py --ctx_len (a multiple of 16)" }),
      n_layer: param.int({ default: 12, description: "train.py --n_layer (must match the base model)" }),
      n_embd: param.int({ default: 768, description: "train.py --n_embd (must match the base model)" }),
      micro_bsz: param.int({ default: 16, description: "train.py --micro_bsz (must divide 40320)" }),
      lr_init: param.number({ default: 2e-5, description: "train.py --lr_init" }),
      lr_final: param.number({ default: 1e-5, description: "train.py --lr_final" }),
      epoch_save: param.int({ default: 1, description: "train.py --epoch_save: a checkpoint every N mini-epochs" }),
      fail_once: param.bool({
        default: false,
        description: "demo only: kill the first train attempt after a checkpoint, to show retry and resume",
      }),
    },
  },
  ({ stage, qualityGate, params: p }) => {
    const run = t`${p.out_root}/${p.run_name}`;
    const data = t`${run}/data`;
    const proj = t`${run}/proj`;
    const evalDir = t`${run}/eval`;
    const release = t`${run}/release`;
    const model = t`${proj}/rwkv-final.pth`;
    // The model and schedule settings prepare writes into train.py's command and train runs with.
    const modelArgs = [
      ...["--ctx-len", p.ctx_len, "--n-layer", p.n_layer, "--n-embd", p.n_embd, "--micro-bsz", p.micro_bsz],
      ...["--lr-init", p.lr_init, "--lr-final", p.lr_final, "--epoch-save", p.epoch_save],
    ];

    const check = stage("check_setup", {
      description:
        "train.py's assertions, the input, the base model, the tokenizer's Python venv (made once); for profile=rwkv the RWKV-LM checkout and python",
      command: [
        ...tool("check-setup"),
        "--profile",
        p.profile,
        "--input",
        p.input,
        "--base-model",
        p.base_model,
        "--ctx-len",
        p.ctx_len,
        "--micro-bsz",
        p.micro_bsz,
        "--rwkv-dir",
        p.rwkv_dir,
      ],
      // The first run creates the tokenizer's venv (pip install from PyPI).
      timeout: "10m",
    });

    const prepare = stage("prepare_dataset", {
      description:
        "JSONL -> quality metrics, binidx of RWKV World ids (0 = end of document, round trip checked), magic_prime, the train.py command",
      command: [
        ...tool("prepare"),
        "--input",
        p.input,
        "--heldout",
        p.heldout,
        "--out",
        data,
        "--rwkv-dir",
        p.rwkv_dir,
        "--proj-dir",
        proj,
        ...modelArgs,
      ],
      dependsOn: [check],
      inputs: [p.input, p.heldout, ...TOKENIZER],
      outputs: [
        t`${data}/metrics.json`,
        t`${data}/train_text_document.bin`,
        t`${data}/train_text_document.idx`,
        t`${data}/train.json`,
        t`${data}/train_command.txt`,
        t`${data}/tokenizer.json`,
        t`${data}/rwkv_vocab_v20230424.txt`,
      ],
      timeout: "1h",
      retry: { nonRetryableExitCodes: NEVER_RETRY },
    });

    const datasetGate = qualityGate("dataset_gate", {
      description: "the team's data checks: a failing one blocks training, with the reason recorded",
      after: [prepare],
      metrics: t`${data}/metrics.json`,
      schema: DatasetMetricsSchema,
      rules: (r) => [
        r.metric("rows").gte(200),
        r.metric("valid_utf8").eq(true),
        r.metric("invalid_json_rows").eq(0),
        r.metric("empty_share").lte(0.01),
        r.metric("unique_ratio").gte(0.98),
        r.metric("top_row_share").lte(0.01),
        r.metric("categories.max_deviation").lte(0.05),
        r.metric("categories.unknown_rows").eq(0),
        r.metric("length.too_short_rows").eq(0),
        r.metric("length.too_long_rows").eq(0),
        r.metric("russian_prompt_share").gte(0.95),
        r.metric("secret_rows").eq(0),
        r.metric("leakage_rows").eq(0),
        // Byte-level ids give about 0.6 on this Russian text, World ids about 2.2: below 1.5 the
        // wrong tokenizer ran, or the text is mostly noise the vocabulary does not know.
        r.metric("tokens.chars_per_token").gte(1.5),
        r.file(t`${data}/train_text_document.bin`).notEmpty(),
      ],
    });

    const train = stage("train", {
      description:
        "profile=demo: stand-in trainer (an n-gram model over RWKV World ids, not RWKV); profile=rwkv: train.py as in data/train_command.txt. Resumes from the last rwkv-N.pth",
      command: [
        ...tool("train"),
        "--profile",
        p.profile,
        "--data",
        data,
        "--proj-dir",
        proj,
        "--base-model",
        p.base_model,
        ...modelArgs,
        "--rwkv-dir",
        p.rwkv_dir,
        "--fail-once",
        p.fail_once,
      ],
      dependsOn: [datasetGate],
      env: { PYTHONUNBUFFERED: "1" },
      gpu: 1,
      inputs: [
        t`${data}/train_text_document.bin`,
        t`${data}/train_text_document.idx`,
        t`${data}/train.json`,
        p.base_model,
      ],
      outputs: [model, t`${proj}/train_log.txt`],
      timeout: "48h",
      estimate: "8h",
      // Killed (OOM killer, WSL restart) or CUDA out of memory: wait and resume from the last checkpoint.
      retry: { retries: 3, delay: "10s", backoff: 2, maxDelay: "10m", nonRetryableExitCodes: NEVER_RETRY },
    });

    const artefacts = stage("eval_artefacts", {
      description:
        "per-document losses of the fine-tuned and the base model (held-out 1C, general text), sample completions",
      command: [
        ...tool("eval-artefacts"),
        "--profile",
        p.profile,
        "--model",
        model,
        "--base-model",
        p.base_model,
        "--heldout",
        p.heldout,
        "--general",
        p.general_heldout,
        "--out",
        evalDir,
      ],
      dependsOn: [train],
      gpu: 1,
      inputs: [model, p.heldout, p.general_heldout, ...TOKENIZER],
      outputs: [t`${evalDir}/losses.json`, t`${evalDir}/samples.md`],
      timeout: "4h",
      estimate: "20m",
      retry: { retries: 1, delay: "30s", nonRetryableExitCodes: NEVER_RETRY },
    });

    const evaluate = stage("evaluate", {
      description:
        "held-out loss and perplexity; domain verdict (>= 30% of the base's loss removed), retention verdict (general text <= 10% worse)",
      command: [
        ...tool("evaluate"),
        "--losses",
        t`${evalDir}/losses.json`,
        "--out",
        t`${evalDir}/summary.json`,
        "--domain-min-gain",
        "0.3",
        "--retention-max-regression",
        "0.1",
      ],
      dependsOn: [artefacts],
      inputs: [t`${evalDir}/losses.json`],
      outputs: [t`${evalDir}/summary.json`],
      timeout: "10m",
    });

    const evalGate = qualityGate("eval_gate", {
      description: "release only a model that learned the domain without forgetting general text",
      after: [evaluate],
      metrics: t`${evalDir}/summary.json`,
      schema: EvalSummarySchema,
      rules: (r) => [
        r.metric("domain_eval.verdict").eq("PASS"),
        r.metric("retention_eval.verdict").eq("PASS"),
        r.metric("heldout.loss").lt(1.0),
        r.file(model).notEmpty(),
      ],
    });

    stage("release", {
      description: "SHA256SUMS, model card, release manifest: dataset version -> run id -> artefact hashes",
      command: [
        ...tool("release"),
        "--profile",
        p.profile,
        "--run-name",
        p.run_name,
        "--model",
        model,
        "--base-model",
        p.base_model,
        "--data",
        data,
        "--summary",
        t`${evalDir}/summary.json`,
        "--out",
        release,
      ],
      dependsOn: [evalGate],
      inputs: [model, t`${evalDir}/summary.json`, t`${data}/metrics.json`],
      outputs: [
        t`${release}/SHA256SUMS`,
        t`${release}/model-card.md`,
        t`${release}/release-manifest.json`,
        t`${release}/rwkv-${p.run_name}.pth`,
      ],
      timeout: "30m",
    });
  },
);

export default rwkv;
await runCli(rwkv);
