import { describe, expect, it } from "vitest";
import { param, pipeline, planFromJson, sh, t } from "updraft";
import { planOf } from "../plan-of.js";

const diamond = pipeline("diamond", { params: { run: param.string({ default: "r1" }) } }, ({ stage, params: p }) => {
  const prep = stage("prep", { command: ["echo", t`prep ${p.run}`], estimate: "1m" });
  const left = stage("left", { command: sh`sleep 0`, dependsOn: [prep], estimate: "10m" });
  const right = stage("right", { command: ["true"], dependsOn: [prep], estimate: "1m" });
  stage("join", { command: ["true"], dependsOn: [right, left] });
  stage("lonely", { command: ["true"] });
});

describe("plan", () => {
  it("orders stages topologically with ties in declaration order, and groups them in levels", () => {
    const result = planOf(diamond);
    expect(result.stages.map((s) => s.id)).toEqual(["prep", "left", "right", "join", "lonely"]);
    expect(result.levels).toEqual([["prep", "lonely"], ["left", "right"], ["join"]]);
  });

  it("follows the longest chain by estimate for the critical path", () => {
    expect(planOf(diamond).criticalPath).toEqual(["prep", "left", "join"]);
  });

  it("is plain JSON: a round trip through JSON gives the same plan", () => {
    const result = planOf(diamond);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("hashes content, not declaration order of object keys or source lines", () => {
    const a = planOf(diamond);
    const b = planOf(diamond.with({}));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    const changed = planOf(diamond.with({ description: "other" }));
    expect(changed.hash).not.toBe(a.hash);
  });

  it("freezes everything the DSL returns", () => {
    expect(Object.isFrozen(diamond)).toBe(true);
    expect(Object.isFrozen(diamond.stages[0])).toBe(true);
    expect(Object.isFrozen(diamond.stages[0]!.command)).toBe(true);
    expect(() => (diamond.stages as unknown as unknown[]).push(1)).toThrow();
  });

  it("applies pipeline defaults to every stage, a stage's own settings winning", () => {
    const p = pipeline(
      "defaults",
      { defaults: { retry: { retries: 2, delay: "5s" }, timeout: "1h", env: { A: "1" } } },
      ({ stage }) => {
        stage("a", { command: ["true"] });
        stage("b", { command: ["true"], retry: { retries: 0 }, timeout: "2m", env: { B: "2" } });
      },
    );
    const [a, b] = planOf(p).stages;
    expect(a).toMatchObject({
      timeoutSeconds: 3600,
      retry: { retries: 2, delaySeconds: 5, multiplier: 2, maxDelaySeconds: null },
      env: { A: ["1"] },
    });
    expect(b).toMatchObject({
      timeoutSeconds: 120,
      retry: { retries: 0, delaySeconds: 5 },
      env: { A: ["1"], B: ["2"] },
    });
  });
});

describe("planFromJson", () => {
  it("accepts a plan written as JSON and recomputes what is derived", () => {
    const original = planOf(diamond);
    const { levels: _l, criticalPath: _c, hash: _h, ...bare } = original;
    const result = planFromJson(JSON.parse(JSON.stringify({ ...bare, stages: [...bare.stages].reverse() })));
    // Declared in reverse, so ties now fall the other way round.
    expect(result.ok && result.plan.stages.map((s) => s.id)).toEqual(["lonely", "prep", "right", "left", "join"]);
    expect(result.ok && result.plan.levels).toEqual([["lonely", "prep"], ["right", "left"], ["join"]]);
    expect(result.ok && result.plan.criticalPath).toEqual(original.criticalPath);
  });

  it("validates a JSON plan like any pipeline: a cycle is reported whole", () => {
    const original = planOf(diamond);
    const stages = original.stages.map((s) => (s.id === "prep" ? { ...s, dependsOn: ["join"] } : s));
    const result = planFromJson({ ...original, stages, hash: undefined });
    expect(result.ok ? [] : result.problems.map((p) => p.detail)).toEqual(["cycle: prep -> join -> left -> prep"]);
  });

  it("rejects a plan whose stated hash does not match its content", () => {
    const original = planOf(diamond);
    const edited = { ...original, pipeline: { ...original.pipeline, description: "edited" } };
    const result = planFromJson(edited);
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(["hash-mismatch"]);
  });

  it("reports the shape problems of a foreign file with their paths", () => {
    const result = planFromJson({ version: 1, pipeline: { id: 3 }, params: [], stages: [{ id: "a" }] });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((p) => p.message);
    expect(messages).toContain("plan JSON at pipeline.id: Invalid input: expected string, received number");
    expect(messages.every((m) => m.startsWith("plan JSON at "))).toBe(true);
  });

  it("refuses another version", () => {
    const result = planFromJson({ version: 2 });
    expect(result.ok ? "" : result.problems[0]!.message).toBe("plan version 2 is not supported");
  });
});
