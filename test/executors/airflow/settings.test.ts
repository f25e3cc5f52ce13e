/**
 * Airflow DAG settings declared in the pipeline (start date, owner, catchup, tags, GPU pool, queues)
 * reach the exported DAG file; `--pool` wins over the declared pool; Slurm says what it does with them.
 */
import { describe, expect, it } from "vitest";
import { toAirflow } from "../../../src/executors/airflow/export.js";
import { slurmReport } from "../../../src/executors/slurm/report.js";
import { pipeline, plan, sh, type Plan } from "../../../src/index.js";
import { planOf } from "../../plan-of.js";

const OPTIONS = { projectDir: "/srv/project" };

const team = pipeline(
  "team",
  {
    tags: ["nlp", "rwkv", "nlp"],
    maxActiveRuns: 3,
    airflow: { startDate: "2025-03-10T06:30:00+02:00", owner: "ml-team", catchup: true, gpuPool: "team_gpu" },
    defaults: { queue: "cpu_q" },
  },
  ({ stage, qualityGate }) => {
    const prep = stage("prep", { command: sh`echo prep` });
    const gate = qualityGate("check", { after: [prep], rules: (r) => [r.file("x").exists()] });
    stage("train", { command: sh`echo train`, gpu: 1, queue: "gpu_q", dependsOn: [gate] });
  },
);

const dagText = (p: Plan, options: Parameters<typeof toAirflow>[1] = OPTIONS) => toAirflow(p, options).files[0]!.text;

describe("Airflow settings from the pipeline", () => {
  it("GIVEN start date, owner, catchup, tags and max active runs WHEN exported THEN the DAG takes them as declared", () => {
    const text = dagText(planOf(team));
    expect(text).toContain(
      "        start_date=datetime.datetime(2025, 3, 10, 4, 30, 0, tzinfo=datetime.timezone.utc),\n",
    );
    expect(text).toContain("        catchup=True,\n");
    expect(text).toContain("        max_active_runs=3,\n");
    expect(text).toContain('        tags=["nlp", "rwkv"],\n');
    expect(text).toContain('        default_args={"owner": "ml-team"},\n');
  });

  it("GIVEN no settings WHEN exported THEN start 2024-01-01 UTC, no catchup, no owner and no tag added", () => {
    const text = dagText(planOf(pipeline("plain", {}, ({ stage }) => void stage("a", { command: ["true"] }))));
    expect(text).toContain("start_date=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),");
    expect(text).toContain("catchup=False,");
    expect(text).toContain("tags=[],");
    expect(text).not.toContain("default_args");
    expect(text).not.toContain('"updraft"');
  });

  it("GIVEN queues (one from defaults) WHEN exported THEN every task names its queue, gates too", () => {
    const text = dagText(planOf(team));
    const queues = [...text.matchAll(/task_id="([^"]+)",[\s\S]*?queue="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(queues).toEqual(["prep:cpu_q", "check:cpu_q", "train:gpu_q"]);
  });

  it("GIVEN a declared GPU pool WHEN exported THEN GPU tasks and the pools file use it; --pool wins over it", () => {
    const declared = toAirflow(planOf(team), OPTIONS);
    expect(declared.files[0]!.text).toContain('pool="team_gpu",');
    expect(Object.keys(JSON.parse(declared.files[1]!.text) as object)).toEqual(["team_gpu"]);
    const flag = toAirflow(planOf(team), { ...OPTIONS, pool: "other" });
    expect(flag.files[0]!.text).toContain('pool="other",');
    expect(flag.files[0]!.text).not.toContain('pool="team_gpu"');
    expect(Object.keys(JSON.parse(flag.files[1]!.text) as object)).toEqual(["other"]);
  });

  it("GIVEN settings Airflow would refuse WHEN planned THEN each is a problem with a hint", () => {
    const bad = pipeline(
      "bad",
      { airflow: { startDate: "2025-02-30", owner: " ", gpuPool: "gpu pool" } },
      ({ stage }) => void stage("a", { command: ["true"], queue: "a queue" }),
    );
    const result = plan(bad);
    expect(result.ok ? [] : result.problems.map((p) => `${p.code}: ${p.message} | ${p.hint}`)).toMatchInlineSnapshot(`
      [
        "invalid-airflow-setting: airflow.startDate "2025-02-30" is not a date | write "YYYY-MM-DD" (midnight UTC) or a date-time with its offset, such as "2024-05-01T06:00:00+02:00"",
        "invalid-airflow-setting: airflow.owner is empty | name the owner, or leave it out",
        "invalid-airflow-setting: airflow.gpuPool "gpu pool" is not a valid Airflow pool name | use 1 to 256 letters, digits, '_', '.' or '-'",
        "invalid-airflow-setting: stage "a" has queue "a queue" | name the queue with 1 to 256 letters, digits, '_', '.' or '-'",
      ]
    `);
  });

  it("GIVEN Airflow settings WHEN exported to Slurm THEN the report says what submit.sh does with each, as information", () => {
    const issue = slurmReport(planOf(team)).find((i) => i.code === "airflow-settings");
    expect(issue?.info).toBe(true);
    expect(issue?.stages).toEqual(["prep", "check", "train"]);
    expect(issue?.message).toMatchInlineSnapshot(
      `"Airflow settings, not used by submit.sh (nor by updraft run): startDate 2025-03-10T06:30:00+02:00 (a run starts when submit.sh submits it); catchup (missed runs are never submitted); owner "ml-team" (jobs belong to the user who submits); gpuPool "team_gpu" (a cluster-wide GPU pool is a Slurm license: --gpu-license NAME); queue (choose a partition with SBATCH_PARTITION where you submit)"`,
    );
    expect(
      slurmReport(planOf(pipeline("plain", {}, ({ stage }) => void stage("a", { command: ["true"] })))).map(
        (i) => i.code,
      ),
    ).toEqual([]);
  });
});
