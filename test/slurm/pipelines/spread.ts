/**
 * Three independent one-GPU stages on a cluster of node1 (2 GPUs) and node2 (1 GPU): all three
 * run at once, so they must spread over both nodes, each on a GPU of its own (test/slurm/gpus.py).
 */
import { pipeline, sh } from "../../../src/index.js";

const TRACE = sh`mkdir -p out && printf '%s %s %s\n' "$SLURMD_NODENAME" "$CUDA_VISIBLE_DEVICES" "$(date +%s.%N)" > "out/$UPDRAFT_STAGE.start" && sleep 6 && date +%s.%N > "out/$UPDRAFT_STAGE.end"`;

export default pipeline("uf_slurm_spread", { description: "Three GPU stages at once." }, ({ stage }) => {
  for (const id of ["g1", "g2", "g3"]) stage(id, { command: TRACE, gpu: 1 });
});
