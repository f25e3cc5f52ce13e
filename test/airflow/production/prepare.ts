/**
 * Export the production pipelines (pipelines.ts) for run.sh: `node --import tsx prepare.ts DAGS PROJECT [celery]`
 * writes each DAG file and pools file into DAGS, with PROJECT as the project directory. With `celery`:
 * only the two-host pipeline, exported with the pool sized for both hosts (--pool-slots 3: 1 + 2 GPUs), and
 * beside DAGS the report an export without the slots prints (export-report.txt), which says to size it so.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { toAirflow } from "../../../src/executors/airflow/export.js";
import { formatIssue } from "../../../src/executors/airflow/report.js";
import { plan, type Pipeline } from "../../../src/index.js";
import { prodCrash, prodCrashFinal, prodGpu, prodHosts, prodRetry, prodStop } from "./pipelines.js";

const [dags, project, mode] = process.argv.slice(2);
if (!dags || !project) throw new Error("usage: prepare.ts DAGS PROJECT [celery]");
mkdirSync(dags, { recursive: true });
mkdirSync(project, { recursive: true });
const CLUSTER_GPUS = 3;

function planned(p: Pipeline<string>) {
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("; "));
  return result.plan;
}

const pipelines = mode === "celery" ? [prodHosts] : [prodGpu, prodRetry, prodStop, prodCrash, prodCrashFinal];
const projectDir = path.resolve(project);
for (const p of pipelines) {
  const poolSlots = mode === "celery" ? { poolSlots: CLUSTER_GPUS } : {};
  for (const f of toAirflow(planned(p), { projectDir, ...poolSlots }).files)
    writeFileSync(path.join(dags, f.name), f.text);
}
if (mode === "celery") {
  const unsized = toAirflow(planned(prodHosts), { projectDir }).report.map(formatIssue);
  writeFileSync(path.join(dags, "..", "export-report.txt"), unsized.join("\n") + "\n");
}
