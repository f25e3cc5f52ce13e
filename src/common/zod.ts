/**
 * The zod that updraft's own formats are described and validated with: the Plan, run records, the
 * run cache and the config file. In the source tree it is the project's zod. `npm run build`
 * bundles it (scripts/bundle.ts); import it as a namespace, `import * as z from "../common/zod.js"`,
 * so that the bundle keeps only the parts updraft uses: every CLI command loads it at start-up.
 *
 * A schema a user writes (a gate's metrics) goes through the project's zod instead: see
 * src/dsl/metric-schema.ts.
 */
export * from "zod";
