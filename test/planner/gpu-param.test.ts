/**
 * A GPU count from a run parameter (`gpu: p.gpus`): the Plan carries the reference, planning checks
 * the parameter, and resolving a run's values checks the count.
 */
import { describe, expect, it } from "vitest";
import { param, pipeline, plan, sh, type ParamRef, type Pipeline } from "updraft";
import { needsGpu, resolveParams, stageGpus } from "../../src/planner/params.js";
import { planOf } from "../plan-of.js";

function problems(p: Pipeline): string[] {
  const r = plan(p);
  return r.ok ? [] : r.problems.map((x) => `${x.code} ${x.stage}: ${x.message} | hint: ${x.hint}`);
}

const counted = (gpus: ReturnType<typeof param.int>) =>
  pipeline("counted", { params: { gpus } }, ({ stage, params: p }) => {
    stage("train", { command: sh`python train.py`, gpu: p.gpus });
  });

describe("a GPU count from a parameter", () => {
  it("GIVEN gpu: p.gpus WHEN planned THEN the stage carries the reference, and the run's value is its count", () => {
    const p = planOf(counted(param.int({ default: 1 })));
    const train = p.stages[0]!;
    expect(train.gpu).toEqual({ param: "gpus" });
    expect(needsGpu(train)).toBe(true);
    expect(stageGpus(train, { gpus: 3 })).toBe(3);
  });

  it("GIVEN a GPU count from a parameter that is not an int, undeclared, or defaults below 1 WHEN planned THEN each is a problem naming the stage and the parameter", () => {
    const wrongType = pipeline("t", { params: { lr: param.number({ default: 0.5 }) } }, ({ stage, params: p }) => {
      stage("train", { command: ["true"], gpu: p.lr });
    });
    // A placeholder of another pipeline's parameter, which this one does not declare.
    let foreign: ParamRef<"gpus", number> | undefined;
    pipeline("o", { params: { gpus: param.int({ default: 1 }) } }, ({ params: p }) => {
      foreign = p.gpus;
    });
    const undeclared = pipeline("u", {}, ({ stage }) => {
      stage("train", { command: ["true"], gpu: foreign! });
    });
    expect([...problems(wrongType), ...problems(undeclared), ...problems(counted(param.int({ default: 0 })))])
      .toMatchInlineSnapshot(`
        [
          "invalid-gpu train: stage "train" takes its GPU count from parameter "lr", a number parameter | hint: a GPU count is a whole number: declare lr as param.int({ default: 1 })",
          "unknown-param train: stage "train" takes its GPU count from parameter "gpus", but the pipeline declares no such parameter | hint: declare it in params: { gpus: param.int({ default: 1 }) }",
          "invalid-gpu train: stage "train" takes its GPU count from parameter "gpus", whose default is 0 | hint: give gpus a default of 1 or more (a stage without GPUs leaves gpu out)",
        ]
      `);
  });

  it("GIVEN a required GPU-count parameter WHEN planned THEN it is valid, and a run's value below 1 is a problem naming both", () => {
    const p = planOf(counted(param.int()));
    const given = resolveParams(p.params, { cli: ["gpus=0"] }, p.stages);
    expect(given.ok ? [] : given.problems.map((x) => [x.code, x.stage, x.message, x.hint])).toEqual([
      [
        "invalid-param-value",
        "train",
        'parameter "gpus" from --param is 0, but stage "train" takes its GPU count from it',
        "give gpus a whole number of GPUs, 1 or more",
      ],
    ]);
    // A plan shows a required value as a placeholder: no count to check yet.
    expect(resolveParams(p.params, { allowMissing: true }, p.stages).ok).toBe(true);
  });

  it("GIVEN plans written before GPU counts could come from parameters WHEN planned THEN their hashes are unchanged", () => {
    const p = planOf(
      pipeline("fixed", {}, ({ stage }) => {
        stage("train", { command: ["true"], gpu: 2 });
      }),
    );
    expect(p.stages[0]!.gpu).toBe(2);
    expect(p.hash).toMatchInlineSnapshot(`"36a85f2120fe8b4f906d91f49edc5a84a4efd74b54a5f73d5c263fc74434259b"`);
  });
});
