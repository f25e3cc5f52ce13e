import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { advise, planKey, type Advice } from "../../src/records/advise/advise.js";
import { AdviseConfigSchema, loadAdviseConfig } from "../../src/records/advise/advise-config.js";
import { plansOf } from "../../src/records/plan-file.js";
import { readRuns } from "../../src/records/read-runs.js";
import { fromManifest, type RunHead, type RunView } from "../../src/records/run-view.js";
import { WEEK_MS } from "../../src/records/time.js";
import type { Plan } from "../../src/plan/schema.js";
import { chainPlan, manifest, writeRun, type RunSpec } from "../fixtures/history/factory.js";
import { deadPid, tempDir } from "./helpers.js";

const NOW = Date.parse("2025-03-29T00:00:00Z");
const DEFAULTS = AdviseConfigSchema.parse({}).thresholds;
const HOUR = 3_600_000;

/** `n` runs spread over the last 4 weeks (the oldest 27 days ago), newest first. */
function runs(n: number, spec: (i: number) => Partial<RunSpec> = () => ({})): RunView[] {
  return Array.from({ length: n }, (_, i) => {
    const m = manifest({
      runId: `r${String(i).padStart(3, "0")}`,
      start: new Date(NOW - HOUR - i * Math.floor((27 * 24 * HOUR) / Math.max(1, n))),
      ...spec(i),
    });
    return fromManifest(m, `/runs/${m.runId}`, m.runId);
  });
}

function run(all: readonly RunHead[], plans = new Map<string, Plan | null>(), thresholds = DEFAULTS): Advice {
  return advise({ runs: all, plans, thresholds, windowMs: 4 * WEEK_MS, now: NOW });
}

const signal = (a: Advice, key: string) => {
  const s = a.signals.find((x) => x.key === key)!;
  return [s.value, s.breached];
};

