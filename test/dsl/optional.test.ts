/**
 * `optional(...)`: argv items that disappear when their parameter is empty text or false, the
 * same in the Plan, the resolved argv (updraft run), the dry-run and the Airflow stage data.
 */
import { describe, expect, it } from "vitest";
import { stageData } from "../../src/executors/airflow/stage-spec.js";
import { showCommand } from "../../src/executors/dry-run/format.js";
import { paramRef } from "../../src/dsl/params.js";
import { optional, param, pipeline, plan } from "../../src/index.js";
import { resolveArgv } from "../../src/planner/template.js";
import { planOf } from "../plan-of.js";

const p = pipeline(
  "opt",
  { params: { wandb: param.string({ default: "" }), resume: param.bool({ default: false }) } },
  ({ stage, params }) => {
    stage("train", { command: ["train", optional("--wandb", params.wandb), optional("--resume", params.resume)] });
  },
);

describe("optional argv items", () => {
  it("GIVEN optional text and bool items WHEN planned THEN the Plan keeps them as groups keyed by their parameter", () => {
    expect(planOf(p).stages[0]!.command).toEqual({
      kind: "argv",
      argv: [
        ["train"],
        { optional: "wandb", argv: [["--wandb"], [{ param: "wandb" }]] },
        { optional: "resume", argv: [["--resume"]] },
      ],
    });
  });

  it("GIVEN values WHEN the argv is resolved THEN a group is there only when its parameter is set", () => {
    const argv = planOf(p).stages[0]!.command!;
    if (argv.kind !== "argv") throw new Error("argv expected");
    expect(resolveArgv(argv.argv, { wandb: "", resume: false })).toEqual(["train"]);
    expect(resolveArgv(argv.argv, { wandb: "a b", resume: true })).toEqual(["train", "--wandb", "a b", "--resume"]);
  });

  it("GIVEN the dry-run WHEN params are unset or set THEN the printed command drops or shows the items", () => {
    const stage = planOf(p).stages[0]!;
    expect(showCommand(stage, { wandb: "", resume: false })).toBe("train");
    expect(showCommand(stage, { wandb: "proj x", resume: true })).toBe("train --wandb 'proj x' --resume");
  });

  it("GIVEN an Airflow export WHEN the stage data is written THEN the groups reach the runtime as data", () => {
    expect(stageData(planOf(p).stages[0]!).command).toEqual({
      kind: "argv",
      argv: [
        "train",
        { optional: "wandb", argv: ["--wandb", [{ param: "wandb" }]] },
        { optional: "resume", argv: ["--resume"] },
      ],
    });
  });

  it("GIVEN an optional group on an undeclared parameter WHEN planned THEN it is an unknown-param problem", () => {
    const bad = pipeline("bad", {}, ({ stage }) => {
      stage("a", { command: ["x", optional(paramRef<"nope", string>("nope"))] });
    });
    const result = plan(bad);
    expect(result.ok ? [] : result.problems.map((x) => x.message)).toEqual([
      'stage "a" uses parameter "nope" in its argument 2, but the pipeline declares no such parameter',
    ]);
  });
});
