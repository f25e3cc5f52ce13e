/**
 * The runtime files every SLURM export carries: the job script and the Python runtime, read from
 * src/executors/slurm/runtime (shipped with the package), and, from python/updraft_airflow (the
 * package the Airflow export embeds), the secret masker, the output hasher, run-parameter resolution and
 * updraft's gate evaluator (Python twin).
 */
import { existsSync, readFileSync } from "node:fs";
import { GATE_SOURCES } from "../../gates/python-sources.generated.js";

/**
 * The folder src/executors/slurm/runtime, found by going up from this module: it is here in src/,
 * and the package ships src/, so one path serves the source tree and the bundled dist/ alike.
 */
function runtimeFolder(): URL {
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    const folder = new URL("src/executors/slurm/runtime/", dir);
    if (existsSync(new URL("job.sh", folder))) return folder;
    if (dir.pathname === "/") throw new Error(`src/executors/slurm/runtime is missing above ${import.meta.url}`);
  }
}
const NAMES = ["job.sh", "updraft_slurm.py", "updraft_slurm_attempt.py"] as const;

/** One runtime file: its name in the export directory and its text. */
export interface RuntimeFile {
  readonly name: string;
  readonly text: string;
}

let cached: readonly RuntimeFile[] | null = null;

/** The runtime files shipped as they are, read from `folder`. */
function shippedFiles(folder: URL): RuntimeFile[] {
  return NAMES.map((name) => ({ name, text: readFileSync(new URL(name, folder), "utf8") }));
}

/**
 * The runtime files, in a fixed order.
 *
 * @example
 * ```ts
 * runtimeFiles().map((f) => f.name); // ["job.sh", "updraft_slurm.py", ..., "updraft_gates/values.py"]
 * ```
 */
export function runtimeFiles(): readonly RuntimeFile[] {
  cached ??= [
    ...shippedFiles(runtimeFolder()),
    // The same Python the Airflow export embeds: the masker, and the gate evaluator as package updraft_gates.
    { name: "updraft_mask.py", text: GATE_SOURCES["masking.py"] ?? "" },
    { name: "updraft_outputs.py", text: GATE_SOURCES["outputs.py"] ?? "" },
    // Declared inputs and outputs checked as updraft run checks them (globs, trees, no FIFOs).
    { name: "updraft_paths.py", text: GATE_SOURCES["paths.py"] ?? "" },
    // Run parameters by updraft run's rules and messages, as the Airflow runtime resolves them.
    { name: "updraft_params.py", text: GATE_SOURCES["params.py"] ?? "" },
    ...Object.entries(GATE_SOURCES)
      .filter(([file]) => file.startsWith("gates/"))
      .map(([file, text]) => ({ name: `updraft_gates/${file.slice("gates/".length)}`, text })),
  ];
  return cached;
}
