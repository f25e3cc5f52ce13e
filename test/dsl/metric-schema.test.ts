import { describe, expect, it } from "vitest";
import { z } from "zod";
import { pipeline, plan, type Rule } from "updraft";

const Metrics = z.object({
  rows: z.number(),
  empty_share: z.number().nullable(),
  label: z.string(),
  split: z.object({ train: z.int() }),
  extra: z.record(z.string(), z.number()),
});

/** A gate on Metrics with the given rules, as data: tsx does not type-check, so these reach the planner. */
function gateWith(rules: readonly Rule[]) {
  return pipeline("g", {}, ({ stage, qualityGate }) => {
    const a = stage("a", { command: ["true"] });
    qualityGate("data_ok", { after: [a], metrics: "m.json", schema: Metrics, rules });
  });
}

const problems = (rules: readonly Rule[]) => {
  const r = plan(gateWith(rules));
  return r.ok ? [] : r.problems.map((p) => `${p.code}: ${p.message} | ${p.hint}`);
};

describe("a gate's rules checked against its metrics schema when planning", () => {
  it("GIVEN rules that agree with the schema WHEN planned THEN the plan is valid", () => {
    expect(
      problems([
        { op: ">=", metric: "rows", value: 100 },
        { op: "<=", metric: "empty_share", value: 0.01 },
        { op: "==", metric: "empty_share", value: null },
        { op: "in", metric: "label", values: ["a", "b"] },
        { op: "between", metric: "split.train", min: 1, max: 9 },
        { op: "<", metric: "extra.anything", value: 1 },
        { op: "present", metric: "split" },
      ]),
    ).toEqual([]);
  });

  it("GIVEN a misspelt metric and a comparison of the wrong type WHEN planned THEN each is a problem naming the fix", () => {
    expect(
      problems([
        { op: ">=", metric: "row", value: 100 },
        { op: ">", metric: "label", value: 1 },
        { op: "==", metric: "rows", value: "100" },
        { op: "present", metric: "split.tran" },
      ]),
    ).toMatchInlineSnapshot(`
      [
        "unknown-metric: gate "data_ok" checks metric "row", which its schema does not have | did you mean "rows"? the schema has: rows, empty_share, label, split, split.train, extra",
        "metric-type-mismatch: gate "data_ok" compares metric "label" (string in its schema) with a number | compare "label" with a string value, or fix the schema",
        "metric-type-mismatch: gate "data_ok" compares metric "rows" (number in its schema) with a string | compare "rows" with a number value, or fix the schema",
        "unknown-metric: gate "data_ok" checks metric "split.tran", which its schema does not have | did you mean "split.train"? the schema has: rows, empty_share, label, split, split.train, extra",
      ]
    `);
  });
});

describe("rules inside anyOf/allOf and checksums from the metrics, checked against the schema", () => {
  it("GIVEN a misspelt metric inside anyOf and a checksum read from a number WHEN planned THEN each is a problem", () => {
    expect(
      problems([
        { op: "any", rules: [{ op: "all", rules: [{ op: ">=", metric: "rowz", value: { param: "n" } }] }] },
        { op: "sha256-metric", file: ["data.bin"], metric: "rows" },
        { op: "sha256-metric", file: ["data.bin"], metric: "label" },
      ]).filter((p) => !p.startsWith("unknown-param")),
    ).toMatchInlineSnapshot(`
      [
        "unknown-metric: gate "data_ok" checks metric "rowz", which its schema does not have | did you mean "rows"? the schema has: rows, empty_share, label, split, split.train, extra",
        "metric-type-mismatch: gate "data_ok" compares metric "rows" (number in its schema) with a string | compare "rows" with a number value, or fix the schema",
      ]
    `);
  });
});

describe("a gate's schema from the wrong zod", () => {
  it("GIVEN a zod 3 style schema (no _zod) WHEN the gate is declared THEN the error names the version and the fix", () => {
    const zod3 = { _def: { typeName: "ZodObject" }, parse: () => ({}) } as unknown as typeof Metrics;
    expect(() =>
      pipeline("g", {}, ({ stage, qualityGate }) => {
        const a = stage("a", { command: ["true"] });
        qualityGate("data_ok", { after: [a], metrics: "m.json", schema: zod3, rules: [] });
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[Error: gate "data_ok": its schema is not a zod 4 schema (zod 3 installed?); updraft needs zod 4: npm install zod@^4]`,
    );
  });
});
