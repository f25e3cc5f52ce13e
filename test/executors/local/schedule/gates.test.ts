/**
 * Quality gates in a local run: evaluated in-process, the verdict written to gates/<id>.json and
 * the stage record, never retried; a blocking FAIL blocks everything downstream, a warning FAIL
 * is recorded only.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { GateResultSchema } from "../../../../src/records/manifest.js";
import { counter, manifestOnDisk, planOf, run, stageOf, tempDir } from "../helpers.js";

function gated(severity: "block" | "warn", rows: number) {
  return planOf(
    pipeline("gated", {}, ({ stage, qualityGate }) => {
      const prep = stage("prep", { command: sh`echo '{"rows": ${rows}}' > metrics.json`, outputs: ["metrics.json"] });
      const gate = qualityGate("data_gate", {
        after: [prep],
        metrics: "metrics.json",
        severity,
        rules: (r) => [r.metric("rows").gte(100)],
      });
      const train = stage("train", { command: sh`echo x >> train.count`, dependsOn: [gate] });
      stage("release", { command: sh`echo x >> release.count`, dependsOn: [train] });
      stage("docs", { command: sh`echo x >> docs.count`, dependsOn: [prep] });
    }),
  );
}

describe("quality gates", () => {
  it("GIVEN metrics that pass WHEN the gate runs THEN it succeeds, its verdict is recorded and downstream runs", async () => {
    const dir = tempDir();
    const m = await run(gated("block", 150), dir);
    const g = stageOf(m, "data_gate");
    expect(g.status).toBe("success");
    expect(g.gate).toMatchObject({ gate: "data_gate", verdict: "PASS", severity: "block" });
    expect(g.attempts).toMatchObject([{ attempt: 1, outcome: "success", log: null }]);
    const file = GateResultSchema.parse(
      JSON.parse(readFileSync(path.join(dir, "runs", m.runId, "gates/data_gate.json"), "utf8")),
    );
    expect(file).toEqual(g.gate);
    expect(m.status).toBe("success");
    expect(counter(path.join(dir, "release.count"))).toBe(1);
  });

  it("GIVEN a blocking gate that fails WHEN the run goes on THEN everything downstream is blocked, the rest runs, and the reason names the rule", async () => {
    const dir = tempDir();
    const m = await run(gated("block", 80), dir);
    const g = stageOf(m, "data_gate");
    expect(g.status).toBe("failed");
    expect(g.gate?.verdict).toBe("FAIL");
    expect(g.reason).toBe(`FAIL (block): ${g.gate!.reason}`);
    expect(g.gate!.reason).toContain("80");
    expect(stageOf(m, "train")).toMatchObject({ status: "blocked", reason: "gate data_gate failed" });
    expect(stageOf(m, "release")).toMatchObject({ status: "blocked", reason: "gate data_gate failed" });
    expect(stageOf(m, "docs").status).toBe("success");
    expect(m.status).toBe("failed");
    expect(counter(path.join(dir, "train.count"))).toBe(0);
    expect(manifestOnDisk(dir, m.runId)).toEqual(m);
  });

  it("GIVEN a warning gate that fails WHEN the run goes on THEN the FAIL is recorded but nothing is blocked", async () => {
    const dir = tempDir();
    const m = await run(gated("warn", 80), dir);
    const g = stageOf(m, "data_gate");
    expect(g.status).toBe("success");
    expect(g.gate).toMatchObject({ verdict: "FAIL", severity: "warn" });
    expect(g.reason).toMatch(/^FAIL \(warn\): /);
    expect(m.status).toBe("success");
    expect(counter(path.join(dir, "release.count"))).toBe(1);
  });
});
