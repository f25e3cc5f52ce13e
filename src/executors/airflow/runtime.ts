/**
 * The runtime section of a self-contained DAG file: the `updraft_airflow` package (python/ in the
 * repository, carried here as generated text) embedded as source strings, with the loader that makes
 * them importable. Only the modules the plan needs are embedded (GPU leases for GPU stages, the gate
 * evaluator for gates); the package name is keyed by their hash.
 */
import { createHash } from "node:crypto";
import { GATE_SOURCES } from "../../gates/python-sources.generated.js";
import { needsGpu } from "../../planner/params.js";
import type { Plan } from "../../plan/schema.js";
import { pyModuleText, pyString } from "./python.js";
import { RUNTIME_SOURCES } from "./runtime-sources.generated.js";
import { hasGates } from "./stage-spec.js";

/** Modules only some plans need; the DAG file imports them lazily. */
const GPU_ONLY = new Set(["gpu.py"]);
const GATES_ONLY = new Set([
  "gates/evaluate.py",
  "gates/files.py",
  "gates/metrics.py",
  "gates/combine.py",
  "gates/schema.py",
]);
/** Never embedded: the loader is written as code, not as a module. */
const LOADER = "embedding.py";
/** Never embedded: package mode (an installed package builds the DAG from a plan file). */
const PACKAGE_ONLY = new Set(["package.py", "plan_file.py"]);

/**
 * The package's modules a plan's DAG file carries, by path inside the package, sorted.
 *
 * @example
 * ```ts
 * Object.keys(runtimeModules(plan)); // ["__init__.py", "compat.py", "dagfile.py", ...]
 * ```
 */
export function runtimeModules(plan: Plan): Record<string, string> {
  const gpu = plan.stages.some(needsGpu);
  const gates = hasGates(plan);
  const all = { ...GATE_SOURCES, ...RUNTIME_SOURCES };
  const keep = Object.keys(all)
    .filter((f) => f !== LOADER && !PACKAGE_ONLY.has(f) && (gpu || !GPU_ONLY.has(f)) && (gates || !GATES_ONLY.has(f)))
    .sort();
  return Object.fromEntries(keep.map((f) => [f, all[f]!]));
}

/** The loader's code without its docstring and `from __future__` line (the DAG file has its own). */
function loaderCode(): string {
  const text = RUNTIME_SOURCES[LOADER]!;
  const future = "from __future__ import annotations\n";
  return text.slice(text.indexOf(future) + future.length).trim();
}

/**
 * Python that defines `RUNTIME`, the embedded package's `dagfile` module (DAG, Param, UpdraftStage,
 * retry_args), for `build_dag(RUNTIME)`.
 *
 * @example
 * ```ts
 * expect(runtimeSection(plan)).toContain("RUNTIME = load_package(");
 * ```
 */
export function runtimeSection(plan: Plan): string {
  const modules = runtimeModules(plan);
  const hash = createHash("sha256");
  for (const [f, text] of Object.entries(modules)) hash.update(`${f}\0${text}\0`);
  const name = `updraft_airflow_${hash.digest("hex").slice(0, 12)}`;
  const entries = Object.entries(modules).map(([f, text]) => `    ${pyString(f)}: ${pyModuleText(text)},`);
  return [
    loaderCode(),
    "",
    "",
    `RUNTIME_PACKAGE = ${pyString(name)}`,
    "RUNTIME_SOURCES = {",
    ...entries,
    "}",
    'RUNTIME = load_package(RUNTIME_PACKAGE, RUNTIME_SOURCES, "dagfile", globals().get("__file__", "dag file"))',
  ].join("\n");
}
