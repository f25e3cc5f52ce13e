import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chainPlan, manifest, writeAirflowRun, writeRun } from "../fixtures/history/factory.js";
import { hasStack, tempDir, updraftIn } from "./helpers.js";

/** A project directory whose default runs root (.updraft/runs) holds a small, fixed history. */
function project(): { cwd: string; root: string } {
  const cwd = tempDir();
  const root = path.join(cwd, ".updraft", "runs");
  const plan = chainPlan("rwkv", ["prepare", "train", "eval-gate"], {
    gates: ["eval-gate"],
    file: "pipelines/rwkv.ts",
  });
  const stages = [
    { id: "prepare", outputs: ["data/train.jsonl"] },
    {
      id: "train",
      outcomes: ["timeout" as const, "success" as const],
      gpus: [0],
      gpuWaitMs: 90_000,
      inputs: ["data/train.jsonl"],
      outputs: ["out/model.pth"],
    },
    { id: "eval-gate", gate: { verdict: "FAIL" as const, reason: "eval.loss is 2.5, expected <= 1.5 <b>" } },
  ];
  writeRun(
    root,
    manifest({ runId: "20250303-0900-a1b2", start: "2025-03-03T09:00:00Z", planHash: plan.hash, stages }),
    plan,
  );
  writeRun(
    root,
    manifest({
      runId: "20250304-1000-c3d4",
      start: "2025-03-04T10:00:00Z",
      planHash: plan.hash,
      user: "bo",
      trigger: "resume",
      resumeOf: "20250303-0900-a1b2",
      from: ["train"],
      stages: [
        { id: "prepare", status: "not_selected" },
        { id: "train" },
        { id: "eval-gate", gate: { verdict: "PASS" } },
      ],
    }),
    plan,
  );
  writeRun(
    root,
    manifest({
      runId: "20250305-0800-e5f6",
      start: "2025-03-05T08:00:00Z",
      pipelineId: "tokenize",
      stages: [{ id: "split", durationMs: 4_000 }],
    }),
  );
  writeAirflowRun(
    root,
    manifest({
      runId: "20250306-0000-af01",
      start: "2025-03-06T00:00:00Z",
      planHash: plan.hash,
      stages: [{ id: "prepare" }, { id: "train", outcomes: ["failed", "failed"] }],
    }),
    "scheduled__2025-03-06T00:00:00+00:00",
    plan,
  );
  mkdirSync(path.join(root, "half-written"));
  writeFileSync(path.join(root, "half-written", "manifest.json"), '{"version":1,"runId":"hal');
  return { cwd, root };
}

