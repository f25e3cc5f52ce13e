/**
 * Gates guard --only and --from: a stage started on its own past a blocking gate whose latest
 * verdict on the same data is FAIL is refused with the gate's reason, unless --ignore-gates.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { param } from "../../../../src/dsl/params.js";
import { sh } from "../../../../src/dsl/template.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import { counter, planOf, run, stageOf, tempDir } from "../helpers.js";

const plan = planOf(
  pipeline("guarded", {}, ({ stage, qualityGate }) => {
    const prep = stage("prep", {
      command: sh`cat rows.json > metrics.json`,
      inputs: ["rows.json"],
      outputs: ["metrics.json"],
    });
    const gate = qualityGate("data_gate", {
      after: [prep],
      metrics: "metrics.json",
      severity: "block",
      rules: (r) => [r.metric("rows").gte(100)],
    });
    stage("train", { command: sh`echo x >> train.count`, dependsOn: [gate] });
  }),
);

describe("gates guard --only and --from", () => {
  it("GIVEN a blocking gate that failed WHEN train is started with --only THEN it is refused with the gate's reason", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rows.json"), '{"rows": 80}');
    const failed = await run(plan, dir);
    expect(stageOf(failed, "data_gate").gate?.verdict).toBe("FAIL");
    const error = (await run(plan, dir, {}, { only: ["train"] }).catch((e: unknown) => e)) as RunSetupError;
    expect(error).toBeInstanceOf(RunSetupError);
    expect(error.message).toBe(
      `gate data_gate failed in run ${failed.runId} on the same data, and train depends on it: ${stageOf(failed, "data_gate").gate!.reason}`,
    );
    expect(error.hint).toMatch(/--ignore-gates/);
    expect(counter(path.join(dir, "train.count"))).toBe(0);
  });

  it("GIVEN --ignore-gates WHEN train is started with --only THEN it runs and the manifest records it", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rows.json"), '{"rows": 80}');
    await run(plan, dir);
    const m = await run(plan, dir, {}, { only: ["train"], ignoreGates: true });
    expect(m.status).toBe("success");
    expect(m.selection).toMatchObject({ only: ["train"], ignoreGates: true });
    expect(counter(path.join(dir, "train.count"))).toBe(1);
  });

  it("GIVEN the gate's data changed since it failed WHEN train is started with --only THEN it is not refused", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rows.json"), '{"rows": 80}');
    await run(plan, dir);
    writeFileSync(path.join(dir, "metrics.json"), '{"rows": 150}');
    const m = await run(plan, dir, {}, { only: ["train"] });
    expect(m.status).toBe("success");
  });
});

describe("a gate whose bound is a parameter, guarding --only", () => {
  const bounded = planOf(
    pipeline("bounded", { params: { min_rows: param.int({ default: 100 }) } }, ({ stage, qualityGate, params }) => {
      const prep = stage("prep", { command: sh`echo '{"rows": 150}' > metrics.json`, outputs: ["metrics.json"] });
      const gate = qualityGate("data_gate", {
        after: [prep],
        metrics: "metrics.json",
        rules: (r) => [r.metric("rows").gte(params.min_rows)],
      });
      stage("train", { command: sh`echo x >> train.count`, dependsOn: [gate] });
    }),
  );

  it("GIVEN the gate failed with one bound WHEN train is started with --only and a lower bound THEN it is not refused", async () => {
    const dir = tempDir();
    const failed = await run(bounded, dir, { min_rows: 200 });
    expect(stageOf(failed, "data_gate").gate?.reason).toBe("rows is 150, expected at least 200 (parameter min_rows)");
    const refused = await run(bounded, dir, { min_rows: 200 }, { only: ["train"] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunSetupError);

    const m = await run(bounded, dir, { min_rows: 100 }, { only: ["train"] });

    expect(m.status).toBe("success");
    expect(counter(path.join(dir, "train.count"))).toBe(1);
  });
});
