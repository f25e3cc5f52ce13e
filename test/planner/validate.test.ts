import { describe, expect, it } from "vitest";
import { param, pipeline, plan, sh, t, type Pipeline } from "updraft";
import type { Problem } from "../../src/planner/problems.js";

/** GIVEN a pipeline, WHEN it is planned, THEN these are its problems as "code stage: message | detail | hint". */
function problems(p: Pipeline): string[] {
  const result = plan(p);
  if (result.ok) return [];
  return result.problems.map(
    (x: Problem) => `${x.code} ${x.stage ?? "-"}: ${x.message}${x.detail ? ` | ${x.detail}` : ""} | hint: ${x.hint}`,
  );
}

const any = (v: unknown) => v as never;

describe("validation", () => {
  it("accepts a valid pipeline", () => {
    const p = pipeline("ok", {}, ({ stage }) => {
      const a = stage("a", { command: ["true"] });
      stage("b", { command: ["true"], dependsOn: [a] });
    });
    expect(problems(p)).toEqual([]);
  });

  it("reports duplicate stage ids with where the first one was declared", () => {
    const p = pipeline("dup", {}, ({ stage }) => {
      stage("a", { command: ["true"] });
      stage("a", { command: ["true"] });
    });
    expect(problems(p)[0]).toMatch(
      /^duplicate-stage a: stage "a" is declared twice \(first declared at test\/planner\/validate\.test\.ts:\d+\) \| hint: give each stage its own id$/,
    );
  });

  it("reports ids Airflow would reject, for stages and the pipeline", () => {
    const p = pipeline("bad id", {}, ({ stage }) => {
      stage("train model", { command: ["true"] });
      stage("x".repeat(251), { command: ["true"] });
    });
    expect(problems(p).map((s) => s.slice(0, 90))).toMatchInlineSnapshot(`
      [
        "invalid-pipeline-id -: pipeline id "bad id" is not a valid Airflow DAG id | hint: use 1 to",
        "invalid-stage-id train model: stage id "train model" is not a valid Airflow task id | hint",
        "invalid-stage-id xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      ]
    `);
  });

  it("reports a whole dependency cycle written through `as any`", () => {
    const p = pipeline("cyc", {}, ({ stage }) => {
      stage("train", { command: ["true"], dependsOn: [any("eval")] });
      stage("eval", { command: ["true"], dependsOn: [any("report")] });
      stage("report", { command: ["true"], dependsOn: [any("train")] });
      stage("solo", { command: ["true"], dependsOn: [any("solo")] });
    });
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "dependency-cycle train: stage "train" depends on itself through "eval", "report" | cycle: train -> eval -> report -> train | hint: remove one dependency of the loop",
        "dependency-cycle solo: stage "solo" depends on itself | cycle: solo -> solo | hint: remove one dependency of the loop",
      ]
    `);
  });

  it("reports unknown dependencies", () => {
    const p = pipeline("unk", {}, ({ stage }) => {
      stage("train", { command: ["true"], dependsOn: [any("prepare")] });
    });
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "unknown-dependency train: stage "train" depends on "prepare", which is not a stage of this pipeline | hint: declare "prepare" in this pipeline, or remove it from dependsOn",
      ]
    `);
  });

  it("reports bad retry settings", () => {
    const p = pipeline("retry", {}, ({ stage }) => {
      stage("neg", { command: ["true"], retry: { retries: -1 } });
      stage("frac", { command: ["true"], retry: { retries: 1.5 } });
      stage("cap", { command: ["true"], retry: { retries: 2, delay: "10m", maxDelay: "1m" } });
      stage("mult", { command: ["true"], retry: { retries: 2, backoff: 0.5 } });
      stage("code", { command: ["true"], retry: { retries: 2, nonRetryableExitCodes: [300] } });
      stage("delay", { command: ["true"], retry: { retries: 2, delay: any("soon") } });
    });
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "invalid-retry-delay delay: stage "delay" has retry delay "soon", which is not a duration | hint: write it as "90s", "10m", "12h", "1d", "1h30m" or a number of seconds",
        "invalid-retries neg: stage "neg" has retries -1 | hint: set retries to a whole number from 0 to 100",
        "invalid-retries frac: stage "frac" has retries 1.5 | hint: set retries to a whole number from 0 to 100",
        "max-delay-below-delay cap: stage "cap" has retry maxDelay 60s below its delay 600s | hint: raise retry.maxDelay to at least retry.delay, or lower the delay",
        "invalid-backoff mult: stage "mult" has a backoff multiplier of 0.5 | hint: set retry.backoff to 1 (constant delay) up to 10",
        "invalid-exit-code code: stage "code" lists exit code 300 as non-retryable | hint: exit codes are whole numbers from 0 to 255",
      ]
    `);
  });

  it("reports zero, negative and unreadable timeouts", () => {
    const p = pipeline("timeouts", {}, ({ stage }) => {
      stage("zero", { command: ["true"], timeout: 0 });
      stage("neg", { command: ["true"], timeout: -5 });
      stage("words", { command: ["true"], timeout: any("a while") });
    });
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "invalid-timeout words: stage "words" has timeout "a while", which is not a duration | hint: write it as "90s", "10m", "12h", "1d", "1h30m" or a number of seconds",
        "invalid-timeout zero: stage "zero" has a timeout of 0s | hint: set a timeout above zero, or leave it out for none",
        "invalid-timeout neg: stage "neg" has a timeout of -5s | hint: set a timeout above zero, or leave it out for none",
      ]
    `);
  });

  it("reports negative and fractional GPU counts", () => {
    const p = pipeline("gpus", {}, ({ stage }) => {
      stage("neg", { command: ["true"], gpu: -1 });
      stage("half", { command: ["true"], gpu: 0.5 });
    });
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "invalid-gpu neg: stage "neg" asks for -1 GPUs | hint: gpu is a whole number of devices, 0 or more",
        "invalid-gpu half: stage "half" asks for 0.5 GPUs | hint: gpu is a whole number of devices, 0 or more",
      ]
    `);
  });

  it("reports empty commands", () => {
    const p = pipeline("empty", {}, ({ stage }) => {
      stage("argv", { command: [] });
      stage("blank", { command: [""] });
      stage("shell", { command: sh`   ` });
      stage("none", { command: any(undefined) });
    });
    expect(problems(p).map((s) => s.split(" | ")[0])).toMatchInlineSnapshot(`
      [
        "empty-command argv: stage "argv" has an empty command",
        "empty-command blank: stage "blank" has an empty command",
        "empty-command shell: stage "shell" has an empty command",
        "empty-command none: stage "none" has an empty command",
      ]
    `);
  });

  it("reports one output declared by two stages", () => {
    const p = pipeline("outs", {}, ({ stage }) => {
      stage("a", { command: ["true"], outputs: ["out/data.bin"] });
      stage("b", { command: ["true"], outputs: ["./out/data.bin"] });
    });
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "duplicate-output b: stages "a" and "b" both declare the output out/data.bin | written as "out/data.bin" by "a" and as "./out/data.bin" by "b" | hint: let one stage produce each file; others list it as an input",
      ]
    `);
  });

  it("reports unknown and ill-typed params", () => {
    const p = pipeline(
      "params",
      { params: { ctx: param.int({ default: any(1.5) }), mode: param.enum([], {}), "bad-name": param.string() } },
      ({ stage }) => {
        stage("a", { command: ["echo", t`${any({ [Symbol.for("updraft.param-ref")]: true, name: "nope" })}`] });
      },
    );
    expect(problems(p)).toMatchInlineSnapshot(`
      [
        "invalid-param -: default of parameter "ctx" is 1.5, not a whole number | hint: give "ctx" a default of type int",
        "invalid-param -: enum parameter "mode" lists no values | hint: list its values: param.enum(["a", "b"])",
        "invalid-param -: parameter name "bad-name" is not an identifier | hint: use letters, digits and '_', not starting with a digit",
        "unknown-param a: stage "a" uses parameter "nope" in its argument 2, but the pipeline declares no such parameter | hint: declare it in params: { nope: param.string() }",
      ]
    `);
  });

  it("reports env problems and gate problems", () => {
    const p = pipeline("env", {}, ({ stage, qualityGate }) => {
      const a = stage("a", { command: ["true"], env: { "BAD-NAME": "1", TOKEN: "x" }, secretEnv: ["TOKEN"] });
      qualityGate("empty", { after: [a], rules: [] });
      qualityGate("nofile", { after: [a], rules: (r) => [r.metric("rows").gte(1)] });
    });
    expect(problems(p).map((s) => s.split(" | ")[0])).toMatchInlineSnapshot(`
      [
        "invalid-env-name a: stage "a" sets environment variable "BAD-NAME"",
        "secret-env-conflict a: stage "a" declares "TOKEN" both as env and as secretEnv",
        "empty-gate empty: gate "empty" has no rules",
        "missing-metrics-file nofile: gate "nofile" checks metrics but names no metrics file",
      ]
    `);
  });

  it("collects every problem before failing", () => {
    const p = pipeline("many", { maxActiveRuns: 0 }, ({ stage }) => {
      stage("a b", { command: [], gpu: -1, timeout: 0, retry: { retries: -1 } });
    });
    expect(problems(p).map((s) => s.split(" ")[0])).toEqual([
      "invalid-max-active-runs",
      "invalid-stage-id",
      "empty-command",
      "invalid-retries",
      "invalid-timeout",
      "invalid-gpu",
    ]);
  });
});