describe("updraft history", () => {
  it("prints the runs newest first and warns about what it skipped", async () => {
    const { cwd } = project();
    const r = await updraftIn(cwd, ["history"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "ID                                            PIPELINE  STATUS   TRIGGER           USER  START (UTC)          DURATION  FAILED STAGE  PARAMS
      airflow-scheduled__2025-03-06T00_00_00_00_00  rwkv      failed   schedule          ada   2025-03-06 00:00:00  3m05s     train         ctx_len=512
      20250305-0800-e5f6                            tokenize  success  manual            ada   2025-03-05 08:00:00  4.0s                    ctx_len=512
      20250304-1000-c3d4                            rwkv      success  resume (partial)  bo    2025-03-04 10:00:00  2m00s                   ctx_len=512
      20250303-0900-a1b2                            rwkv      failed   manual            ada   2025-03-03 09:00:00  7m05s     eval-gate     ctx_len=512"
    `);
    expect(r.stderr.replaceAll(cwd, "CWD")).toMatchInlineSnapshot(
      `"warning: CWD/.updraft/runs/half-written: skipped, manifest.json: invalid JSON (Unterminated string in JSON at position 25)"`,
    );
  });

  it("filters by pipeline and by age, and prints JSON", async () => {
    const cwd = tempDir();
    const root = path.join(cwd, "runs");
    const day = 86_400_000;
    writeRun(root, manifest({ runId: "recent", start: new Date(Date.now() - 2 * day) }));
    writeRun(root, manifest({ runId: "old", start: new Date(Date.now() - 40 * day) }));
    writeRun(root, manifest({ runId: "tok", pipelineId: "tokenize", start: new Date(Date.now() - day) }));
    const ids = async (args: string[], env: Record<string, string> = {}) => {
      const r = await updraftIn(cwd, [...args, "--json"], env);
      return (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
    };
    expect(await ids(["history", "--runs-dir", "runs"])).toEqual(["tok", "recent", "old"]);
    expect(await ids(["history", "--runs-dir", "runs", "--since", "30d"])).toEqual(["tok", "recent"]);
    expect(await ids(["history", "--pipeline", "rwkv"], { UPDRAFT_RUNS_DIR: root })).toEqual(["recent", "old"]);
    const json = JSON.parse((await updraftIn(cwd, ["history", "--runs-dir", "runs", "--json"])).stdout) as Record<
      string,
      unknown
    >[];
    expect(Object.keys(json[0]!)).toEqual([
      "id",
      "runId",
      "pipeline",
      "executor",
      "status",
      "trigger",
      "partial",
      "dryRun",
      "user",
      "host",
      "start",
      "end",
      "durationMs",
      "failedStage",
      "params",
    ]);
    expect(json[0]!.params).toEqual({ ctx_len: 512 });
  });

  it("shows only the newest N runs with --limit, and rejects a limit that is not a positive whole number", async () => {
    const { cwd } = project();
    const ids = async (args: string[]) =>
      (JSON.parse((await updraftIn(cwd, [...args, "--json"])).stdout) as { id: string }[]).map((x) => x.id);
    expect(await ids(["history", "--limit", "2"])).toEqual([
      "airflow-scheduled__2025-03-06T00_00_00_00_00",
      "20250305-0800-e5f6",
    ]);
    expect(await ids(["history", "--pipeline", "rwkv", "--limit", "1"])).toEqual([
      "airflow-scheduled__2025-03-06T00_00_00_00_00",
    ]);
    const bad = await updraftIn(cwd, ["history", "--limit", "0"]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'error: --limit "0" is not a positive whole number\nhint: for example: updraft history --limit 20',
    ]);
  });

  it("names no failed stage for a cancelled run: the stage was stopped, not failed", async () => {
    // GIVEN a run cancelled (Ctrl-C) while train ran, and a run that failed in train
    const cwd = tempDir();
    const root = path.join(cwd, "runs");
    const stages = (last: "cancelled" | "failed") => [{ id: "prepare" }, { id: "train", outcomes: [last] }];
    writeRun(root, manifest({ runId: "stopped", start: "2025-03-04T09:00:00Z", stages: stages("cancelled") }));
    writeRun(root, manifest({ runId: "broke", start: "2025-03-03T09:00:00Z", stages: stages("failed") }));
    // WHEN history and show read them
    const table = (await updraftIn(cwd, ["history", "--runs-dir", "runs"])).stdout.split("\n");
    const json = JSON.parse((await updraftIn(cwd, ["history", "--runs-dir", "runs", "--json"])).stdout) as {
      failedStage: string | null;
    }[];
    const show = (await updraftIn(cwd, ["show", "stopped", "--runs-dir", "runs"])).stdout;
    // THEN only the failed run names a failed stage; show says during which stage the other stopped
    expect(table[1]).toMatch(/^stopped +rwkv +cancelled .* 2m00s +ctx_len=512$/);
    expect(table[2]).toMatch(/^broke +rwkv +failed .* 2m00s +train +ctx_len=512$/);
    expect(json.map((r) => r.failedStage)).toEqual([null, "train"]);
    expect(show).toContain("cancelled  (during train)");
  });

  it("rejects a bad --since with a hint, exit 2", async () => {
    const r = await updraftIn(tempDir(), ["history", "--since", "a while"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      'error: --since "a while" is not a time span\nhint: write it like 30d, 4w, 12h or 1d12h',
    ]);
  });

  it("says so when there are no runs, naming the filters and the folder", async () => {
    const cwd = tempDir();
    expect(await updraftIn(cwd, ["history"])).toEqual({
      code: 0,
      stdout: `no runs in ${cwd}/.updraft/runs`,
      stderr: "",
    });
    const filtered = await updraftIn(cwd, ["history", "--pipeline", "rwkv", "--since", "2w"]);
    expect(filtered.stdout).toBe(`no runs of pipeline rwkv in the last 2w in ${cwd}/.updraft/runs`);
  });
});

describe("updraft show", () => {
  it("shows stages, attempts, gates, outputs, log paths and lineage of a run given by prefix", async () => {
    const { cwd } = project();
    const r = await updraftIn(cwd, ["show", "20250303"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "run 20250303-0900-a1b2  [local]
        pipeline  rwkv  plan d561a48f7c69
        status    failed  (stage eval-gate)
        trigger   manual  by ada@ws-1  pid 4242
        time      2025-03-03 09:00:00 -> 2025-03-03 09:07:05 UTC  (7m05s)
        git       0123abc
        params    ctx_len=512
        selection whole pipeline

      stages
        prepare  task  success
          #1  success  exit 0  1m00s  gpus -  log .updraft/runs/20250303-0900-a1b2/logs/prepare.1.log
          output data/train.jsonl  1600 B  sha256 preparedatatrain
        train  task  success
          #1  timeout  signal SIGTERM  1m00s  gpus 0  gpu wait 1m30s  retry in 5.0s  log .updraft/runs/20250303-0900-a1b2/logs/train.1.log
          #2  success  exit 0  1m00s  gpus 0  gpu wait 1m30s  log .updraft/runs/20250303-0900-a1b2/logs/train.2.log
          output out/model.pth  1300 B  sha256 trainoutmodelpth
        eval-gate  gate  failed  eval.loss is 2.5, expected <= 1.5 <b>
          #1  failed  1m00s
          gate FAIL (block): eval.loss is 2.5, expected <= 1.5 <b>
            fail eval.loss must be at most 1.5: actual 2.5; eval.loss is 2.5, expected <= 1.5 <b>

      lineage (inputs -> outputs)
        prepare: (none) -> data/train.jsonl (preparedatat)
        train: data/train.jsonl [prepare] -> out/model.pth (trainoutmode)
        eval-gate: (none) -> (none)"
    `);
  });

  it("shows an Airflow run by its updraft run id", async () => {
    const { cwd } = project();
    const r = await updraftIn(cwd, ["show", "20250306-0000-af01"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "run airflow-scheduled__2025-03-06T00_00_00_00_00 (run id 20250306-0000-af01)  [airflow]
        pipeline  rwkv  plan d561a48f7c69
        status    failed  (stage train)
        trigger   schedule  by ada@ws-1
        time      2025-03-06 00:00:00 -> 2025-03-06 00:03:05 UTC  (3m05s)
        git       -
        params    ctx_len=512
        selection whole pipeline

      stages
        prepare  task  success
          #1  success  exit 0  1m00s  gpus -  log .updraft/runs/airflow-scheduled__2025-03-06T00_00_00_00_00/logs/prepare.1.log
        train  task  failed  attempt 2 ended: failed
          #1  failed  exit 1  1m00s  gpus -  retry in 5.0s  log .updraft/runs/airflow-scheduled__2025-03-06T00_00_00_00_00/logs/train.1.log
          #2  failed  exit 1  1m00s  gpus -  log .updraft/runs/airflow-scheduled__2025-03-06T00_00_00_00_00/logs/train.2.log
        eval-gate  gate  upstream_failed  upstream stage "train" did not succeed

      lineage (inputs -> outputs)
        prepare: (none) -> (none)
        train: (none) -> (none)
        eval-gate: (none) -> (none)"
    `);
  });

  it("prints JSON with lineage and absolute log paths", async () => {
    const { cwd, root } = project();
    const r = await updraftIn(cwd, ["show", "20250303-0900-a1b2", "--json"]);
    const run = JSON.parse(r.stdout) as { stages: { attempts: { logPath: string | null }[] }[]; lineage: unknown[] };
    expect(run.stages[1]!.attempts.map((a) => a.logPath)).toEqual(
      [1, 2].map((n) => path.join(root, "20250303-0900-a1b2", "logs", `train.${n}.log`)),
    );
    expect(run.lineage[1]).toEqual({
      stage: "train",
      inputs: [{ path: "data/train.jsonl", producedBy: "prepare", sha256: expect.stringMatching(/^[0-9a-z]{64}$/) }],
      outputs: [expect.objectContaining({ path: "out/model.pth" })],
    });
  });

  it("explains an unknown or ambiguous id, exit 2, no stack", async () => {
    const { cwd } = project();
    const unknown = await updraftIn(cwd, ["show", "nope"]);
    expect(unknown.code).toBe(2);
    expect(hasStack(unknown.stderr)).toBe(false);
    expect(unknown.stderr.replaceAll(cwd, "CWD").split("\n").slice(-2)).toEqual([
      'error: no run "nope" in CWD/.updraft/runs',
      "hint: updraft history lists the runs there (newest: airflow-scheduled__2025-03-06T00_00_00_00_00)",
    ]);
    const ambiguous = await updraftIn(cwd, ["show", "2025030"]);
    expect([ambiguous.code, ambiguous.stderr.split("\n").slice(-2)]).toEqual([
      2,
      [
        'error: run id "2025030" is ambiguous: 4 runs start with it (airflow-scheduled__2025-03-06T00_00_00_00_00, 20250305-0800-e5f6, 20250304-1000-c3d4, 20250303-0900-a1b2)',
        "hint: give more characters of the id",
      ],
    ]);
  });
});

describe("a manifest damaged outside the fields history reads", () => {
  it("is listed, and show names the damage, exit 2", async () => {
    const cwd = tempDir();
    const root = path.join(cwd, "runs");
    const m = manifest({
      runId: "damaged",
      start: "2025-03-01T09:00:00Z",
      stages: [{ id: "train", outputs: ["out/model.pth"] }],
    });
    const dir = writeRun(root, m);
    const data = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as {
      stages: { outputs: { sha256: unknown }[] }[];
    };
    data.stages[0]!.outputs[0]!.sha256 = 42;
    writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(data));
    const list = JSON.parse((await updraftIn(cwd, ["history", "--runs-dir", "runs", "--json"])).stdout) as {
      id: string;
    }[];
    expect(list.map((r) => r.id)).toEqual(["damaged"]);
    const show = await updraftIn(cwd, ["show", "damaged", "--runs-dir", "runs"]);
    expect([show.code, show.stderr.replaceAll(cwd, "CWD")]).toEqual([
      2,
      "error: run damaged cannot be read in full: not a valid manifest (stages.0.outputs.0.sha256: Invalid input: expected string, received number)\nhint: repair or remove CWD/runs/damaged/manifest.json (updraft history still lists it)",
    ]);
  });
});

describe("updraft advise", () => {
  const HOUR = 3_600_000;

  /** `runs` runs, one every `every` hours back from now; every tenth one times out. */
  function team(cwd: string, runs: number, every: number, users: string[], schedule: boolean): void {
    const root = path.join(cwd, ".updraft", "runs");
    const plan = chainPlan("rwkv", ["prepare", "train"], {
      file: "pipelines/rwkv.ts",
      ...(schedule ? { schedule: "@daily" } : {}),
    });
    for (let i = 0; i < runs; i++) {
      const timeout = i % 10 === 0;
      writeRun(
        root,
        manifest({
          runId: `run-${i}`,
          start: new Date(Date.now() - ((i + 1) * every - 0.5) * HOUR),
          planHash: plan.hash,
          user: users[i % users.length]!,
          stages: [{ id: "prepare" }, { id: "train", outcomes: timeout ? ["timeout"] : ["success"] }],
        }),
        plan,
      );
    }
  }

  it("says stay lite for a small team and a few runs", async () => {
    const cwd = tempDir();
    team(cwd, 20, 30, ["ada", "bo"], false);
    const r = await updraftIn(cwd, ["advise"]);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/^  run-\d+ .*$/gm, "  RUN")).toMatchInlineSnapshot(`
      "run history of the last 4 weeks: 20 runs, rates over 4 weeks

      SIGNAL                          VALUE               MOVE WHEN  STATUS
      production-like runs a week     5 (20 in 4 weeks)   > 10       ok
      engineers starting runs         2 (ada, bo)         > 2        ok
      manual resumes and reruns       5% (1 of 20)        > 25%      ok
      orchestration incidents a week  0.5 (2 in 4 weeks)  >= 2       ok
      pipelines needing a schedule    0                   >= 1       ok

      verdict: stay lite
        - every signal is within its threshold

      incidents:
        RUN
        RUN"
    `);
  });

  it("says move, with reasons and the export command, when the team outgrows it", async () => {
    const cwd = tempDir();
    team(cwd, 60, 7, ["ada", "bo", "cy"], true);
    const r = await updraftIn(cwd, ["advise"]);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/^  run-\d+ .*$/gm, "  RUN")).toMatchInlineSnapshot(`
      "run history of the last 4 weeks: 60 runs, rates over 3 weeks

      SIGNAL                          VALUE               MOVE WHEN  STATUS
      production-like runs a week     20 (60 in 3 weeks)  > 10       move
      engineers starting runs         3 (ada, bo, cy)     > 2        move
      manual resumes and reruns       8% (5 of 60)        > 25%      ok
      orchestration incidents a week  2 (6 in 3 weeks)    >= 2       move
      pipelines needing a schedule    1 (rwkv)            >= 1       move

      verdict: move to Airflow
        - 20 production-like runs a week (60 in 3 weeks); move at more than 10
        - 3 engineers started runs (ada, bo, cy); move at more than 2
        - 2 orchestration incidents a week (timeouts, runners gone, missing outputs, GPU waits; 6 in 3 weeks); move at 2 or more
        - 1 pipeline declares a schedule (rwkv); move at 1 or more: a scheduler with backfill is Airflow's job

      export:
        updraft export airflow pipelines/rwkv.ts --out dags/

      incidents:
        RUN
        RUN
        RUN
        RUN
        RUN
        RUN"
    `);
    const json = JSON.parse((await updraftIn(cwd, ["advise", "--json", "--window", "1w"])).stdout) as {
      verdict: string;
      signals: { key: string; value: number }[];
      thresholds: { runsPerWeek: number };
    };
    expect([json.verdict, json.signals.map((s) => [s.key, s.value]), json.thresholds.runsPerWeek]).toEqual([
      "move to Airflow",
      [
        ["runs-per-week", 24],
        ["engineers", 3],
        ["manual-recovery", 0.083],
        ["incidents-per-week", 3],
        ["schedules", 1],
      ],
      10,
    ]);
  });

  it("takes thresholds from updraft.config.json in the cwd, and reports a bad config clearly, exit 2", async () => {
    const cwd = tempDir();
    team(cwd, 20, 30, ["ada"], false);
    writeFileSync(
      path.join(cwd, "updraft.config.json"),
      JSON.stringify({ advise: { thresholds: { runsPerWeek: 3 } } }),
    );
    const moved = JSON.parse((await updraftIn(cwd, ["advise", "--json"])).stdout) as {
      verdict: string;
      reasons: string[];
    };
    expect([moved.verdict, moved.reasons]).toEqual([
      "move to Airflow",
      ["5 production-like runs a week (20 in 4 weeks); move at more than 3"],
    ]);
    writeFileSync(path.join(cwd, "bad.json"), JSON.stringify({ advise: { thresholds: { runsPerWeek: "many" } } }));
    const bad = await updraftIn(cwd, ["advise", "--config", "bad.json"]);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([
      2,
      "",
      'error: invalid config bad.json:\n  advise.thresholds.runsPerWeek: Invalid input: expected number, received string\nhint: fix or remove those keys; every key has a default (README, "Configuration"; editors check the file with "$schema": "./node_modules/updraft/schema/config.schema.json")',
    ]);
  });
});

describe("updraft report and gc", () => {
  it("writes a self-contained report with escaped text and relative log links", async () => {
    const { cwd } = project();
    const r = await updraftIn(cwd, ["report", "20250303", "--out", "reports/run.html"]);
    expect([r.code, r.stdout]).toEqual([0, "wrote reports/run.html"]);
    const html = readFileSync(path.join(cwd, "reports", "run.html"), "utf8");
    expect(html).toContain("expected &lt;= 1.5 &lt;b&gt;");
    expect(html).not.toContain("<b>");
    expect(html).toContain('href="../.updraft/runs/20250303-0900-a1b2/logs/train.2.log"');
    // nothing is fetched: no external scripts, stylesheets, fonts or images
    expect(html).not.toMatch(
      /<script[^>]*\bsrc=|<link\b|@import|url\(\s*['"]?(?:https?:)?\/\/|(?:href|src)="(?:https?:)?\/\//,
    );
  });

  it("draws an Airflow run's graph from the plan kept by a local run of the same plan", async () => {
    // GIVEN an Airflow run (which keeps no plan.json) and a local run of the same plan
    const cwd = tempDir();
    const root = path.join(cwd, "runs");
    const plan = chainPlan("rwkv", ["prepare", "train", "eval"], { file: "pipelines/rwkv.ts" });
    writeRun(root, manifest({ runId: "local-1", start: "2025-03-01T09:00:00Z", planHash: plan.hash }), plan);
    writeAirflowRun(
      root,
      manifest({
        runId: "x",
        start: "2025-03-02T09:00:00Z",
        planHash: plan.hash,
        stages: [{ id: "prepare" }, { id: "train" }, { id: "eval" }],
      }),
      "manual__1",
    );
    // WHEN its report is written
    const r = await updraftIn(cwd, ["report", "airflow-manual__1", "--runs-dir", "runs", "--out", "r.html"]);
    // THEN the graph has the plan's edges
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const html = readFileSync(path.join(cwd, "r.html"), "utf8");
    expect(html.match(/<path class="edge"/g)).toHaveLength(2);
    expect(html).not.toContain("kept no plan.json");
  });

  it("gc removes old runs but never the newest success per pipeline; --dry-run only tells", async () => {
    const { cwd, root } = project();
    const dry = await updraftIn(cwd, ["gc", "--keep", "1", "--dry-run"]);
    expect(dry.stdout).toMatchInlineSnapshot(`
      "keep          20250305-0800-e5f6  (newest successful run of tokenize)
      keep          20250304-1000-c3d4  (newest successful run of rwkv)
      would remove  20250303-0900-a1b2  (rwkv, failed, 2025-03-03T09:00:00.000Z)
      would remove 1 of 4 runs; kept 3"
    `);
    const real = await updraftIn(cwd, ["gc", "--keep", "1"]);
    expect(real.code).toBe(0);
    const left = JSON.parse((await updraftIn(cwd, ["history", "--json", "--runs-dir", root])).stdout) as {
      id: string;
    }[];
    expect(left.map((x) => x.id)).toEqual([
      "airflow-scheduled__2025-03-06T00_00_00_00_00",
      "20250305-0800-e5f6",
      "20250304-1000-c3d4",
    ]);
    const bad = await updraftIn(cwd, ["gc"]);
    expect([bad.code, bad.stderr.split("\n")[0]]).toEqual([2, "error: required option '--keep <n>' not specified"]);
  });
});
