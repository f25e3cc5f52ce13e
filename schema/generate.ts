/**
 * Writes schema/plan.schema.json from the zod schema of the Plan: `npm run schema`.
 * A test fails when the checked-in file and the schema drift apart.
 */
import { writeFileSync } from "node:fs";
import { planJsonSchemaText } from "../src/planner/json-schema.js";

writeFileSync(new URL("./plan.schema.json", import.meta.url), planJsonSchemaText());
