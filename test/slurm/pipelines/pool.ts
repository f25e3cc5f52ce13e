/**
 * One GPU stage that records when it held its GPU. Exported with a cluster-wide GPU license of one
 * (`--gpu-license gpu_one`) and two active runs allowed: two concurrent runs must take turns
 * (test/slurm/gpus.py).
 */
import { pipeline, sh } from "../../../src/index.js";

export default pipeline(
  "uf_slurm_pool",
  { description: "Takes the one pooled GPU.", maxActiveRuns: 2 },
  ({ stage }) => {
    stage("hold", {
      command: sh`mkdir -p out && s=$(date +%s.%N) && sleep 3 && printf '%s %s\n' "$s" "$(date +%s.%N)" > "out/$UPDRAFT_RUN_ID.times"`,
      gpu: 1,
    });
  },
);
