/**
 * The flagship demo, pipelines/rwkv.ts, run for real: every stage on the CPU (profile=demo),
 * with the first training attempt killed after a checkpoint, so the retry resumes from it.
 */
import { rwkv } from "../../../pipelines/rwkv.js";
import { ok, type Fixture } from "../suite.js";

export default rwkv;

export const fixture: Fixture = {
  inRepo: { pipelineFile: "pipelines/rwkv.ts", outParam: "out_root" },
  cases: [
    {
      name: "rwkv-demo",
      params: { fail_once: true, run_name: "ci" },
      stages: {
        check_setup: ok,
        prepare_dataset: ok,
        dataset_gate: { status: "success", attempts: ["success"], gate: "PASS" },
        train: { status: "success", attempts: ["failed", "success"], retryDelaysMs: [10_000] },
        eval_artefacts: ok,
        evaluate: ok,
        eval_gate: { status: "success", attempts: ["success"], gate: "PASS" },
        release: ok,
      },
      files: {
        "ci/release/SHA256SUMS": true,
        "ci/release/model-card.md": true,
        "ci/release/release-manifest.json": true,
        "ci/release/rwkv-ci.pth": true,
        "ci/proj/rwkv-final.pth": true,
      },
    },
  ],
};
