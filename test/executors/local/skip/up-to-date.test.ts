/**
 * Up-to-date skipping: a stage whose fingerprint matches its last successful run and whose
 * outputs are intact is skipped with the reason; --force reruns everything.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { counter, planOf, run, stageOf, tempDir } from "../helpers.js";

const twoStages = planOf(
  pipeline("uptodate", { params: { n: param.int({ default: 1 }) } }, ({ stage, params: p }) => {
    const prep = stage("prep", {
      command: sh`echo x >> prep.count; cat input.txt > prep.out; echo ${p.n} >> prep.out`,
      inputs: ["input.txt"],
      outputs: ["prep.out"],
    });
    stage("use", {
      command: sh`echo x >> use.count; cat prep.out > use.out`,
      inputs: ["prep.out"],
      outputs: ["use.out"],
      dependsOn: [prep],
    });
    stage("report", { command: sh`echo x >> report.count`, dependsOn: [prep] });
  }),
);

function project(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "input.txt"), "data v1\n");
  return dir;
}

const counts = (dir: string) => ["prep", "use", "report"].map((s) => counter(path.join(dir, `${s}.count`)));

describe("up to date", () => {
  it("GIVEN a successful run WHEN nothing changed and it runs again THEN stages with outputs are skipped as up_to_date with the reason", async () => {
    const dir = project();
    const first = await run(twoStages, dir, { n: 1 });
    const second = await run(twoStages, dir, { n: 1 });
    expect(counts(dir)).toEqual([1, 1, 2]);
    // The reason names the earlier run by its random suffix (what show and report take), not the full id.
    const short = /-([0-9a-f]{6})$/.exec(first.runId)![1]!;
    expect(stageOf(second, "prep")).toMatchObject({
      status: "up_to_date",
      reason: `same command, params and inputs as run ${short}; its output is intact`,
      attempts: [],
    });
    expect(stageOf(second, "prep").outputs).toEqual(stageOf(first, "prep").outputs);
    expect(stageOf(second, "prep").fingerprint).toBe(stageOf(first, "prep").fingerprint);
    // A stage with no outputs leaves nothing to check, so it always runs.
    expect(stageOf(second, "report").status).toBe("success");
    expect(second.status).toBe("success");
  });

  it("GIVEN an up_to_date run WHEN a third run starts THEN the up_to_date record counts as the last success", async () => {
    const dir = project();
    await run(twoStages, dir, { n: 1 });
    await run(twoStages, dir, { n: 1 });
    const third = await run(twoStages, dir, { n: 1 });
    expect(stageOf(third, "use").status).toBe("up_to_date");
    expect(counts(dir)).toEqual([1, 1, 3]);
  });

  it("GIVEN a changed input file WHEN it runs again THEN the stage reading it and everything whose input changed rerun", async () => {
    const dir = project();
    await run(twoStages, dir, { n: 1 });
    writeFileSync(path.join(dir, "input.txt"), "data v2\n");
    const again = await run(twoStages, dir, { n: 1 });
    expect(stageOf(again, "prep").status).toBe("success");
    expect(stageOf(again, "use").status).toBe("success");
    expect(counts(dir)).toEqual([2, 2, 2]);
  });

  it("GIVEN an output changed by hand WHEN it runs again THEN its stage reruns", async () => {
    const dir = project();
    await run(twoStages, dir, { n: 1 });
    writeFileSync(path.join(dir, "use.out"), "tampered\n");
    const again = await run(twoStages, dir, { n: 1 });
    expect(stageOf(again, "prep").status).toBe("up_to_date");
    expect(stageOf(again, "use").status).toBe("success");
  });

  it("GIVEN a different parameter value WHEN it runs again THEN the fingerprint differs and stages rerun", async () => {
    const dir = project();
    await run(twoStages, dir, { n: 1 });
    const again = await run(twoStages, dir, { n: 2 });
    expect(stageOf(again, "prep").status).toBe("success");
    expect(counts(dir)).toEqual([2, 2, 2]);
  });

  it("GIVEN a parameter a stage does not use WHEN its value changes THEN that stage stays up to date", async () => {
    const dir = project();
    const plan = planOf(
      pipeline(
        "partial",
        { params: { n: param.int({ default: 1 }), tag: param.string({ default: "a" }) } },
        ({ stage, params: p }) => {
          stage("uses_n", { command: sh`echo ${p.n} > n.out`, outputs: ["n.out"] });
          stage("uses_env", { command: sh`echo "$UPDRAFT_PARAM_TAG" > tag.out`, outputs: ["tag.out"] });
          stage("uses_none", { command: sh`echo fixed > fixed.out`, outputs: ["fixed.out"] });
        },
      ),
    );
    await run(plan, dir, { n: 1, tag: "a" });
    const byN = await run(plan, dir, { n: 2, tag: "a" });
    expect(byN.stages.map((s) => s.status)).toEqual(["success", "up_to_date", "up_to_date"]);
    const byTag = await run(plan, dir, { n: 2, tag: "b" });
    expect(byTag.stages.map((s) => s.status)).toEqual(["up_to_date", "success", "up_to_date"]);
  });

  it("GIVEN --force WHEN nothing changed THEN every stage reruns", async () => {
    const dir = project();
    await run(twoStages, dir, { n: 1 });
    const forced = await run(twoStages, dir, { n: 1 }, { force: true });
    expect(forced.stages.map((s) => s.status)).toEqual(["success", "success", "success"]);
    expect(forced.selection.force).toBe(true);
    expect(counts(dir)).toEqual([2, 2, 2]);
  });
});
