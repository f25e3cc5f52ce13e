import { describe, expect, it } from "vitest";
import { param, pipeline, plan, resolveParams, type Plan } from "updraft";

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
        "invalid-param-value: parameter "ctx" from --param is "big", not a whole number | give a value of type int",
        "invalid-param-value: parameter "fast" from --params file is "yes please", not true or false | give a value of type bool",
        "missing-param: parameter "data" is required and has no value | give it with --param data=VALUE or UPDRAFT_PARAM_DATA",
        "invalid-param-value: parameter "profile" from --param is "prod", not one of demo, rwkv | give a value of type enum (demo, rwkv)",
      ]
    `);
  });
});
