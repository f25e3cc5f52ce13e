/**
 * Lay out one executor's share of the conformance suite: a project directory per fixture
 * pipeline (with its assets), the DAG files exported by the real CLI, and cases.json, which the
 * checkers read. With --slurm, each pipeline is exported to Slurm instead, into WORK_DIR/slurm/<id>/.
 *
 * With --package, the Airflow export is in package mode (plan JSON and a DAG file using the installed package).
 *
 *   npx tsx test/airflow/prepare.ts WORK_DIR [--no-export | --slurm | --package]
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isPipeline, plan } from "../../src/index.js";
import type { Case, Fixture } from "./suite.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

function bytes(value: string | Uint8Array): string {
  return Buffer.from(typeof value === "string" ? Buffer.from(value, "utf8") : value).toString("base64");
}

interface Where {
  readonly dagId: string;
  /** The pipeline file the CLI is given. */
  readonly file: string;
  /** Where tasks run. */
  readonly projectDir: string;
  /** The fixture's own directory: expected files are relative to it. */
  readonly filesDir: string;
}

/** A case as the Python checker reads it: contents as base64, expectations by stage. */
function caseJson(where: Where, fixture: Fixture, c: Case): unknown {
  const own = fixture.inRepo ? path.join(where.filesDir, c.name) : where.filesDir;
  const params = fixture.inRepo ? { ...c.params, [fixture.inRepo.outParam]: own } : (c.params ?? {});
  const runsDir = fixture.inRepo ? path.join(own, "runs") : path.join(where.projectDir, ".updraft", "runs");
  return {
    dag_id: where.dagId,
    pipeline_file: where.file,
    project_dir: where.projectDir,
    files_dir: own,
    runs_dir: runsDir,
    name: c.name,
    params,
    env: {
      UPDRAFT_GPUS: "1",
      UPDRAFT_LOCK_DIR: path.join(own, "locks"),
      ...c.env,
      ...(fixture.inRepo ? { UPDRAFT_RUNS_DIR: runsDir } : {}),
    },
    stages: c.stages,
    files: Object.fromEntries(
      Object.entries(c.files ?? {}).map(([k, v]) => [k, v === null || v === true ? v : bytes(v)]),
    ),
    logs: Object.fromEntries(Object.entries(c.logs ?? {}).map(([k, v]) => [k, bytes(v)])),
    hidden: c.hidden ?? [],
    settle_seconds: c.settleSeconds ?? 0,
    gate_records: c.gateRecords ?? {},
    recorded: c.recorded ?? null,
    sources: c.sources ?? null,
    rejected: c.rejected ?? null,
  };
}

/** The fixture files: every pipeline under pipelines/, and the flagship demo when it exists. */
function fixtureFiles(): string[] {
  const dir = path.join(here, "pipelines");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => path.join(dir, f));
}

async function main(): Promise<void> {
  const work = path.resolve(process.argv[2] ?? "");
  if (!process.argv[2]) throw new Error("usage: prepare.ts WORK_DIR [--no-export]");
  const slurm = process.argv.includes("--slurm");
  const exportDags = !process.argv.includes("--no-export") && !slurm;
  const mode = process.argv.includes("--package") ? ["--mode", "package"] : [];
  const dags = path.join(work, "dags");
  mkdirSync(dags, { recursive: true });
  const cases: unknown[] = [];
  for (const file of fixtureFiles()) {
    const module = (await import(pathToFileURL(file).href)) as { default: unknown; fixture: Fixture };
    if (!isPipeline(module.default)) throw new Error(`${file} has no default pipeline`);
    const result = plan(module.default);
    if (!result.ok) throw new Error(`${file} does not plan: ${result.problems.map((p) => p.message).join("; ")}`);
    const id = result.plan.pipeline.id;
    const fixture = module.fixture;
    const filesDir = path.join(work, "projects", id);
    const projectDir = fixture.inRepo ? root : filesDir;
    const source = fixture.inRepo ? fixture.inRepo.pipelineFile : file;
    mkdirSync(filesDir, { recursive: true });
    for (const [name, text] of Object.entries(fixture.assets ?? {})) {
      mkdirSync(path.dirname(path.join(projectDir, name)), { recursive: true });
      writeFileSync(path.join(projectDir, name), text);
    }
    if (exportDags) {
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          path.join(root, "src/cli/bin.ts"),
          "export",
          "airflow",
          source,
          "--out",
          dags,
          "--project-dir",
          projectDir,
          ...mode,
        ],
        { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
      );
    }
    if (slurm) {
      const out = path.join(work, "slurm", id);
      const args = ["export", "slurm", source, "--out", out, "--project-dir", projectDir, "--gpu-license", "gpu_pool"];
      execFileSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/bin.ts"), ...args], {
        cwd: root,
        stdio: ["ignore", "ignore", "ignore"],
      });
    }
    for (const c of fixture.cases)
      cases.push(caseJson({ dagId: id, file: path.resolve(root, source), projectDir, filesDir }, fixture, c));
  }
  if (exportDags) {
    // The unit tests' golden files must import in a real Airflow too (they are never run).
    const golden = path.join(root, "test/executors/airflow/__golden__");
    for (const f of readdirSync(golden).filter((n) => n.endsWith(".py")))
      copyFileSync(path.join(golden, f), path.join(dags, `golden_${f}`));
  }
  writeFileSync(path.join(work, "cases.json"), `${JSON.stringify(cases, null, 2)}\n`);
  process.stdout.write(`prepared ${cases.length} cases in ${work}\n`);
}

await main();
