/**
 * Airflow DAG settings declared in the pipeline: start date, owner, catchup, tags exactly as
 * declared, the GPU pool's name, max active runs and per-stage queues. The run itself is plain (all
 * executors run it alike); check.py asserts the settings on the parsed DAG in Airflow.
 */
import { pipeline, sh } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

export const settings = pipeline(
  "uf_settings",
  {
    description: "DAG settings from the pipeline.",
    tags: ["team-nlp", "rwkv"],
    maxActiveRuns: 2,
    airflow: { startDate: "2024-01-01T06:00:00+02:00", owner: "nlp-team", catchup: true, gpuPool: "team_gpu" },
    defaults: { queue: "team_cpu" },
  },
  ({ stage }) => {
    const prep = stage("prep", { command: sh`echo prep > prep.txt`, outputs: ["prep.txt"] });
    stage("train", {
      command: sh`echo "[$CUDA_VISIBLE_DEVICES]" > train.txt`,
      gpu: 1,
      queue: "team_gpu_q",
      dependsOn: [prep],
    });
  },
);
export default settings;

export const fixture: Fixture = {
  cases: [
    { name: "dag-settings", stages: { prep: ok, train: ok }, files: { "prep.txt": "prep\n", "train.txt": "[0]\n" } },
  ],
};
