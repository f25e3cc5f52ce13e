import { describe, expect, it } from "vitest";
import { eventText, type RunEvent } from "../../../../src/executors/local/output/events.js";

const gate = (verdict: "PASS" | "FAIL", severity: "block" | "warn"): RunEvent => ({
  type: "gate",
  at: 0,
  stage: "data_ok",
  result: { gate: "data_ok", verdict, severity, rules: [], reason: "rows is 50, expected at least 100", time: "" },
});

describe("event lines", () => {
  it("GIVEN a blocking gate FAIL WHEN its gate and stage-end events are printed THEN the verdict is said once", () => {
    const end: RunEvent = {
      type: "stage-end",
      at: 0,
      stage: "data_ok",
      status: "failed",
      reason: "FAIL (block): rows is 50, expected at least 100",
    };
    expect([gate("FAIL", "block"), end].map(eventText).filter((t) => t !== null)).toEqual([
      "data_ok failed: FAIL (block): rows is 50, expected at least 100",
    ]);
  });

  it("GIVEN a warning FAIL WHEN printed THEN the gate line says it (the stage succeeds silently)", () => {
    expect(eventText(gate("FAIL", "warn"))).toBe("data_ok FAIL (warn): rows is 50, expected at least 100");
  });

  it("GIVEN a run of one stage WHEN it starts THEN the line counts it in the singular", () => {
    const start = (stages: number): RunEvent => ({
      type: "run-start",
      at: 0,
      runId: "R1",
      runDir: "runs/R1",
      pipelineId: "p",
      stages,
      resumeOf: null,
      notSelected: 0,
    });
    expect([1, 2].map((n) => eventText(start(n)))).toEqual([
      "run R1: pipeline p, 1 stage; records in runs/R1",
      "run R1: pipeline p, 2 stages; records in runs/R1",
    ]);
  });
});
