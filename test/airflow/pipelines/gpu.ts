/**
 * GPU leases: another run (a process that a first stage leaves behind, with a lease on the only
 * GPU in the machine-wide lock directory) holds the GPU when the train stage is due, so train
 * waits for it, then gets device 0; a stage without GPUs keeps the worker's environment. The holder
 * drops updraft's marker variables, as another run's process would not carry this run's: with them,
 * it would be killed as a leftover of the hold stage when that stage ends.
 * train's timeout (3s) is shorter than its wait (the holder lives 20s): it passes only because the
 * timeout starts once train holds its GPU, in updraft run and in the exported operator alike. 20 s, not
 * less: a loaded Airflow has taken more than 6 s to start train after hold ended.
 */
import { pipeline, sh } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

const LEASE = `{"gpu":0,"pid":%s,"pidStart":null,"host":"%s","runId":"another-run","stage":"holder","since":"2024-01-01T00:00:00.000Z","childPid":null}`;

export const gpu = pipeline("uf_gpu", { description: "Waits for a GPU held by another run." }, ({ stage }) => {
  const hold = stage("hold", {
    command: sh`env -u UPDRAFT_RUN_ID -u UPDRAFT_STAGE -u UPDRAFT_ATTEMPT setsid sleep 20 </dev/null >/dev/null 2>&1 & mkdir -p "$UPDRAFT_LOCK_DIR" && printf '${LEASE}' "$!" "$(hostname)" > "$UPDRAFT_LOCK_DIR/gpu-0.lock"`,
  });
  const train = stage("train", {
    command: sh`echo "$CUDA_VISIBLE_DEVICES" > gpu.txt`,
    gpu: 1,
    timeout: "3s",
    dependsOn: [hold],
  });
  stage("cpu", { command: sh`echo "[${"${CUDA_VISIBLE_DEVICES-unset}"}]" > cpu.txt`, dependsOn: [train] });
});
export default gpu;

export const fixture: Fixture = {
  cases: [
    {
      name: "gpu-lease",
      stages: { hold: ok, train: { status: "success", attempts: ["success"], gpus: [0], minGpuWaitMs: 4000 }, cpu: ok },
      files: { "gpu.txt": "0\n", "cpu.txt": "[unset]\n", "locks/gpu-0.lock": null },
    },
    {
      // A worker without GPUs that it can count, whose Airflow pool is the lease: train neither waits
      // for the held lock file nor chooses a device (CUDA_VISIBLE_DEVICES stays the worker's: unset).
      name: "gpu-pool-only",
      env: { UPDRAFT_GPUS: "", UPDRAFT_GPU_LEASE: "pool" },
      stages: { hold: ok, train: { status: "success", attempts: ["success"], gpus: [] }, cpu: ok },
      files: { "gpu.txt": "\n", "cpu.txt": "[unset]\n" },
    },
  ],
};
