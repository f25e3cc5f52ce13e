/**
 * --only and --from: part of the DAG runs, the rest is not_selected; an unknown name is an error.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import { counter, planOf, run, tempDir } from "../helpers.js";

const chain = planOf(
  pipeline("chain", {}, ({ stage }) => {
    const a = stage("a", { command: sh`echo x >> a` });
    const b = stage("b", { command: sh`echo x >> b`, dependsOn: [a] });
    const c = stage("c", { command: sh`echo x >> c`, dependsOn: [b] });
    stage("side", { command: sh`echo x >> side`, dependsOn: [a] });
    stage("d", { command: sh`echo x >> d`, dependsOn: [c] });
  }),
);

const statuses = (m: { stages: { id: string; status: string }[] }) =>
  Object.fromEntries(m.stages.map((s) => [s.id, s.status]));

describe("selection", () => {
  it("GIVEN --from b WHEN it runs THEN b and everything downstream run, the rest is not_selected", async () => {
    const dir = tempDir();
    const m = await run(chain, dir, {}, { from: ["b"] });
    expect(statuses(m)).toEqual({ a: "not_selected", b: "success", c: "success", side: "not_selected", d: "success" });
    expect(m.selection).toEqual({ only: [], from: ["b"], force: false });
    expect(m.stages[0]!.reason).toBe("outside --from b");
    expect(counter(path.join(dir, "a"))).toBe(0);
  });

  it("GIVEN --only c --only side WHEN it runs THEN just those run", async () => {
    const dir = tempDir();
    const m = await run(chain, dir, {}, { only: ["c", "side"] });
    expect(statuses(m)).toEqual({
      a: "not_selected",
      b: "not_selected",
      c: "success",
      side: "success",
      d: "not_selected",
    });
    expect(["a", "b", "c", "side", "d"].map((s) => counter(path.join(dir, s)))).toEqual([0, 0, 1, 1, 0]);
  });

  it("GIVEN a stage name that does not exist WHEN the run starts THEN it fails before anything runs, listing the stages", async () => {
    const dir = tempDir();
    const error = await run(chain, dir, {}, { only: ["nope"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunSetupError);
    expect((error as RunSetupError).message).toBe('no stage named "nope" in pipeline chain');
    expect((error as RunSetupError).hint).toBe("stages are: a, b, c, side, d");
  });

  it("GIVEN a misspelt stage name WHEN the run starts THEN the hint suggests the nearest stage", async () => {
    const dir = tempDir();
    const error = await run(chain, dir, {}, { from: ["sdie"] }).catch((e: unknown) => e);
    expect((error as RunSetupError).hint).toBe('did you mean "side"? stages are: a, b, c, side, d');
  });
});
