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
    pipeline(
      "bounds",
      { params: { min_rows: param.int({ default: 1 }), name: param.string({ default: "x" }) } },
      ({ stage, qualityGate, params: p }) => {
        const prep = stage("prep", { command: ["true"] });
        qualityGate("bounds_ok", {
          after: [prep],
          schema: z.object({ rows: z.number(), sha256: z.string() }),
          metrics: "m.json",
          rules: (r) => [
            r.metric("rows").gte(p.min_rows),
            r.metric("rows").between(0, p.min_rows),
            // @ts-expect-error a string parameter is no bound of a numeric comparison
            r.metric("rows").gte(p.name),
            r.file("data.bin").sha256(r.metric("sha256")),
            // @ts-expect-error a number metric holds no checksum
            r.file("data.bin").sha256(r.metric("rows")),
            r.anyOf(r.metric("rows").gte(1), r.file("data.bin").sha256(r.metric("sha256"))),
            // @ts-expect-error anyOf takes at least one rule
            r.anyOf(),
          ],
        });
      },
    );
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
      // The schema as the Plan carries it, for the check of the metrics file when the gate runs.
      schema: {
        type: ["object"],
        properties: {
          domain_eval: {
            type: ["object"],
            properties: { verdict: { type: ["string"], enum: ["pass", "fail"] } },
            required: ["verdict"],
          },
        },
        required: ["domain_eval"],
      },
    });
    expect(Object.isFrozen(decl.gate!.rules[0])).toBe(true);
    expect(decl.kind).toBe("gate");
    expect(decl.dependsOn).toEqual(["eval"]);
  });

  it("turns parameter bounds, a checksum from the metrics and anyOf/allOf into data", () => {
    // GIVEN a gate whose bound is an int parameter, whose checksum is a metric, in anyOf and allOf
    const p = pipeline(
      "data",
      { params: { min_rows: param.int({ default: 10 }) } },
      ({ stage, qualityGate, params }) => {
        const a = stage("a", { command: ["true"] });
        qualityGate("g", {
          after: [a],
          metrics: "manifest.json",
          rules: (r) => [
            r.allOf(r.metric("rows").gte(params.min_rows), r.metric("rows").between(params.min_rows, 99)),
            r.anyOf(r.metric("path").eq("data.bin"), r.file("data.bin").sha256(r.metric("files.0.sha256"))),
          ],
        });
      },
    );

    // WHEN it is planned
    const result = plan(p);

    // THEN the rules are Plan data: a bound is a parameter placeholder, the checksum names its metric
    const bound = { param: "min_rows" };
    expect(result.ok && result.plan.stages[1]!.gate!.rules).toEqual([
      {
        op: "all",
        rules: [
          { op: ">=", metric: "rows", value: bound },
          { op: "between", metric: "rows", min: bound, max: 99 },
        ],
      },
      {
        op: "any",
        rules: [
          { op: "==", metric: "path", value: "data.bin" },
          { op: "sha256-metric", file: ["data.bin"], metric: "files.0.sha256" },
        ],
      },
    ]);
  });

  it("rejects a bound from a parameter that is not a number, or not declared", () => {
    // GIVEN bounds from a string parameter and from an undeclared one (tsx does not type-check)
    const p = pipeline("data", { params: { name: param.string({ default: "x" }) } }, ({ stage, qualityGate }) => {
      const a = stage("a", { command: ["true"] });
      qualityGate("g", {
        after: [a],
        metrics: "m.json",
        rules: [
          { op: ">=", metric: "rows", value: { param: "name" } },
          { op: "any", rules: [{ op: "<", metric: "rows", value: { param: "max_rows" } }] },
        ],
      });
    });

    // WHEN it is planned THEN each is a problem with a fix
    const result = plan(p);
    expect(result.ok ? [] : result.problems.map((x) => `${x.code}: ${x.message} | ${x.hint}`)).toMatchInlineSnapshot(`
      [
        "unknown-param: stage "g" uses parameter "max_rows" in its rule bound, but the pipeline declares no such parameter | declare it in params: { max_rows: param.int() }",
        "bound-param-type: gate "g" compares a metric with parameter "name", a string parameter | declare it as param.int() or param.number(), or compare with a number",
      ]
    `);
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
