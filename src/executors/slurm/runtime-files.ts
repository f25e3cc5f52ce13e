/**
 * The runtime files every SLURM export carries, read from src/executors/slurm/runtime (shipped
 * with the package): the job script, the Python runtime, and updraft's gate evaluator (Python twin).
 */
import { readFileSync } from "node:fs";
import { GATE_EVALUATOR_PY } from "../../gates/python.js";

// Beside this module: in src/, and in dist/ where `npm run build` copies the folder.
const RUNTIME = new URL("./runtime/", import.meta.url);
const NAMES = [
  "job.sh",
  "updraft_slurm.py",
  "updraft_slurm_attempt.py",
  "updraft_slurm_mask.py",
  "updraft_slurm_params.py",
] as const;

/** One runtime file: its name in the export directory and its text. */
export interface RuntimeFile {
  readonly name: string;
  readonly text: string;
}

let cached: readonly RuntimeFile[] | null = null;

/**
 * The runtime files, in a fixed order.
 *
 * @example
 * ```ts
 * runtimeFiles().map((f) => f.name); // ["job.sh", "updraft_slurm.py", ..., "updraft_gates.py"]
 * ```
 */
export function runtimeFiles(): readonly RuntimeFile[] {
  cached ??= [
    ...NAMES.map((name) => ({ name, text: readFileSync(new URL(name, RUNTIME), "utf8") })),
    { name: "updraft_gates.py", text: GATE_EVALUATOR_PY },
  ];
  return cached;
}
