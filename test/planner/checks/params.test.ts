import { describe, expect, it } from "vitest";
import { param, pipeline, plan, t, type Plan } from "updraft";
import { resolveParams } from "../../../src/planner/params.js";

const problemsOf = (r: ReturnType<typeof plan>) =>
  r.ok ? [] : r.problems.map((x) => `${x.code}: ${x.message} | ${x.hint}`);

describe("parameter sources: derived defaults and environment variables", () => {
  it("GIVEN derived defaults that use each other in a ring WHEN planned THEN the whole cycle is one problem with a hint", () => {
    const p = pipeline(
      "ring",
      {
        params: {
          a: param.string({ default: (p) => t`${p.c!}/a` }),
          b: param.string({ default: (p) => t`${p.a!}/b` }),
          c: param.string({ default: (p) => t`${p.b!}/c` }),
          d: param.string({ default: (p) => t`${p.nope!}` }),
        },
      },
      ({ stage }) => void stage("s", { command: ["true"] }),
    );
    expect(problemsOf(plan(p))).toMatchInlineSnapshot(`
      [
        "unknown-param: the default of parameter "d" (\${nope}) uses parameter "nope", which the pipeline does not declare | declare it in params: { nope: param.string() }, or fix the name",
        "param-default-cycle: the defaults of parameters "c", "b", "a" depend on each other: a -> c -> b -> a | give one of them a plain default (or none), so that the others can be derived from it",
      ]
    `);
  });

  it("GIVEN an env option that is no variable name WHEN planned THEN it is a problem", () => {
    const p = pipeline(
      "badenv",
      { params: { run: param.string({ env: "TEAM-RUN" }) } },
      ({ stage }) => void stage("s", { command: ["true"] }),
    );
    expect(problemsOf(plan(p))).toEqual([
      'invalid-param: parameter "run" reads the environment variable "TEAM-RUN", which is not a variable name | use letters, digits and \'_\', not starting with a digit, such as TEAM_RUN_NAME',
    ]);
  });

  it("GIVEN a chain of derived defaults WHEN resolved THEN each follows the values it uses, however they were given", () => {
    const p = pipeline(
      "chain",
      {
        params: {
          ckpt: param.path({ default: (p) => t`${p.data!}/ckpt` }),
          data: param.path({ default: (p) => t`data/${p.run!}` }),
          run: param.string({ env: "TEAM_RUN" }),
        },
      },
      ({ stage }) => void stage("s", { command: ["true"] }),
    );
    const { plan: planned } = plan(p) as { ok: true; plan: Plan };
    expect(planned.params.map((x) => [x.name, x.derived, x.env])).toEqual([
      ["ckpt", [{ param: "data" }, "/ckpt"], null],
      ["data", ["data/", { param: "run" }], null],
      ["run", null, "TEAM_RUN"],
    ]);
    expect(resolveParams(planned.params, { env: { TEAM_RUN: "r7" } })).toEqual({
      ok: true,
      values: { run: "r7", data: "data/r7", ckpt: "data/r7/ckpt" },
      sources: { run: "TEAM_RUN", data: "default", ckpt: "default" },
    });
    const plain = resolveParams(planned.params, { env: {}, allowMissing: true });
    expect(plain.ok && plain.values).toEqual({
      run: "<run: required>",
      data: "data/<run: required>",
      ckpt: "data/<run: required>/ckpt",
    });
    expect(resolveParams(planned.params, { env: {} }).ok).toBe(false);
  });
});
