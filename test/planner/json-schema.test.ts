import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { planJsonSchemaText } from "../../src/planner/json-schema.js";

describe("schema/plan.schema.json", () => {
  it("is what the zod schema generates (run `npm run schema` after changing the Plan)", () => {
    const checkedIn = readFileSync(new URL("../../schema/plan.schema.json", import.meta.url), "utf8");
    expect(checkedIn).toBe(planJsonSchemaText());
  });
});
