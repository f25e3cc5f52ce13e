import { describe, expect, it } from "vitest";
import { param, pipeline, plan, type Plan } from "updraft";
import { resolveParams } from "../../src/planner/params.js";

const p = pipeline(
  "params",
  {
    params: {
      name: param.string({ default: "demo" }),
      ctx: param.int({ default: 512 }),
      lr: param.number({ default: 0.001 }),
      fast: param.bool({ default: false }),
      data: param.path(),
      profile: param.enum(["demo", "rwkv"], { default: "demo" }),
    },
  },
  ({ stage }) => {
    stage("a", { command: ["true"] });
  },
);
const planned = plan(p) as { ok: true; plan: Plan };

describe("resolveParams", () => {
  it("takes --param over --params file over UPDRAFT_PARAM_* over the default, converting types", () => {
    const result = resolveParams(planned.plan.params, {
      cli: ["ctx=1024", "fast=true"],
      file: { ctx: 256, lr: 0.5, data: "in.jsonl" },
      env: { UPDRAFT_PARAM_NAME: "from-env", UPDRAFT_PARAM_LR: "9" },
    });
    expect(result).toEqual({
      ok: true,
      values: { name: "from-env", ctx: 1024, lr: 0.5, fast: true, data: "in.jsonl", profile: "demo" },
      sources: {
        name: "UPDRAFT_PARAM_NAME",
        ctx: "--param",
        lr: "--params file",
        fast: "--param",
        data: "--params file",
        profile: "default",
      },
    });
  });

  it("reports every unknown name, wrong type and missing value at once", () => {
    const result = resolveParams(planned.plan.params, {
      cli: ["ctx=big", "nope=1", "profile=prod"],
      file: { fast: "yes please" },
    });
    expect(result.ok ? [] : result.problems.map((x) => `${x.code}: ${x.message} | ${x.hint}`)).toMatchInlineSnapshot(`
      [
        "unknown-param: --param sets "nope", which the pipeline does not declare | declared parameters: name, ctx, lr, fast, data, profile",
        "invalid-param-value: parameter "ctx" from --param is "big", not a whole number | give a value of type int: write it in decimal digits, such as 42 or -3",
        "invalid-param-value: parameter "fast" from --params file is "yes please", not true or false | give a value of type bool: write true, false, yes, no, 1 or 0",
        "missing-param: parameter "data" is required and has no value | give it with --param data=VALUE or UPDRAFT_PARAM_DATA",
        "invalid-param-value: parameter "profile" from --param is "prod", not one of demo, rwkv | give a value of type enum (demo, rwkv)",
      ]
    `);
  });

  it("GIVEN hex, binary, octal or exponent text for an int WHEN resolved THEN it is refused with how to write it", () => {
    const result = resolveParams(planned.plan.params, {
      cli: ["ctx=0x10"],
      env: { UPDRAFT_PARAM_CTX: "0b11", UPDRAFT_PARAM_LR: "0x1p3" },
    });
    const texts = ["0x10", "0b11", "0o7", "1e3", "1_000", "1.0", " 5", "+5", ""].map((v) => {
      const r = resolveParams(planned.plan.params, { cli: [`ctx=${v}`, "data=x"] });
      return r.ok ? `${JSON.stringify(v)} -> ${r.values.ctx}` : `${JSON.stringify(v)} -> ${r.problems[0]?.message}`;
    });
    expect(texts).toMatchInlineSnapshot(`
      [
        ""0x10" -> parameter "ctx" from --param is "0x10", not a whole number",
        ""0b11" -> parameter "ctx" from --param is "0b11", not a whole number",
        ""0o7" -> parameter "ctx" from --param is "0o7", not a whole number",
        ""1e3" -> parameter "ctx" from --param is "1e3", not a whole number",
        ""1_000" -> parameter "ctx" from --param is "1_000", not a whole number",
        ""1.0" -> parameter "ctx" from --param is "1.0", not a whole number",
        "" 5" -> parameter "ctx" from --param is " 5", not a whole number",
        ""+5" -> parameter "ctx" from --param is "+5", not a whole number",
        """ -> parameter "ctx" from --param is "", not a whole number",
      ]
    `);
    expect(result.ok ? [] : result.problems.map((x) => `${x.message} | ${x.hint}`)).toMatchInlineSnapshot(`
      [
        "parameter "ctx" from --param is "0x10", not a whole number | give a value of type int: write it in decimal digits, such as 42 or -3",
        "parameter "lr" from UPDRAFT_PARAM_LR is "0x1p3", not a number | give a value of type number: write it as a decimal number, such as 0.5, -3 or 1e-4",
        "parameter "data" is required and has no value | give it with --param data=VALUE or UPDRAFT_PARAM_DATA",
      ]
    `);
  });

  it("GIVEN decimal and exponent text for a number, decimal digits for an int WHEN resolved THEN they convert", () => {
    const r = resolveParams(planned.plan.params, {
      cli: ["ctx=-0042", "lr=1e-4", "data=x"],
      env: {},
    });
    expect(r.ok && [r.values.ctx, r.values.lr]).toEqual([-42, 0.0001]);
    const numbers = ["0.5", ".5", "-3", "2.", "1E3"].map((v) => {
      const x = resolveParams(planned.plan.params, { cli: [`lr=${v}`, "data=x"] });
      return x.ok ? x.values.lr : "refused";
    });
    expect(numbers).toEqual([0.5, 0.5, -3, 2, 1000]);
    const refused = ["0x10", "Infinity", "NaN", "1e", "--1"].map((v) => {
      const x = resolveParams(planned.plan.params, { cli: [`lr=${v}`, "data=x"] });
      return x.ok ? x.values.lr : "refused";
    });
    expect(refused).toEqual(["refused", "refused", "refused", "refused", "refused"]);
  });
});
