/**
 * `updraft status` (planStatus): what a run would skip and run, and why, without running anything.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh, t } from "../../../../src/dsl/template.js";
import { planStatus } from "../../../../src/executors/local/status.js";
import { counter, planOf, run, tempDir } from "../helpers.js";

const plan = planOf(
  pipeline("status", { params: { run: param.string({ default: "r1" }) } }, ({ stage, params: p }) => {
    const prep = stage("prep", {
      command: sh`echo x >> prep.count; cat in.txt > prep.out`,
      inputs: ["in.txt"],
      outputs: ["prep.out"],
    });
    stage("train", {
      command: sh`cat prep.out > model-${p.run}.bin`,
      inputs: ["prep.out"],
      outputs: [t`model-${p.run}.bin`],
      dependsOn: [prep],
    });
  }),
);

describe("status", () => {
  it("GIVEN a run WHEN status is asked with other params, a changed input and a missing output THEN each stage says why", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "in.txt"), "v1\n");
    const first = await run(plan, dir, { run: "r1" });
    const opts = { cwd: dir, runsDir: path.join(dir, "runs") };
    const same = await planStatus(plan, { run: "r1" }, opts);
    expect(same.stages).toEqual([
      {
        stage: "prep",
        state: "up_to_date",
        reasons: [`same command, params and inputs as run ${first.runId.slice(-6)}`],
      },
      {
        stage: "train",
        state: "up_to_date",
        reasons: [`same command, params and inputs as run ${first.runId.slice(-6)}`],
      },
    ]);
    expect((await planStatus(plan, { run: "alt" }, opts)).stages[1]).toEqual({
      stage: "train",
      state: "would_run",
      reasons: ["param run changed (r1 -> alt)"],
    });
    writeFileSync(path.join(dir, "in.txt"), "v2\n");
    expect((await planStatus(plan, { run: "r1" }, opts)).stages).toEqual([
      { stage: "prep", state: "would_run", reasons: ["input in.txt changed"] },
      { stage: "train", state: "would_run", reasons: ["upstream prep will run"] },
    ]);
    writeFileSync(path.join(dir, "in.txt"), "v1\n");
    writeFileSync(path.join(dir, "model-r1.bin"), "tampered\n");
    expect((await planStatus(plan, { run: "r1" }, opts)).stages[1]).toEqual({
      stage: "train",
      state: "would_run",
      reasons: ["output model-r1.bin (changed)"],
    });
    expect(counter(path.join(dir, "prep.count"))).toBe(1);
  });
});
