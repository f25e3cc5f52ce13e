/**
 * `updraft init`: a starter pipeline that plans and runs as written, npm scripts for it, and
 * `.updraft/` in `.gitignore`. It adds and never overwrites: an existing pipeline file is refused,
 * existing scripts and ignore lines are kept.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { readJsonFile } from "../../common/json-file.js";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";

const IGNORE = ".updraft/";

/** The starter: runs anywhere with a POSIX shell (no GPU, no Python), in ES module and CommonJS projects. */
function starter(id: string, file: string): string {
  return `/**
 * A starter pipeline written by \`updraft init\`: prepare data, check it with a quality gate,
 * "train", release. Replace the commands with your own; keep the shape.
 *
 *   npx updraft plan ${file}     what would run (nothing runs)
 *   npx updraft run ${file}      run it here; records in .updraft/runs/
 */
import { param, pipeline, runCli, sh } from "updraft";

export const starter = pipeline(
  ${JSON.stringify(id)},
  {
    description: "Prepare data, check it, train, release.",
    params: { rows: param.int({ default: 100, description: "how many rows to prepare" }) },
    defaults: { timeout: "10m", retry: { retries: 1, delay: "1s" } },
  },
  ({ stage, qualityGate, params: p }) => {
    const prepare = stage("prepare", {
      command: sh\`mkdir -p out
        seq 1 \${p.rows} > out/data.txt
        echo "{\\"rows\\": $(wc -l < out/data.txt)}" > out/metrics.json\`,
      outputs: ["out/data.txt", "out/metrics.json"],
    });
    const dataOk = qualityGate("data_ok", {
      after: [prepare],
      metrics: "out/metrics.json",
      rules: (r) => [r.metric("rows").gte(10)],
    });
    const train = stage("train", {
      // Your training command goes here; add gpu: 1 when it needs a GPU.
      command: sh\`cksum out/data.txt > out/model.txt\`,
      dependsOn: [dataOk],
      inputs: ["out/data.txt"],
      outputs: ["out/model.txt"],
    });
    stage("release", {
      command: ["cp", "out/model.txt", "out/release.txt"],
      dependsOn: [train],
      outputs: ["out/release.txt"],
    });
  },
);

export default starter;
runCli(starter);
`;
}

/** A pipeline id from the project's name: what Airflow accepts as a DAG id. */
function pipelineId(name: string): string {
  const id = name.replace(/^@[^/]*\//, "").replace(/[^A-Za-z0-9_.-]+/g, "_");
  return /[A-Za-z0-9]/.test(id) ? id : "starter";
}

/** Add the plan and run scripts to package.json (created when missing); returns what changed. */
function packageJson(dir: string, file: string): { name: string; note: string } {
  const where = path.join(dir, "package.json");
  const scripts = { "pipeline:plan": `updraft plan ${file}`, "pipeline:run": `updraft run ${file}` };
  if (!existsSync(where)) {
    const name = pipelineId(path.basename(dir));
    const pkg = { name, version: "0.0.0", private: true, type: "module", scripts };
    writeFileSync(where, `${JSON.stringify(pkg, null, 2)}\n`);
    return { name, note: `wrote package.json ("type": "module", scripts ${Object.keys(scripts).join(", ")})` };
  }
  const read = readJsonFile(where);
  if (!read.ok || typeof read.data !== "object" || read.data === null || Array.isArray(read.data))
    throw new CliError(`cannot use ${where}: ${read.ok ? "not a JSON object" : read.message}`, {
      hint: "fix package.json (npm init -y writes a valid one), then run updraft init again",
    });
  const pkg = read.data as { name?: unknown; scripts?: Record<string, string> };
  const name = typeof pkg.name === "string" ? pkg.name : path.basename(dir);
  const added = Object.keys(scripts).filter((k) => pkg.scripts?.[k] === undefined);
  if (added.length > 0) {
    pkg.scripts = { ...pkg.scripts, ...Object.fromEntries(added.map((k) => [k, scripts[k as keyof typeof scripts]])) };
    writeFileSync(where, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  return {
    name,
    note: added.length ? `package.json: added scripts ${added.join(", ")}` : "package.json: scripts already there",
  };
}

/** Ignore the run records; returns what changed. */
function gitignore(dir: string): string {
  const where = path.join(dir, ".gitignore");
  const text = existsSync(where) ? readFileSync(where, "utf8") : "";
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.some((l) => l === IGNORE || l === ".updraft" || l === "/.updraft/" || l === "/.updraft")) {
    return ".gitignore: already ignores .updraft/";
  }
  appendFileSync(
    where,
    `${text === "" || text.endsWith("\n") ? "" : "\n"}# updraft run records and caches\n${IGNORE}\n`,
  );
  return text === "" ? "wrote .gitignore (.updraft/)" : ".gitignore: added .updraft/";
}

function init(file: string): void {
  const dir = process.cwd();
  const target = path.resolve(dir, file);
  if (existsSync(target))
    throw new CliError(`${file} already exists; updraft init does not overwrite it`, {
      hint: "give another name: updraft init --file pipelines/starter.ts",
    });
  if (!/\.[mc]?ts$/.test(file))
    throw new CliError(`--file ${file}: a pipeline file is TypeScript`, { hint: "name it .ts (or .mts)" });
  const pkg = packageJson(dir, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, starter(pipelineId(pkg.name), file), { flag: "wx" });
  const notes = [`wrote ${file}`, pkg.note, gitignore(dir)];
  const installed = existsSync(path.join(dir, "node_modules", "updraft", "package.json"));
  process.stdout.write(
    [
      ...notes,
      "",
      "next:",
      ...(installed ? [] : ["  npm install updraft zod"]),
      `  npx updraft plan ${file}`,
      `  npx updraft run ${file}`,
      "",
    ].join("\n"),
  );
}

/**
 * Register `updraft init [--file pipeline.ts]`.
 *
 * @example
 * ```ts
 * registerInit(program, { self: null, exitCode: 0 });
 * ```
 */
export function registerInit(program: Command, _ctx: CliContext): void {
  program
    .command("init")
    .description("start a project here: a starter pipeline, npm scripts for it, .updraft/ in .gitignore")
    .option("--file <path>", "where to write the starter pipeline", "pipeline.ts")
    .action((opts: { file: string }) => init(opts.file));
}
