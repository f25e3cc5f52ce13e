import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { planFromJson, pipeline, plan, type Plan } from "updraft";

/** A random DAG: stage i may depend only on stages declared before it, so there is no cycle. */
const dagArb = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc
      .tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 4 }),
        ),
      )
      .map((deps) => ({ n, deps: deps as number[][] })),
  );

function build(n: number, deps: number[][], shuffle: number[]): Plan {
  const order = shuffle.length === n ? shuffle : Array.from({ length: n }, (_, i) => i);
  const p = pipeline("random", {}, ({ stage }) => {
    for (const i of order)
      stage(`s${i}`, { command: ["true"], dependsOn: (deps[i] ?? []).map((d) => `s${d}` as never) });
  });
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("\n"));
  return result.plan;
}

describe("planner properties", () => {
  it("orders every edge dependency-first and makes levels minimal", () => {
    fc.assert(
      fc.property(
        dagArb.chain(({ n, deps }) =>
          fc.tuple(
            fc.constant(n),
            fc.constant(deps),
            fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
          ),
        ),
        ([n, deps, shuffle]) => {
          const result = build(n, deps, shuffle);
          const position = new Map(result.stages.map((s, i) => [s.id, i]));
          const level = new Map(result.levels.flatMap((ids, l) => ids.map((id) => [id, l] as const)));
          expect(result.stages).toHaveLength(n);
          for (const s of result.stages) {
            for (const d of s.dependsOn) expect(position.get(d)!).toBeLessThan(position.get(s.id)!);
            const expected = s.dependsOn.length === 0 ? 0 : Math.max(...s.dependsOn.map((d) => level.get(d)! + 1));
            expect(level.get(s.id)).toBe(expected);
          }
        },
      ),
      { numRuns: 200 * inject("fcNumRunsFactor") },
    );
  });

  it("is deterministic: the same pipeline gives the same plan and hash", () => {
    fc.assert(
      fc.property(dagArb, ({ n, deps }) => {
        expect(build(n, deps, [])).toEqual(build(n, deps, []));
      }),
      { numRuns: 50 * inject("fcNumRunsFactor") },
    );
  });

  it("returns problems, never throws, for hostile JSON plans", () => {
    const hostileStage = fc.record(
      {
        id: fc.oneof(fc.string(), fc.constant("a"), fc.constant("b"), fc.constant("{{ x }}")),
        kind: fc.constantFrom("task", "gate", "other"),
        description: fc.oneof(fc.string(), fc.constant(null)),
        dependsOn: fc.array(fc.oneof(fc.string(), fc.constantFrom("a", "b"))),
        command: fc.oneof(
          fc.constant(null),
          fc.record({ kind: fc.constant("argv"), argv: fc.array(fc.array(fc.string())) }),
          fc.record({
            kind: fc.constant("shell"),
            script: fc.array(fc.oneof(fc.string(), fc.record({ param: fc.string() }))),
          }),
        ),
        cwd: fc.constant(null),
        env: fc.dictionary(fc.string(), fc.array(fc.string())),
        secretEnv: fc.array(fc.string()),
        inputs: fc.constant([]),
        outputs: fc.array(fc.array(fc.string())),
        gpu: fc.oneof(fc.integer(), fc.double()),
        timeoutSeconds: fc.oneof(fc.constant(null), fc.double()),
        retry: fc.record({
          retries: fc.double(),
          delaySeconds: fc.double(),
          multiplier: fc.double(),
          maxDelaySeconds: fc.oneof(fc.constant(null), fc.double()),
          nonRetryableExitCodes: fc.array(fc.integer()),
        }),
        estimateSeconds: fc.constant(null),
        gate: fc.constant(null),
        source: fc.constant(null),
      },
      { requiredKeys: [] },
    );
    const hostilePlan = fc.oneof(
      fc.anything(),
      fc.record({
        version: fc.constant(1),
        pipeline: fc.record({
          id: fc.string(),
          description: fc.constant(null),
          tags: fc.array(fc.string()),
          schedule: fc.constant(null),
          maxActiveRuns: fc.integer(),
          source: fc.constant(null),
        }),
        params: fc.array(
          fc.record({
            name: fc.string(),
            type: fc.constantFrom("string", "int", "enum", "weird"),
            default: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
            values: fc.array(fc.string()),
            description: fc.constant(null),
          }),
        ),
        stages: fc.array(hostileStage, { maxLength: 6 }),
      }),
    );
    fc.assert(
      fc.property(hostilePlan, (data) => {
        const result = planFromJson(data);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) expect(p.code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
        }
      }),
      { numRuns: 500 * inject("fcNumRunsFactor") },
    );
  });

  it("reports every cycle as a real loop of dependencies", () => {
    const graphArb = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }),
      );
    fc.assert(
      fc.property(graphArb, (deps) => {
        const p = pipeline("loops", {}, ({ stage }) => {
          deps.forEach((d, i) => stage(`s${i}`, { command: ["true"], dependsOn: d.map((j) => `s${j}` as never) }));
        });
        const result = plan(p);
        const edges = new Set(deps.flatMap((d, i) => d.map((j) => `s${i}->s${j}`)));
        if (result.ok) return;
        for (const problem of result.problems) {
          expect(problem.code).toBe("dependency-cycle");
          const loop = problem.detail!.replace("cycle: ", "").split(" -> ");
          expect(loop[0]).toBe(loop[loop.length - 1]);
          for (let k = 0; k + 1 < loop.length; k++) expect(edges.has(`${loop[k]}->${loop[k + 1]}`)).toBe(true);
        }
      }),
      { numRuns: 300 * inject("fcNumRunsFactor") },
    );
  });

  it("returns problems, never throws, for hostile values given to the builder", () => {
    const hostile = fc.oneof(fc.anything(), fc.string(), fc.double(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), hostile, hostile, hostile, hostile, hostile), { maxLength: 5 }),
        (stages) => {
          const p = pipeline("hostile", {}, ({ stage }) => {
            for (const [id, gpu, timeout, retries, delay, command] of stages) {
              stage(id, {
                command: command as never,
                gpu: gpu as never,
                timeout: timeout as never,
                retry: { retries: retries as never, delay: delay as never },
              });
            }
          });
          const result = plan(p);
          if (!result.ok) for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 * inject("fcNumRunsFactor") },
    );
  });
});
