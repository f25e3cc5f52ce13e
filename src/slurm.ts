/**
 * `updraft/slurm`: a Plan as a SLURM submission (submit.sh, its spec and runtime), as
 * `updraft export slurm` writes.
 *
 * @example
 * ```ts
 * import { toSlurm } from "updraft/slurm";
 * ```
 */
export { toSlurm, SlurmExportError } from "./executors/slurm/export.js";
export type { SlurmExport, SlurmFile, SlurmOptions } from "./executors/slurm/export.js";
export { formatSlurmIssue } from "./executors/slurm/report.js";
export type { SlurmIssue } from "./executors/slurm/report.js";
