/**
 * The Plan as JSON Schema, generated from its zod schema, for tools written in other languages.
 */
import * as z from "../common/zod.js";
import { PLAN_VERSION, PlanInputSchema } from "../plan/schema.js";

/**
 * The JSON Schema (draft 2020-12) of what `updraft plan FILE.json` accepts, as pretty-printed text.
 *
 * @example
 * ```ts
 * writeFileSync("schema/plan.schema.json", planJsonSchemaText());
 * ```
 */
export function planJsonSchemaText(): string {
  const schema = z.toJSONSchema(PlanInputSchema, { target: "draft-2020-12", io: "input", reused: "ref" });
  const doc = {
    title: `updraft Plan, version ${PLAN_VERSION}`,
    description:
      "A validated, ordered pipeline: the interchange format between updraft and other orchestrators. levels, criticalPath and hash may be left out; they are recomputed.",
    ...schema,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
