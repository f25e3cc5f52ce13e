/**
 * Export the production pipelines (pipelines.ts) for run.sh: `node --import tsx prepare.ts DAGS PROJECT`
 * writes each DAG file and pools file into DAGS, with PROJECT as the project directory.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { toAirflow } from "../../../src/executors/airflow/export.js";
import { plan } from "../../../src/index.js";
import { prodCrash, prodCrashFinal, prodGpu, prodRetry, prodStop } from "./pipelines.js";

const [dags, project] = process.argv.slice(2);
if (!dags || !project) throw new Error("usage: prepare.ts DAGS PROJECT");
mkdirSync(dags, { recursive: true });
mkdirSync(project, { recursive: true });
for (const p of [prodGpu, prodRetry, prodStop, prodCrash, prodCrashFinal]) {
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("; "));
  for (const f of toAirflow(result.plan, { projectDir: path.resolve(project) }).files)
    writeFileSync(path.join(dags, f.name), f.text);
}
