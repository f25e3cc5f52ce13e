/**
 * `updraft export slurm`: write submit.sh and the files it needs for the plan, and say how to
 * submit a run. Differences from the plan are reported on stderr; `--strict` refuses them.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Plan } from "../../plan/schema.js";
import { SlurmExportError, toSlurm } from "../../executors/slurm/export.js";
import { formatSlurmIssue } from "../../executors/slurm/report.js";
import { CliError } from "../errors.js";
import { color } from "../output.js";
import { plural } from "../../common/plural.js";

/** The options `export slurm` reads. */
export interface SlurmExportOptions {
  readonly out: string;
  readonly projectDir?: string;
  readonly runsDir?: string;
  readonly gpuLicense?: string;
  readonly strict?: boolean;
}

/**
 * Export a plan to Slurm and write the files under `opts.out`.
 *
 * @example
 * ```ts
 * exportSlurm(plan, { out: "slurm" }, "updraft export slurm p.ts --out slurm");
 * ```
 */
export function exportSlurm(plan: Plan, opts: SlurmExportOptions, reexport: string): void {
  const projectDir = path.resolve(opts.projectDir ?? process.cwd());
  let result;
  try {
    result = toSlurm(plan, {
      projectDir,
      ...(opts.runsDir !== undefined ? { runsDir: opts.runsDir } : {}),
      ...(opts.gpuLicense !== undefined ? { gpuLicense: opts.gpuLicense } : {}),
      reexport,
    });
  } catch (error) {
    if (!(error instanceof SlurmExportError)) throw error;
    throw new CliError(`cannot export to Slurm: ${error.message}`, { hint: error.hint });
  }
  const n = result.report.length;
  if (n > 0) {
    process.stderr.write(`${color.yellow("export report:")} ${plural(n, "difference")} between the plan and Slurm\n`);
    for (const issue of result.report) process.stderr.write(`  - ${formatSlurmIssue(issue)}\n`);
    if (opts.strict && result.report.some((issue) => !issue.info))
      throw new CliError(`--strict: Slurm cannot run ${plan.pipeline.id} exactly as planned; nothing was written`, {
        hint: "change the stages named above, or export without --strict",
      });
  }
  mkdirSync(opts.out, { recursive: true });
  for (const f of result.files) {
    const where = path.join(opts.out, f.name);
    mkdirSync(path.dirname(where), { recursive: true });
    writeFileSync(where, f.text);
    chmodSync(where, f.executable ? 0o755 : 0o644);
    process.stdout.write(`wrote ${where}\n`);
  }
  process.stdout.write(
    [
      "",
      `submit a run (from a shell with sbatch; ${opts.out} and ${projectDir} must be at the same path on every node):`,
      `  bash ${path.join(opts.out, "submit.sh")} [--param name=value]...`,
      "",
    ].join("\n"),
  );
}
