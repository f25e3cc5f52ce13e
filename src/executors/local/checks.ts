/**
 * Checks made before anything runs: secrets present, GPUs available, options sane. Each failure
 * is a RunSetupError naming the problem and the fix.
 */
import type { Plan } from "../../plan/schema.js";
import { needsGpu, stageGpus } from "../../planner/params.js";
import type { ParamValue } from "../../planner/template.js";
import { RunSetupError } from "./errors.js";
import { gpuCount } from "./gpu/gpu-count.js";
import { plural } from "../../common/plural.js";

/**
 * The values of every secret the selected stages need, or an error listing the missing ones.
 *
 * @example
 * ```ts
 * secretValues(plan, selected, process.env); // ["hf_..."]
 * ```
 */
export function secretValues(
  plan: Plan,
  selected: ReadonlySet<string>,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const missing = new Map<string, string[]>();
  const values = new Set<string>();
  for (const s of plan.stages) {
    for (const name of s.secretEnv) {
      const value = env[name];
      if (value !== undefined) values.add(value);
      else if (selected.has(s.id)) missing.set(name, [...(missing.get(name) ?? []), s.id]);
    }
  }
  if (missing.size > 0) {
    const list = [...missing].map(([name, ids]) => `${name} (needed by ${ids.join(", ")})`).join(", ");
    throw new RunSetupError(
      `missing secret environment variable${missing.size > 1 ? "s" : ""}: ${list}`,
      `export ${[...missing.keys()][0]}=... before running; secret values are read from the environment and never stored`,
    );
  }
  return [...values];
}

/**
 * The number of GPU slots, or null when no selected stage needs one; an error when too few, or when a
 * parameter that gives a GPU count is below 1.
 *
 * @example
 * ```ts
 * gpuSlots(plan, selected, { gpus: 2 }, null, { UPDRAFT_GPUS: "2" }); // 2
 * ```
 */
export function gpuSlots(
  plan: Plan,
  selected: ReadonlySet<string>,
  values: Readonly<Record<string, ParamValue>>,
  option: number | string | null,
  env: Readonly<Record<string, string | undefined>>,
): number | null {
  const needy = plan.stages
    .filter((s) => selected.has(s.id) && needsGpu(s))
    .map((s) => ({ id: s.id, gpu: stageGpus(s, values), from: typeof s.gpu === "number" ? null : s.gpu.param }));
  if (needy.length === 0) return null;
  const bad = needy.find((s) => !(Number.isInteger(s.gpu) && s.gpu >= 1));
  if (bad)
    throw new RunSetupError(
      `stage "${bad.id}" takes its GPU count from parameter "${bad.from}", which is ${JSON.stringify(values[bad.from!])}`,
      `give ${bad.from} a whole number of GPUs, 1 or more`,
    );
  const { count, from } = gpuCount(option, env);
  const most = needy.reduce((a, b) => (b.gpu > a.gpu ? b : a));
  if (count >= most.gpu) return count;
  const found = count === 0 ? `no GPU was found (${from})` : `only ${plural(count, "GPU")} (${from})`;
  throw new RunSetupError(
    `stage "${most.id}" needs ${plural(most.gpu, "GPU")}, but ${found}`,
    "give the number of GPUs with --gpus N or UPDRAFT_GPUS=N, or run it on a machine with a GPU",
  );
}

/**
 * A positive whole number option, or an error.
 *
 * @example
 * ```ts
 * positiveInt(4, "--concurrency"); // 4
 * ```
 */
export function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RunSetupError(`${name} is ${value}`, `give ${name} a whole number, 1 or more`);
  return value;
}
