/**
 * `toSlurm`: a Plan in, the files of a SLURM submission out (submit.sh, the job script, the
 * Python runtime and the spec it reads), with the export report. A pure function of the Plan and
 * options: the same Plan gives the same bytes.
 */
import type { Plan } from "../../plan/schema.js";
import { formatSlurmIssue, slurmReport, type SlurmIssue } from "./report.js";
import { runtimeFiles } from "./runtime-files.js";
import { specJson } from "./spec.js";
import { submitScript } from "./submit.js";

/** How to export. */
export interface SlurmOptions {
  /** Absolute directory jobs run in (on a filesystem every node shares at the same path). */
  readonly projectDir: string;
  /** Runs directory when the submitting shell sets no UPDRAFT_RUNS_DIR (default ".updraft/runs", relative to projectDir). */
  readonly runsDir?: string;
  /** A Slurm license (slurm.conf `Licenses=`) standing for a cluster-wide GPU pool; GPU stages take one per GPU. */
  readonly gpuLicense?: string;
  /** The command that exports again, shown in submit.sh's header. */
  readonly reexport?: string;
}

/** One file to write, named relative to the output directory; `executable` for scripts. */
export interface SlurmFile {
  readonly name: string;
  readonly text: string;
  readonly executable: boolean;
}

/** What an export produces. */
export interface SlurmExport {
  readonly files: readonly SlurmFile[];
  readonly report: readonly SlurmIssue[];
}

/**
 * The options ask for something Slurm or the export cannot take; nothing was exported.
 *
 * @example
 * ```ts
 * throw new SlurmExportError('license name "a b" is not valid', "use letters, digits, '_', '.' or '-'");
 * ```
 */
export class SlurmExportError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "SlurmExportError";
  }
}

const LICENSE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Export a plan to Slurm.
 *
 * @example
 * ```ts
 * const out = toSlurm(plan, { projectDir: "/shared/rwkv", gpuLicense: "gpu_pool" });
 * for (const f of out.files) writeFileSync(path.join("slurm", f.name), f.text, { mode: f.executable ? 0o755 : 0o644 });
 * ```
 */
export function toSlurm(plan: Plan, options: SlurmOptions): SlurmExport {
  if (!options.projectDir.startsWith("/"))
    throw new SlurmExportError(
      `project directory ${JSON.stringify(options.projectDir)} is not absolute`,
      "give an absolute path on a filesystem every node shares",
    );
  const license = options.gpuLicense ?? null;
  if (license !== null && !LICENSE.test(license))
    throw new SlurmExportError(
      `license name ${JSON.stringify(license)} is not valid`,
      "use the name of a license in slurm.conf (letters, digits, '_', '.' or '-')",
    );
  const report = slurmReport(plan);
  const reexport = options.reexport ?? `updraft export slurm ${plan.pipeline.source?.file ?? "PIPELINE"} --out DIR`;
  const submit = submitScript({ plan, gpuLicense: license, report: report.map(formatSlurmIssue), reexport });
  return {
    files: [
      { name: "submit.sh", text: submit, executable: true },
      {
        name: "updraft-slurm.json",
        text: specJson(plan, options.projectDir, options.runsDir ?? ".updraft/runs"),
        executable: false,
      },
      ...runtimeFiles().map((f) => ({ ...f, executable: f.name.endsWith(".sh") })),
    ],
    report,
  };
}
