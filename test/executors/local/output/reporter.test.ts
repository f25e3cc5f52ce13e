/**
 * What a run prints: timestamped lines outside a terminal, a live status block on one, only the
 * outcome with --quiet.
 */
import { describe, expect, it } from "vitest";
import type { Manifest } from "../../../../src/records/manifest.js";
import type { RunEvent } from "../../../../src/executors/local/output/events.js";
import { createReporter } from "../../../../src/executors/local/output/reporter.js";

function sink(isTTY = false) {
  const parts: string[] = [];
  return {
    stream: Object.assign(
      { write: (t: string) => parts.push(t) },
      { isTTY, columns: 100 },
    ) as unknown as NodeJS.WritableStream & { isTTY: boolean },
    text: () => parts.join(""),
  };
}

const at = new Date(2025, 0, 1, 12, 0, 1).getTime();
const manifest: Manifest = {
  version: 1,
  runId: "R1",
  pipelineId: "p",
  planHash: "h",
  executor: "local",
  params: {},
  git: null,
  user: "u",
  host: "h",
  pid: 1,
  trigger: "manual",
  resumeOf: null,
  selection: { only: [], from: [], force: false },
  start: "2025-01-01T12:00:00.000Z",
  end: "2025-01-01T12:00:05.000Z",
  status: "failed",
  stages: [
    {
      id: "train",
      kind: "task",
      status: "failed",
      reason: "exit 1 (attempt 2 of 2)",
      outputs: [],
      gate: null,
      fingerprint: null,
      inputs: [],
      attempts: [
        {
          attempt: 1,
          start: "2025-01-01T12:00:01.000Z",
          end: "2025-01-01T12:00:02.000Z",
          exitCode: 1,
          signal: null,
          durationMs: 1000,
          outcome: "failed",
          log: "logs/train.1.log",
          gpus: [0],
          gpuWaitMs: 0,
          retryDelayMs: 2000,
        },
        {
          attempt: 2,
          start: "2025-01-01T12:00:04.000Z",
          end: "2025-01-01T12:00:05.000Z",
          exitCode: 1,
          signal: null,
          durationMs: 1000,
          outcome: "failed",
          log: "logs/train.2.log",
          gpus: [0],
          gpuWaitMs: 0,
          retryDelayMs: null,
        },
      ],
    },
    {
      id: "eval",
      kind: "task",
      status: "upstream_failed",
      reason: "train failed",
      outputs: [],
      gate: null,
      fingerprint: null,
      inputs: [],
      attempts: [],
    },
  ],
};

const events: RunEvent[] = [
  { type: "run-start", at, runId: "R1", runDir: "/r/R1", pipelineId: "p", stages: 2, resumeOf: null, notSelected: 0 },
  { type: "attempt-start", at, stage: "train", attempt: 1, max: 2, gpus: [0] },
  {
    type: "gpu-wait",
    at,
    stage: "eval",
    holders: [{ gpu: 0, pid: 42, pidStart: null, host: "box", runId: "R0", stage: "train", since: "", childPid: null }],
  },
  {
    type: "attempt-end",
    at,
    stage: "train",
    attempt: 1,
    max: 2,
    outcome: "failed",
    exitCode: 1,
    signal: null,
    durationMs: 1000,
    retryInMs: 2000,
    reason: "exit 1",
  },
];

