/**
 * The Plan of a DSL pipeline for tests: a pipeline with problems throws them, so a test that builds
 * a wrong fixture fails on the problem, not later on a missing field.
 */
import type { Pipeline } from "../src/dsl/pipeline.js";
import type { Plan } from "../src/plan/schema.js";
import { plan } from "../src/planner/plan.js";

/** The Plan of `p`; throws the planner's problems, one per line. */
export function planOf(p: Pipeline): Plan {
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("\n"));
  return result.plan;
}
