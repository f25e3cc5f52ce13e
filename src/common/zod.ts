/**
 * The zod that updraft's own formats are described and validated with: the Plan, run records, the
 * run cache and the config file. In the source tree it is the project's zod. `npm run build`
 * replaces the compiled module with one file holding zod's API without its message translations
 * (scripts/bundle.ts): Node loads that in about a third of the time zod's 95 modules take, and
 * every CLI command pays that time at start-up.
 *
 * A schema a user writes (a gate's metrics) goes through the project's zod instead: see
 * src/dsl/metric-schema.ts.
 */
export { z } from "zod";
