/**
 * A CPU stage in a pipeline that allows one active run (the default): two runs submitted at once
 * must not overlap (Slurm's singleton dependency; test/slurm/gpus.py).
 */
import { pipeline, sh } from "../../../src/index.js";

export default pipeline("uf_slurm_single", { description: "One run at a time." }, ({ stage }) => {
  stage("work", {
    command: sh`mkdir -p out && s=$(date +%s.%N) && sleep 3 && printf '%s %s\n' "$s" "$(date +%s.%N)" > "out/$UPDRAFT_RUN_ID.times"`,
  });
});
