/**
 * Airflow export speed: exporting a generated 1,000-stage pipeline, and Airflow parsing the
 * resulting 1,000-task DAG file (DagBag), each next to a baseline measured in the same run.
 * The Airflow part uses the venvs test/airflow/run.sh installs; without them it is skipped.
 *
 *   npx tsx bench/export.bench.ts
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { toAirflow } from "../src/executors/airflow/export.js";
import { param, pipeline, plan, sh, t, type Plan, type StageRef } from "../src/index.js";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const STAGES = 1000;

/** 1,000 stages in 20 levels of 50, each depending on two stages of the level before. */
function bigPipeline() {
  return pipeline(
    "bench_1000",
    { params: { run: param.string({ default: "r1" }), ctx: param.int({ default: 512 }) } },
    ({ stage, params: p }) => {
      let previous: StageRef<"bench_1000">[] = [];
      for (let level = 0; level < STAGES / 50; level++) {
        const current: StageRef<"bench_1000">[] = [];
        for (let i = 0; i < 50; i++) {
          const deps = previous.length === 0 ? [] : [previous[i]!, previous[(i + 1) % previous.length]!];
          current.push(
            stage(`s${level}_${i}`, {
              command:
                i % 2 === 0
                  ? ["python", "step.py", t`--run=${p.run}`, String(i)]
                  : sh`echo ${p.ctx} > out/${String(level)}_${String(i)}.txt`,
              outputs: [t`out/${p.run}/${String(level)}_${String(i)}`],
              retry: { retries: 2, delay: "10s", backoff: i % 3 === 0 ? 1 : 2 },
              timeout: "1h",
              gpu: i === 0 ? 1 : 0,
              dependsOn: deps,
            }),
          );
        }
        previous = current;
      }
    },
  );
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function timeMs(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const PARSE = String.raw`
import sys, time
try:
    from airflow.dag_processing.dagbag import DagBag
except ImportError:
    from airflow.models.dagbag import DagBag
start = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
took = time.perf_counter() - start
assert not bag.import_errors, bag.import_errors
assert len(bag.dags) == 1 and len(next(iter(bag.dags.values())).tasks) == int(sys.argv[2]), len(bag.dags)
print(took)
`;

/** Median seconds Airflow's DagBag takes to parse `file` (each run in a fresh interpreter). */
function parseSeconds(venv: string, file: string, tasks: number): number {
  const home = mkdtempSync(path.join(os.tmpdir(), "updraft-bench-home-"));
  const env = {
    ...process.env,
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__LOAD_EXAMPLES: "False",
    AIRFLOW__LOGGING__LOGGING_LEVEL: "ERROR",
  };
  const runs = [0, 1, 2].map(() =>
    Number(
      execFileSync(path.join(venv, "bin/python"), ["-c", PARSE, file, String(tasks)], {
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      })
        .trim()
        .split("\n")
        .pop(),
    ),
  );
  return median(runs);
}

/** The venv test/airflow/run.sh made for an Airflow line, or null. */
function venvFor(version: string): string | null {
  const lock = readFileSync(path.join(root, `test/airflow/requirements-airflow-${version}.txt`));
  const hash = createHash("sha256").update(lock).digest("hex").slice(0, 12);
  const dir = path.join(
    process.env.UPDRAFT_AIRFLOW_VENVS ?? path.join(os.homedir(), ".cache/updraft/airflow-venvs"),
    `airflow-${version}-${hash}`,
  );
  return existsSync(path.join(dir, ".complete")) ? dir : null;
}

function planOrThrow(p: Parameters<typeof plan>[0]): Plan {
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("; "));
  return result.plan;
}

const big = bigPipeline();
const planMs = timeMs(() => planOrThrow(big), 5);
const bigPlan = planOrThrow(big);
const options = { projectDir: "/srv/bench" };
const exportMs = timeMs(() => toAirflow(bigPlan, options), 5);
const emptyPlan = planOrThrow(
  pipeline("bench_empty", {}, ({ stage }) => {
    stage("only", { command: ["true"] });
  }),
);

const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-bench-dags-"));
const files = { big: path.join(dir, "big", "bench_1000.py"), empty: path.join(dir, "empty", "bench_empty.py") };
for (const [file, p] of [
  [files.big, bigPlan],
  [files.empty, emptyPlan],
] as const) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, toAirflow(p, options).files[0]!.text);
}
const bigBytes = readFileSync(files.big).length;

const rows = [
  `| export of a ${STAGES.toLocaleString("en")}-stage plan (\`toAirflow\`, ${(bigBytes / 1024).toFixed(0)} KiB of Python) | ${exportMs.toFixed(0)} ms | < 1 s | planning the same pipeline: ${planMs.toFixed(0)} ms |`,
];
const notes: string[] = [];
for (const version of ["3", "2.10"]) {
  const venv = venvFor(version);
  if (venv === null) {
    notes.push(`Airflow ${version}: skipped, no venv (run \`bash test/airflow/run.sh\` once to install it).`);
    continue;
  }
  const label = execFileSync(path.join(venv, "bin/python"), ["-c", "import airflow; print(airflow.__version__)"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
  const bigS = parseSeconds(venv, path.dirname(files.big), STAGES);
  const emptyS = parseSeconds(venv, path.dirname(files.empty), 1);
  rows.push(
    `| Airflow ${label} parses the ${STAGES.toLocaleString("en")}-task DAG file (DagBag) | ${bigS.toFixed(2)} s | < 5 s | a one-task DAG file: ${emptyS.toFixed(2)} s |`,
  );
}

process.stdout.write(
  [
    "## Airflow export",
    "",
    "`npx tsx bench/export.bench.ts` (median of 5 exports; median of 3 parses, each in a fresh interpreter)",
    "",
    "| figure | measured | target | baseline (same run) |",
    "| --- | --- | --- | --- |",
    ...rows,
    ...(notes.length > 0 ? ["", ...notes] : []),
    "",
  ].join("\n"),
);