describe("reporter", () => {
  it("GIVEN output that is not a terminal WHEN events arrive THEN each is one timestamped line", () => {
    const out = sink();
    const r = createReporter({ mode: "auto", verbose: false, stream: out.stream, summaryStream: out.stream });
    events.forEach((e) => r.event(e));
    expect(out.text()).toBe(
      [
        "12:00:01 run R1: pipeline p, 2 stages; records in /r/R1",
        "12:00:01 train attempt 1/2 started on GPU 0",
        "12:00:01 eval waiting for a GPU: GPU 0 held by run R0, stage train, pid 42 on box",
        "12:00:01 train attempt 1/2 failed (exit 1), retry in 2.0s",
        "",
      ].join("\n"),
    );
  });

  it("GIVEN a terminal WHEN a stage runs and another waits THEN a live block shows them and done/total, and it is cleared at the end", () => {
    const out = sink(true);
    const summary = sink();
    const r = createReporter({ mode: "auto", verbose: false, stream: out.stream, summaryStream: summary.stream });
    events.slice(0, 3).forEach((e) => r.event({ ...e, at: Date.now() }));
    const shown = out.text().replace(/\x1b\[[0-9;]*m/g, "");
    expect(shown).toMatch(/▶ train {2}attempt 1\/2 {2}0\.0s {2}GPU 0/);
    expect(shown).toContain("… eval waiting for a GPU: GPU 0 held by run R0, stage train, pid 42 on box");
    expect(shown).toContain("0/2 done, 1 running, 1 waiting for a GPU");
    r.event({ ...events[3]!, at: Date.now() } as RunEvent);
    expect(out.text().replace(/\x1b\[[0-9;]*m/g, "")).toMatch(/↻ train {2}attempt 2\/2 in [12](\.\d)?s/);
    r.event({ type: "run-end", at, manifest, runDir: "/r/R1" });
    expect(out.text().endsWith("\x1b[J")).toBe(true);
    expect(summary.text().replace(/\x1b\[[0-9;]*m/g, "")).toContain(
      "train  failed           2         4.0s      exit 1 (attempt 2 of 2) (/r/R1/logs/train.2.log)",
    );
  });

  it("GIVEN --quiet WHEN the run ends THEN only the outcome lines are printed", () => {
    const out = sink();
    const r = createReporter({ mode: "quiet", verbose: false, stream: out.stream, summaryStream: out.stream });
    [...events, { type: "run-end", at, manifest, runDir: "/r/R1" } as RunEvent].forEach((e) => r.event(e));
    expect(out.text().split("\n")[0]).toBe("run R1: failed in 5.0s (1 failed, 1 upstream_failed)");
    expect(out.text()).toContain("continue it with: --resume R1");
    expect(out.text()).not.toContain("attempt");
  });
});

describe("a stage's \\r progress with --verbose", () => {
  const progress = (line: string, dt = 0): RunEvent => ({
    type: "output",
    at: at + dt,
    stage: "train",
    line,
    progress: true,
  });

  it("GIVEN a terminal WHEN updates arrive THEN the latest shows under the stage's line, and goes with the attempt", () => {
    const out = sink(true);
    const r = createReporter({ mode: "auto", verbose: true, stream: out.stream, summaryStream: sink().stream });
    r.event({ ...events[1]!, at: Date.now() } as RunEvent);
    r.event(progress(" 10%|#         |"));
    r.event(progress(" 20%|##        |"));
    const screen = () => out.text().replace(/\x1b\[[0-9;]*m/g, "");
    const lastBlock = () => screen().split("\x1b[").at(-1)!;
    expect(lastBlock()).toMatch(/▶ train {2}attempt 1\/2 .*\n {4}\[train\]  20%\|## {8}\|\n/);
    expect(lastBlock()).not.toContain("10%");
    // No scrolling line was printed for an update.
    expect(screen()).not.toMatch(/^\[train\]/m);
    r.event({ ...events[3]!, at: Date.now() } as RunEvent);
    expect(lastBlock()).not.toContain("[train]");
    r.close();
  });

  it("GIVEN output that is not a terminal WHEN updates arrive faster than one a second THEN one line a second is printed", () => {
    const out = sink();
    const r = createReporter({ mode: "plain", verbose: true, stream: out.stream, summaryStream: sink().stream });
    [0, 300, 600, 1000, 1500, 2100].forEach((dt) => r.event(progress(`${dt}ms`, dt)));
    r.event({ type: "output", at: at + 2200, stage: "train", line: "done" });
    expect(out.text().split("\n")).toEqual([
      "12:00:01 [train] 0ms",
      "12:00:02 [train] 1000ms",
      "12:00:03 [train] 2100ms",
      "12:00:03 [train] done",
      "",
    ]);
  });
});