describe("advise: the move-to-Airflow rule", () => {
  it("stays lite on an empty history", () => {
    const a = run([]);
    expect([a.verdict, a.reasons, a.exports]).toEqual(["stay lite", ["no runs in the window"], []]);
  });

  it("counts production-like runs a week: 10 stays lite, 11 moves; partial and dry runs do not count", () => {
    expect(signal(run(runs(40)), "runs-per-week")).toEqual([10, false]);
    expect(signal(run(runs(44)), "runs-per-week")).toEqual([11, true]);
    expect(signal(run(runs(44, (i) => (i < 4 ? { from: ["train"] } : {}))), "runs-per-week")).toEqual([10, false]);
    const dry = runs(44, (i) => (i < 4 ? { stages: [{ id: "prepare", status: "pending" }], status: "success" } : {}));
    expect(signal(run(dry), "runs-per-week")).toEqual([10, false]);
    const old = runs(44, (i) => (i < 4 ? { start: new Date(NOW - 5 * WEEK_MS) } : {}));
    expect(signal(run(old), "runs-per-week")).toEqual([10, false]);
  });

  it("computes rates over the history there is when it is younger than the window", () => {
    // GIVEN 11 runs, all within the last 6 days (nothing older)
    const young = Array.from({ length: 11 }, (_, i) =>
      fromManifest(manifest({ runId: `y${i}`, start: new Date(NOW - (i + 1) * 12 * HOUR) }), "/runs/y", `y${i}`),
    );
    const a = run(young);
    // THEN the rate is per week of that history (at least one week)
    expect([a.weeks, signal(a, "runs-per-week")]).toEqual([1, [11, true]]);
  });

  it("counts distinct engineers: 2 stays lite, 3 moves", () => {
    expect(signal(run(runs(12, (i) => ({ user: ["ada", "bo"][i % 2]! }))), "engineers")).toEqual([2, false]);
    const three = run(runs(12, (i) => ({ user: ["ada", "bo", "cy"][i % 3]! })));
    expect(signal(three, "engineers")).toEqual([3, true]);
    expect(three.reasons).toEqual(["3 engineers started runs (ada, bo, cy); move at more than 2"]);
  });

  it("counts manual recovery: resumes and reruns of the same plan after a failure; 20% stays lite, 30% moves", () => {
    expect(
      signal(run(runs(10, (i) => (i < 2 ? { trigger: "resume", resumeOf: "x" } : {}))), "manual-recovery"),
    ).toEqual([0.2, false]);
    expect(
      signal(run(runs(10, (i) => (i < 3 ? { trigger: "resume", resumeOf: "x" } : {}))), "manual-recovery"),
    ).toEqual([0.3, true]);
    // GIVEN newest first: r000 and r002 rerun the plan right after failures (r001, r003); r004 failed under another plan
    const failing = { stages: [{ id: "prepare", outcomes: ["failed" as const] }] };
    const mixed = runs(10, (i) => (i === 1 || i === 3 ? failing : i === 5 ? { ...failing, planHash: "plan-b" } : {}));
    expect(signal(run(mixed), "manual-recovery")).toEqual([0.2, false]);
  });

  it("does not judge the recovery share over fewer runs than the minimum", () => {
    const a = run(runs(3, () => ({ trigger: "resume" })));
    expect(signal(a, "manual-recovery")).toEqual([0, false]);
    expect(a.signals.find((s) => s.key === "manual-recovery")!.shown).toBe("3 of 3 (too few runs to judge)");
  });

  it("counts orchestration incidents, not gate FAILs or the user's non-zero exits; 1.5 a week stays lite, 2 moves", () => {
    const kinds: Partial<RunSpec>[] = [
      { stages: [{ id: "train", outcomes: ["timeout"] }] },
      { stages: [{ id: "train", outcomes: ["missing-output"] }] },
      { stages: [{ id: "train", outcomes: ["timeout"] }] },
      { stages: [{ id: "train", gpuWaitMs: 20 * 60_000 }] },
      { stages: [{ id: "train", outcomes: ["running"] }], host: "gone", status: "running" },
      { stages: [{ id: "train", outcomes: ["timeout", "timeout"] }] },
      { stages: [{ id: "train", outcomes: ["timeout"] }] },
    ];
    const harmless: Partial<RunSpec>[] = [
      { stages: [{ id: "train", outcomes: ["failed"] }] },
      { stages: [{ id: "gate", gate: { verdict: "FAIL" } }] },
      { stages: [{ id: "train", gpuWaitMs: 5 * 60_000 }] },
    ];
    const seven = run(runs(20, (i) => kinds[i] ?? harmless[i % 3]!));
    // the "gone" run is still recorded as running on another host: not an incident
    expect(signal(seven, "incidents-per-week")).toEqual([1.5, false]);
    const eight = run(
      runs(20, (i) => kinds[i] ?? (i < 9 ? { stages: [{ id: "train", outcomes: ["timeout"] }] } : harmless[i % 3]!)),
    );
    expect(signal(eight, "incidents-per-week")).toEqual([2, true]);
    expect(eight.incidents.map((x) => x.cause).slice(0, 4)).toEqual([
      'stage "train" timed out',
      'stage "train" did not write its declared outputs',
      'stage "train" timed out',
      'stage "train" waited 20m00s for a GPU',
    ]);
  });

  it("GIVEN twenty minutes of one person with two Ctrl-C presses and a resume WHEN advised THEN no incident, no recovery, and too little history for a verdict", () => {
    // GIVEN newest first: a resume of r002, which the user stopped; r001 stopped too; all within 20 minutes
    const minute = 60_000;
    const stopped = { status: "cancelled" as const, stages: [{ id: "train", outcomes: ["cancelled" as const] }] };
    const spec: Partial<RunSpec>[] = [{ trigger: "resume", resumeOf: "r002" }, stopped, stopped, {}];
    const short = spec.map((sp, i) => {
      const m = manifest({
        runId: `r${String(i).padStart(3, "0")}`,
        start: new Date(NOW - (i + 1) * 5 * minute),
        ...sp,
      });
      return fromManifest(m, `/runs/${m.runId}`, m.runId);
    });
    const a = run(short, new Map(), {
      ...DEFAULTS,
      incidentsPerWeek: 1,
      manualRecoveryMinRuns: 1,
      manualRecoveryShare: 0,
    });
    expect([a.incidents, signal(a, "manual-recovery"), a.verdict, a.enoughHistory, a.reasons]).toEqual([
      [],
      [0, false],
      "stay lite",
      false,
      ["too little history for a verdict: 4 runs over 0 days; advise needs at least 2 weeks and 10 runs"],
    ]);
  });

  it("counts an interrupted run (dead runner on this host) as an incident", async () => {
    const pid = await deadPid();
    const a = run(
      runs(4, (i) =>
        i === 0
          ? {
              host: os.hostname(),
              pid,
              status: "running",
              stages: [{ id: "prepare" }, { id: "train", outcomes: ["running"] }],
            }
          : {},
      ),
    );
    expect(a.incidents.map((x) => [x.runId, x.cause])).toEqual([
      ["r000", 'interrupted (runner gone) while "train" was running'],
    ]);
  });

  it("moves when a pipeline declares a schedule, and names the export command from the plan's source file", () => {
    const scheduled = chainPlan("rwkv", ["prepare", "train"], { schedule: "@daily", file: "pipelines/rwkv v7.ts" });
    const plain = chainPlan("rwkv", ["prepare", "train"], { file: "pipelines/rwkv.ts" });
    const all = runs(12, () => ({ planHash: scheduled.hash }));
    expect(signal(run(all, new Map([[planKey(all[0]!), plain]])), "schedules")).toEqual([0, false]);
    const a = run(all, new Map([[planKey(all[0]!), scheduled]]));
    expect([a.verdict, signal(a, "schedules"), a.exports]).toEqual([
      "move to Airflow",
      [1, true],
      [
        {
          pipelineId: "rwkv",
          file: "pipelines/rwkv v7.ts",
          command: "updraft export airflow 'pipelines/rwkv v7.ts' --out dags/",
        },
      ],
    ]);
  });

  it("follows thresholds from the config", () => {
    const t = { ...DEFAULTS, runsPerWeek: 5, engineers: 0 };
    const a = run(runs(24), new Map(), t);
    expect([signal(a, "runs-per-week"), signal(a, "engineers"), a.exports[0]!.command]).toEqual([
      [6, true],
      [1, true],
      "updraft export airflow <pipeline file of rwkv> --out dags/",
    ]);
  });

  it("reads schedules from the plan.json kept with the runs", async () => {
    const root = tempDir();
    const plan = chainPlan("nightly", ["prepare", "train"], { schedule: "0 3 * * *", file: "pipelines/nightly.ts" });
    writeRun(
      root,
      manifest({ runId: "n1", pipelineId: "nightly", planHash: plan.hash, start: new Date(NOW - HOUR) }),
      plan,
    );
    writeRun(
      root,
      manifest({ runId: "n2", pipelineId: "nightly", planHash: plan.hash, start: new Date(NOW - 2 * HOUR) }),
    );
    const { runs: read } = await readRuns(root);
    const warnings: string[] = [];
    const young = { ...DEFAULTS, minHistoryWeeks: 0, minRuns: 0 };
    const a = run(read, await plansOf(read, (m) => warnings.push(m)), young);
    expect([warnings, a.verdict, a.reasons, a.exports.map((e) => e.command)]).toEqual([
      [],
      "move to Airflow",
      ["1 pipeline declares a schedule (nightly); move at 1 or more: a scheduler with backfill is Airflow's job"],
      ["updraft export airflow pipelines/nightly.ts --out dags/"],
    ]);
  });
});

