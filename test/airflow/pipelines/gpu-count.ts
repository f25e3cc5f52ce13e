/**
 * A GPU count from a run parameter (`gpu: p.gpus`): the run's value sets how many devices train
 * leases, and CUDA_VISIBLE_DEVICES as the stage sees it lists them; a value below 1 refuses the run
 * before any stage runs, with the same message on every executor.
 */
import { param, pipeline, sh } from "../../../src/index.js";
import type { Fixture } from "../suite.js";

export const gpuCount = pipeline(
  "uf_gpu_count",
  {
    description: "A GPU count given by a run parameter.",
    params: { gpus: param.int({ default: 1, description: "GPUs train leases" }) },
  },
  ({ stage, params: p }) => {
    stage("train", { command: sh`echo "$CUDA_VISIBLE_DEVICES" > gpus.txt`, gpu: p.gpus, timeout: "60s" });
  },
);
export default gpuCount;

export const fixture: Fixture = {
  cases: [
    {
      name: "gpu-count-param",
      // Two GPUs on the worker (the SLURM cluster's node1 has two), two asked for by the run.
      env: { UPDRAFT_GPUS: "2" },
      params: { gpus: 2 },
      stages: { train: { status: "success", attempts: ["success"], gpus: [0, 1] } },
      files: { "gpus.txt": "0,1\n" },
    },
    {
      name: "gpu-count-default",
      env: { UPDRAFT_GPUS: "2" },
      stages: { train: { status: "success", attempts: ["success"], gpus: [0] } },
      files: { "gpus.txt": "0\n" },
    },
    {
      name: "gpu-count-zero",
      params: { gpus: 0 },
      stages: { train: { status: "failed", attempts: [] } },
      rejected: 'is 0, but stage "train" takes its GPU count from it',
      files: { "gpus.txt": null },
    },
  ],
};
