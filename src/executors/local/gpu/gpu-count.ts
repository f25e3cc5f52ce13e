/**
 * How many GPUs this machine offers to runs: `--gpus`, else `UPDRAFT_GPUS`, else what
 * `nvidia-smi -L` lists, else none.
 */
import { execFileSync } from "node:child_process";
import { RunSetupError } from "../errors.js";

function parseCount(text: string, from: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new RunSetupError(
      `${from} is ${JSON.stringify(text)}, not a number of GPUs`,
      `give a whole number, 0 or more (${from}=1)`,
    );
  }
  return n;
}

/** GPUs listed by `nvidia-smi -L`, or 0 when it is missing or fails. */
function nvidiaSmiCount(): number {
  try {
    const out = execFileSync("nvidia-smi", ["-L"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    });
    return out.split("\n").filter((line) => /^GPU \d+:/.test(line)).length;
  } catch {
    return 0;
  }
}

/**
 * The number of GPU slots, with where it came from.
 *
 * @example
 * ```ts
 * gpuCount(null, { UPDRAFT_GPUS: "1" }); // { count: 1, from: "UPDRAFT_GPUS" }
 * ```
 */
export function gpuCount(
  option: number | string | null,
  env: Readonly<Record<string, string | undefined>>,
): { count: number; from: string } {
  if (option !== null) return { count: parseCount(String(option), "--gpus"), from: "--gpus" };
  const fromEnv = env.UPDRAFT_GPUS;
  if (fromEnv !== undefined && fromEnv !== "")
    return { count: parseCount(fromEnv, "UPDRAFT_GPUS"), from: "UPDRAFT_GPUS" };
  return { count: nvidiaSmiCount(), from: "nvidia-smi -L" };
}
