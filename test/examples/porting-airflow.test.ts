/**
 * The porting guide (examples/porting-airflow/README.md) says what the port declares and what the
 * export writes for each task; these checks hold the guide to the program.
 */
import { describe, expect, it } from "vitest";
import { nightly } from "../../examples/porting-airflow/pipeline.js";
import { toAirflow } from "../../src/executors/airflow/export.js";
import { resolveArgv } from "../../src/planner/template.js";
import { planOf } from "../plan-of.js";

describe("porting guide", () => {
  it("GIVEN the ported pipeline WHEN exported THEN the DAG has the team's pool, queue, owner, start date and tags as declared", () => {
    const text = toAirflow(planOf(nightly), { projectDir: "/srv/nlp" }).files[0]!.text;
    expect(text).toContain('tags=["nlp", "rwkv"],');
    expect(text).toContain('default_args={"owner": "nlp-team"},');
    expect(text).toContain("start_date=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc),");
    expect(text).toContain('queue="gpu_hosts",');
    expect(text).toContain('pool="nlp_gpu",');
    expect(text).toContain("prepare_binidx >> dataset_gate");
  });

  it("GIVEN an empty wandb project and resume false WHEN train's argv is resolved THEN both optional flags are gone, and present when set", () => {
    const train = planOf(nightly).stages.find((s) => s.id === "train")!;
    if (train.command?.kind !== "argv") throw new Error("train runs an argv command");
    const base = { run_name: "n1", data_dir: "data/processed/n1", ctx_len: 512, epochs: 1 };
    expect(resolveArgv(train.command.argv, { ...base, wandb_project: "", resume: false })).toEqual([
      "bash",
      "scripts/train.sh",
      "data/processed/n1",
      "--epochs",
      "1",
    ]);
    expect(resolveArgv(train.command.argv, { ...base, wandb_project: "team x", resume: true }).slice(5)).toEqual([
      "--wandb",
      "team x",
      "--resume",
    ]);
  });
});
