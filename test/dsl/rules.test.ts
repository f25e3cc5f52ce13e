import { describe, expect, it } from "vitest";
import { z } from "zod";
import { param, pipeline, plan, ruleBuilder, t, type Plan } from "updraft";
import { GateSchema } from "../../src/plan/schema.js";

describe("the rule builder's compile-time guarantees", () => {
  // Never run: each @ts-expect-error line must fail to type-check (`npm test` runs tsc over test/
  // first, and an unused directive is itself an error). The lines without one must compile.
  function typeOnly(): void {
    const schema = z.object({
      rows: z.number(),
      domain_eval: z.object({ verdict: z.enum(["pass", "fail"]), score: z.number() }),
    });
    pipeline("typed", {}, ({ stage, qualityGate }) => {
      const prep = stage("prep", { command: ["true"] });
      qualityGate("ok", {
        after: [prep],
        schema,
        metrics: "m.json",
        rules: (r) => [
          r.metric("rows").gte(1),
          r.metric("domain_eval.verdict").eq("pass"),
          r.metric("domain_eval.score").between(0, 1),
        ],
      });
      qualityGate("typo", {
        after: [prep],
        schema,
        metrics: "m.json",
        rules: (r) => [
          // @ts-expect-error a misspelt metric name is not a path of the schema
          r.metric("rowz").gte(1),
        ],
      });
      qualityGate("nested-typo", {
        after: [prep],
        schema,
        metrics: "m.json",
        rules: (r) => [
          // @ts-expect-error a misspelt nested key is not a path either
          r.metric("domain_eval.verdikt").eq("pass"),
        ],
      });
      qualityGate("wrong-value", {
        after: [prep],
        schema,
        metrics: "m.json",
        rules: (r) => [
          // @ts-expect-error "passed" is not one of the enum's values
          r.metric("domain_eval.verdict").eq("passed"),
        ],
      });
      qualityGate("numeric-on-string", {
        after: [prep],
        schema: z.object({ tag: z.string(), size: z.union([z.number(), z.string()]), n: z.number().optional() }),
        metrics: "m.json",
        rules: (r) => [
          // @ts-expect-error tag is a string: no numeric comparison compiles on it
          r.metric("tag").gte(1),
          // @ts-expect-error nor a range
          r.metric("tag").between(0, 1),
          r.metric("tag").eq("v1"),
          r.metric("tag").eqIgnoreCase("V1"),
          // @ts-expect-error a number has no case to ignore
          r.metric("n").eqIgnoreCase("1"),
          r.metric("size").lt(10), // a number or a string: the number may be compared
          r.metric("n").gt(0), // optional numbers too
        ],
      });
      qualityGate("wrong-kind", {
        after: [prep],
        schema,
        metrics: "m.json",
        rules: (r) => [
          // @ts-expect-error rows is a number, so it cannot equal a string
          r.metric("rows").oneOf(["many"]),
        ],
      });
      qualityGate("untyped", {
        after: [prep],
        metrics: "m.json",
        rules: (r) => [r.metric("anything.at.all").present()],
      });
    });
  }

  it("keeps the type-only checks out of the run", () => {
    expect(typeof typeOnly).toBe("function");
  });
});