describe("loadAdviseConfig", () => {
  it("uses the defaults without a config file, and reads updraft.config.json from the cwd", async () => {
    const dir = tempDir();
    expect(await loadAdviseConfig({ cwd: dir })).toEqual({
      ok: true,
      file: null,
      config: { window: "4w", thresholds: DEFAULTS },
    });
    writeFileSync(
      path.join(dir, "updraft.config.json"),
      JSON.stringify({ advise: { window: "2w", thresholds: { runsPerWeek: 20 } } }),
    );
    const r = await loadAdviseConfig({ cwd: dir });
    expect(r.ok && [r.config.window, r.config.thresholds.runsPerWeek, r.config.thresholds.engineers]).toEqual([
      "2w",
      20,
      2,
    ]);
  });

  it("reports every problem of a bad config, and a missing --config file", async () => {
    const dir = tempDir();
    const file = path.join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ advise: { window: "soon", thresholds: { runsPerWeek: -1, enginers: 3 } } }));
    expect(await loadAdviseConfig({ cwd: dir, file })).toEqual({
      ok: false,
      file,
      problems: [
        'advise.window: expected a span such as "4w", "30d" or "12h"',
        "advise.thresholds.runsPerWeek: Too small: expected number to be >=0",
        'advise.thresholds: unknown key "enginers"; did you mean "engineers"? known keys: runsPerWeek, engineers, incidentsPerWeek, gpuWaitMinutes, manualRecoveryShare, manualRecoveryMinRuns, scheduledPipelines, minHistoryWeeks, minRuns',
      ],
    });
    writeFileSync(file, "{ nope");
    expect((await loadAdviseConfig({ cwd: dir, file })) as unknown).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^invalid JSON: /)],
    });
    expect((await loadAdviseConfig({ cwd: dir, file: path.join(dir, "missing.json") })) as unknown).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^cannot read it: ENOENT/)],
    });
  });
});
