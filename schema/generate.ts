/**
 * Writes schema/plan.schema.json from the zod schema of the Plan, and schema/config.schema.json
 * from that of updraft.config.json: `npm run schema`. A test fails when a checked-in file and its
 * schema drift apart.
 */
import { writeFileSync } from "node:fs";
import { planJsonSchemaText } from "../src/planner/json-schema.js";
import { configJsonSchemaText } from "../src/records/advise/advise-config.js";

writeFileSync(new URL("./plan.schema.json", import.meta.url), planJsonSchemaText());
writeFileSync(new URL("./config.schema.json", import.meta.url), configJsonSchemaText());