describe("the rule builder", () => {
  it("turns every metric rule into plain data", () => {
    // GIVEN an untyped builder WHEN each metric rule is built THEN each is the Plan's rule shape
    const m = ruleBuilder<unknown>().metric("eval.score");
    expect([
      m.lt(1),
      m.lte(1),
      m.gt(0),
      m.gte(0.5),
      m.eq("pass"),
      m.eqIgnoreCase("Pass"),
      m.ne(null as never),
      m.between(0, 1),
      m.oneOf(["a", 2, true]),
      m.present(),
      m.absent(),
    ]).toEqual([
      { op: "<", metric: "eval.score", value: 1 },
      { op: "<=", metric: "eval.score", value: 1 },
      { op: ">", metric: "eval.score", value: 0 },
      { op: ">=", metric: "eval.score", value: 0.5 },
      { op: "==", metric: "eval.score", value: "pass" },
      { op: "==i", metric: "eval.score", value: "Pass" },
      { op: "!=", metric: "eval.score", value: null },
      { op: "between", metric: "eval.score", min: 0, max: 1 },
      { op: "in", metric: "eval.score", values: ["a", 2, true] },
      { op: "present", metric: "eval.score" },
      { op: "absent", metric: "eval.score" },
    ]);
  });

  it("turns file rules into data with parameter placeholders kept", () => {
    // GIVEN a pipeline whose gate checks files named by a parameter
    const p = pipeline(
      "files",
      { params: { run: param.string({ default: "r1" }) } },
      ({ stage, qualityGate, params }) => {
        const prep = stage("prep", { command: ["true"] });
        qualityGate("files_ok", {
          after: [prep],
          rules: (r) => [
            r.file(t`out/${params.run}/train.bin`).exists(),
            r.file("out/train.idx").notEmpty(),
            r.file("out/train.bin").sha256("AB".repeat(32)),
            r.file(t`out/${params.run}/train.bin`).listedIn(t`out/${params.run}/SHA256SUMS`),
          ],
        });
      },
    );

    // WHEN it is planned
    const result = plan(p);

    // THEN the gate is plain, schema-valid data with templates, not resolved strings
    expect(result.ok).toBe(true);
    const gate = (result as { plan: Plan }).plan.stages.find((s) => s.id === "files_ok")!.gate!;
    const bin = ["out/", { param: "run" }, "/train.bin"];
    expect(gate).toEqual({
      metrics: null,
      severity: "block",
      rules: [
        { op: "file-exists", file: bin },
        { op: "file-not-empty", file: ["out/train.idx"] },
        { op: "sha256", file: ["out/train.bin"], value: "AB".repeat(32) },
        { op: "sha256-listed", file: bin, sums: ["out/", { param: "run" }, "/SHA256SUMS"] },
      ],
    });
    expect(GateSchema.parse(gate)).toEqual(gate);
    expect(JSON.parse(JSON.stringify(gate))).toEqual(gate);
  });

  it("keeps a typed gate's rules, metrics file and severity, and freezes them", () => {
    // GIVEN a gate with a schema, given as a rules callback, with warn severity
    const schema = z.object({ domain_eval: z.object({ verdict: z.enum(["pass", "fail"]) }) });
    const p = pipeline("typed", {}, ({ stage, qualityGate }) => {
      const evalStage = stage("eval", { command: ["true"] });
      qualityGate("release_ok", {
        after: [evalStage],
        schema,
        metrics: "out/eval.json",
        severity: "warn",
        rules: (r) => [r.metric("domain_eval.verdict").eq("pass")],
      });
    });

    // WHEN the declaration is read THEN the rule is frozen plain data
    const decl = p.stages.find((s) => s.id === "release_ok")!;
    expect(decl.gate).toEqual({
      metrics: ["out/eval.json"],
      severity: "warn",
      rules: [{ op: "==", metric: "domain_eval.verdict", value: "pass" }],
    });
    expect(Object.isFrozen(decl.gate!.rules[0])).toBe(true);
    expect(decl.kind).toBe("gate");
    expect(decl.dependsOn).toEqual(["eval"]);
  });

  it("accepts rules given as data", () => {
    // GIVEN rules written as plain objects WHEN the pipeline is planned THEN they are kept as written
    const p = pipeline("data", {}, ({ stage, qualityGate }) => {
      const a = stage("a", { command: ["true"] });
      qualityGate("g", {
        after: [a],
        metrics: "m.json",
        rules: [{ op: "in", metric: "split", values: ["train", "test"] }],
      });
    });
    const result = plan(p);
    expect(result.ok && result.plan.stages[1]!.gate!.rules).toEqual([
      { op: "in", metric: "split", values: ["train", "test"] },
    ]);
  });
});
