/**
 * Evaluate one quality gate on this machine: read its metrics file and files, apply its rules.
 * (Interface fixed here; evaluation lands with the quality-gates work.)
 */
import type { GateResult } from "../manifest.js";
import type { Gate } from "../../planner/schema.js";
import type { ParamValue } from "../../planner/template.js";

/**
 * The verdict of gate `gateId`. Relative paths are taken from `cwd`; templates are resolved with
 * `values`. Never throws for bad metrics or files: those FAIL the gate with a reason.
 */
export async function runGate(
  gateId: string,
  gate: Gate,
  values: Readonly<Record<string, ParamValue>>,
  cwd: string,
): Promise<GateResult> {
  void gate; void values; void cwd;
  throw new Error(`gate evaluation is not implemented yet (gate ${gateId})`);
}
