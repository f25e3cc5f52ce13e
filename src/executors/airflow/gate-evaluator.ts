/**
 * The quality-gate evaluator inside a DAG file. Its Python module text is kept as a string and
 * executed into its own module namespace on first use, so its names never meet the runtime's
 * (it imports `datetime` the class, say) and importing the DAG file costs nothing.
 */
import { GATE_EVALUATOR_PY } from "../../gates/python.js";
import { pyModuleText } from "./python.js";

/**
 * Python that defines `evaluate_gate(gate_id, gate, values, cwd)` by running the shared gate
 * evaluator in a module of its own.
 *
 * @example
 * ```ts
 * expect(gateEvaluatorPy()).toContain("def evaluate_gate(");
 * ```
 */
export function gateEvaluatorPy(): string {
  return [
    "def evaluate_gate(gate_id, gate, values, cwd):",
    '    """The gate\'s verdict (a GateResult dict), by the same rules as updraft run."""',
    "    import types",
    "",
    '    module = types.ModuleType("updraft_gates")',
    '    exec(compile(GATE_EVALUATOR, "updraft_gates.py", "exec"), module.__dict__)',
    "    return module.evaluate_gate(gate_id, gate, values, cwd)",
    "",
    "",
    "# The gate evaluator of updraft (standard library only), run by evaluate_gate() above.",
    `GATE_EVALUATOR = ${pyModuleText(GATE_EVALUATOR_PY)}`,
  ].join("\n");
}
