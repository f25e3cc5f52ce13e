import { describe, expect, it } from "vitest";
import { param, pipeline, plan, sh, t, type StageRef } from "updraft";

describe("the builder's compile-time guarantees", () => {
  // These bodies are never run: each @ts-expect-error line must fail to type-check, which
  // `npm test` proves by running tsc over test/ before vitest. An unused directive is an error.
  function typeOnly(): void {
    pipeline("typos", {}, ({ stage }) => {
      const prepare = stage("prepare", { command: ["true"] });
      // @ts-expect-error a misspelt stage handle is an undeclared name
      stage("train", { command: ["true"], dependsOn: [prepair] });
      void prepare;
    });

    let foreign!: StageRef<"other">;
    pipeline("other", {}, ({ stage }) => {
      foreign = stage("x", { command: ["true"] });
    });
    pipeline("mine", {}, ({ stage }) => {
      const own = stage("own", { command: ["true"] });
      // @ts-expect-error a stage of another pipeline is not a stage of this one
      stage("y", { command: ["true"], dependsOn: [own, foreign] });
    });

    pipeline("cycle", {}, ({ stage }) => {
      // @ts-expect-error a cycle cannot be written: "b" is used before it is declared
      const a = stage("a", { command: ["true"], dependsOn: [b] });
      const b = stage("b", { command: ["true"], dependsOn: [a] });
    });

    pipeline("strings", {}, ({ stage }) => {
      // @ts-expect-error dependsOn takes handles, never strings
      stage("a", { command: ["true"], dependsOn: ["prepare"] });
    });

    pipeline("params", { params: { ctx: param.int({ default: 512 }) } }, ({ stage, params: p }) => {
      stage("ok", { command: ["echo", p.ctx, t`--ctx=${p.ctx}`] });
      // @ts-expect-error an undeclared parameter is a compile error
      stage("bad", { command: ["echo", p.ctxlen] });
    });

    pipeline("durations", {}, ({ stage }) => {
      stage("ok", { command: ["true"], timeout: "1h30m", retry: { delay: 90, maxDelay: "10m" } });
      // @ts-expect-error "ten minutes" is not a duration
      stage("bad", { command: ["true"], timeout: "ten minutes" });
    });

    // @ts-expect-error an enum default must be one of its values
    param.enum(["demo", "rwkv"], { default: "prod" });
  }

  it("keeps the type-only checks out of the run", () => {
    expect(typeof typeOnly).toBe("function");
  });
});

describe("the builder", () => {
  it("records where each stage was declared", () => {
    const p = pipeline("where", {}, ({ stage }) => {
      stage("a", { command: ["true"] });
    });
    expect(p.stages[0]!.source).toEqual({ file: "test/dsl/pipeline.test.ts", line: expect.any(Number) });
    expect(p.source?.file).toBe("test/dsl/pipeline.test.ts");
  });

  it("returns frozen values, and `with` returns a new pipeline", () => {
    const p = pipeline("frozen", { description: "one" }, ({ stage }) => {
      stage("a", { command: sh`echo hi`, env: { A: "1" } });
    });
    const q = p.with({ description: "two", schedule: "@daily" });
    expect(Object.isFrozen(p) && Object.isFrozen(p.stages) && Object.isFrozen(p.stages[0]!.env)).toBe(true);
    expect([p.description, q.description, q.schedule, q.stages]).toEqual(["one", "two", "@daily", p.stages]);
    expect(() => {
      (p.stages[0]!.env as Record<string, unknown>).A = ["2"];
    }).toThrow(TypeError);
  });

  it("turns commands into plan data: argv items, shell scripts, placeholders", () => {
    const p = pipeline("cmds", { params: { who: param.string({ default: "w" }) } }, ({ stage, params: pr }) => {
      const a = stage("argv", { command: ["echo", pr.who, t`x-${pr.who}`, ""] });
      stage("shell", { command: sh`echo ${pr.who} | tr a-z A-Z`, dependsOn: [a] });
    });
    const result = plan(p);
    expect(result.ok && result.plan.stages.map((s) => s.command)).toEqual([
      { kind: "argv", argv: [["echo"], [{ param: "who" }], ["x-", { param: "who" }], []] },
      { kind: "shell", script: ["echo ", { param: "who" }, " | tr a-z A-Z"] },
    ]);
  });
});

describe("handles of another pipeline at run time", () => {
  it("GIVEN a handle of pipeline A used in pipeline B without type-checking WHEN planned THEN a problem names both pipelines", () => {
    let aTrain!: StageRef<"a">;
    pipeline("a", {}, ({ stage }) => {
      aTrain = stage("train", { command: ["true"] });
    });
    // A file run by tsx is not type-checked: the cast stands for that.
    const b = pipeline("b", {}, ({ stage, qualityGate }) => {
      stage("train", { command: ["true"] });
      stage("eval", { command: ["true"], dependsOn: [aTrain as never] });
      qualityGate("check", { after: [aTrain as never], rules: [{ op: "present", metric: "x" }], metrics: "m.json" });
    });
    const result = plan(b);
    expect(result.ok ? [] : result.problems.map((x) => `${x.code} ${x.stage}: ${x.message} | hint: ${x.hint}`))
      .toMatchInlineSnapshot(`
      [
        "foreign-dependency eval: stage "eval" of pipeline "b" depends on stage "train" of pipeline "a" | hint: use a handle returned by stage() in pipeline "b" (declare "train" there if it is missing), or move "eval" into the pipeline of "train"",
        "foreign-dependency check: stage "check" of pipeline "b" depends on stage "train" of pipeline "a" | hint: use a handle returned by stage() in pipeline "b" (declare "train" there if it is missing), or move "check" into the pipeline of "train"",
      ]
    `);
  });

  it("GIVEN two pipelines with the same id WHEN a handle of one is used in the other THEN it is caught too", () => {
    let first!: StageRef<"same">;
    pipeline("same", {}, ({ stage }) => {
      first = stage("prep", { command: ["true"] });
    });
    const second = pipeline("same", {}, ({ stage }) => {
      stage("prep", { command: ["true"] });
      stage("train", { command: ["true"], dependsOn: [first] });
    });
    const result = plan(second);
    expect(result.ok ? [] : result.problems.map((x) => x.message)).toMatchInlineSnapshot(`
      [
        "stage "train" of pipeline "same" depends on stage "prep" of another pipeline also named "same"",
      ]
    `);
  });
});
