/**
 * Where a parameter's value may come from besides `--param`: its environment variable and its derived
 * default (a template over other parameters). Checks both, and orders derived defaults so that each
 * is resolved after the parameters it uses.
 */
import { problem, type Problem } from "../problems.js";
import { showTemplate, templateParams } from "../template.js";
import type { Param } from "../../plan/schema.js";

/** A name a POSIX shell and Python's os.environ both accept. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The names of the parameters with a derived default, in an order that resolves each after the ones
 * it uses; `cycle` is the first cycle found (`["a", "b", "a"]`), or null.
 *
 * @example
 * ```ts
 * derivedOrder(plan.params); // { order: ["data_dir", "ckpt_dir"], cycle: null }
 * ```
 */
export function derivedOrder(params: readonly Param[]): { order: string[]; cycle: string[] | null } {
  const byName = new Map(params.map((p) => [p.name, p]));
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  let cycle: string[] | null = null;
  const visit = (name: string, path: string[]): void => {
    const p = byName.get(name);
    if (!p?.derived || state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      cycle ??= [...path.slice(path.indexOf(name)), name];
      return;
    }
    state.set(name, "visiting");
    for (const used of templateParams(p.derived)) visit(used, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const p of params) visit(p.name, []);
  return { order, cycle };
}

/**
 * Problems with parameters' environment variables and derived defaults: a name that is no variable
 * name, a derived default that uses an undeclared parameter, a cycle among derived defaults.
 *
 * @example
 * ```ts
 * const out: Problem[] = [];
 * checkParamSources(plan.params, out);
 * ```
 */
export function checkParamSources(params: readonly Param[], out: Problem[]): void {
  const declared = new Set(params.map((p) => p.name));
  for (const p of params) {
    if (p.env !== null && !ENV_NAME.test(p.env))
      out.push(
        problem(
          "invalid-param",
          null,
          `parameter "${p.name}" reads the environment variable ${JSON.stringify(p.env)}, which is not a variable name`,
          "use letters, digits and '_', not starting with a digit, such as TEAM_RUN_NAME",
          {},
        ),
      );
    for (const used of templateParams(p.derived ?? []).filter((n) => !declared.has(n)))
      out.push(
        problem(
          "unknown-param",
          null,
          `the default of parameter "${p.name}" (${showTemplate(p.derived!)}) uses parameter "${used}", which the pipeline does not declare`,
          `declare it in params: { ${used}: param.string() }, or fix the name`,
          {},
        ),
      );
  }
  const { cycle } = derivedOrder(params);
  if (cycle)
    out.push(
      problem(
        "param-default-cycle",
        null,
        `the defaults of parameters ${cycle
          .slice(1)
          .map((n) => `"${n}"`)
          .join(", ")} depend on each other: ${cycle.join(" -> ")}`,
        `give one of them a plain default (or none), so that the others can be derived from it`,
        {},
      ),
    );
}
