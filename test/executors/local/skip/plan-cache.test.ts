/**
 * The cache of validated plan.json files: the same bytes planned by the same build are not
 * validated again; anything else (other bytes, another build, an entry changed on disk) is.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cachedPlanFromJson, prunePlans } from "../../../../src/executors/local/skip/cache/plan-cache.js";
import { pipeline, sh } from "../../../../src/index.js";
import { plan, planFromJson } from "../../../../src/planner/plan.js";
import { tempDir } from "../helpers.js";

const BUILD = "/dist/chunks/chunk-TEST0001.js\x00123";

function planBytes(stages = 3): Buffer {
  const result = plan(
    pipeline("cached", {}, ({ stage }) => {
      let prev: ReturnType<typeof stage> | null = null;
      for (let i = 0; i < stages; i++)
        prev = stage(`s${i}`, {
          command: sh`echo ${String(i)} > s${String(i)}.out`,
          outputs: [`s${i}.out`],
          dependsOn: prev ? [prev] : [],
        });
    }),
  );
  if (!result.ok) throw new Error("the test pipeline does not plan");
  return Buffer.from(JSON.stringify(result.plan));
}

/** A parse that counts its calls. */
function counting() {
  const parse = (bytes: Buffer) => {
    parse.calls++;
    return JSON.parse(bytes.toString("utf8")) as unknown;
  };
  parse.calls = 0;
  return parse;
}

const entries = (cache: string) => readdirSync(path.join(cache, "plans"));

describe("cachedPlanFromJson", () => {
  it("GIVEN a plan validated once by a build WHEN the same bytes come again THEN the kept plan is used, unparsed, and equals a fresh one", () => {
    const cache = tempDir();
    const bytes = planBytes();
    const parse = counting();
    const first = cachedPlanFromJson(bytes, cache, parse, BUILD);
    const second = cachedPlanFromJson(bytes, cache, parse, BUILD);
    expect(parse.calls).toBe(1);
    expect(second).toEqual(first);
    expect(second).toEqual(planFromJson(JSON.parse(bytes.toString("utf8"))));
    expect(entries(cache)).toHaveLength(1);
  });

  it("GIVEN a kept plan WHEN the file is edited, or another build reads it THEN it is validated again, and an invalid edit gives its problems", () => {
    const cache = tempDir();
    const parse = counting();
    cachedPlanFromJson(planBytes(), cache, parse, BUILD);
    expect(cachedPlanFromJson(planBytes(), cache, parse, `${BUILD}4`).ok).toBe(true);
    expect(cachedPlanFromJson(planBytes(4), cache, parse, BUILD).ok).toBe(true);
    const broken = Buffer.from(planBytes().toString("utf8").replace('"command":', '"comand":'));
    const result = cachedPlanFromJson(broken, cache, parse, BUILD);
    expect(parse.calls).toBe(4);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/^plan JSON at stages\.0/);
    expect(entries(cache)).toHaveLength(3);
  });

  it("GIVEN a kept entry changed on disk (body edited, truncated, not ours) WHEN planned THEN it is not used, and is written again", () => {
    const cache = tempDir();
    const bytes = planBytes();
    cachedPlanFromJson(bytes, cache, counting(), BUILD);
    const file = path.join(cache, "plans", entries(cache)[0]!);
    const whole = readFileSync(file, "utf8");
    for (const changed of [
      whole.replace('"s1"', '"s9"'),
      whole.slice(0, whole.length - 10),
      whole.slice(0, whole.indexOf("\n")),
      "not json\n{}",
      whole.replace('"key":"', '"key":"0'),
    ]) {
      writeFileSync(file, changed);
      const parse = counting();
      const result = cachedPlanFromJson(bytes, cache, parse, BUILD);
      expect(parse.calls).toBe(1);
      expect(result.ok && result.plan.stages.map((s) => s.id)).toEqual(["s0", "s1", "s2"]);
      expect(readFileSync(file, "utf8")).toBe(whole);
    }
  });

  it("GIVEN no build to name (run from source) or no cache folder WHEN planned THEN nothing is kept", () => {
    const cache = tempDir();
    const parse = counting();
    cachedPlanFromJson(planBytes(), cache, parse);
    cachedPlanFromJson(planBytes(), cache, parse, null);
    cachedPlanFromJson(planBytes(), null, parse, BUILD);
    expect(parse.calls).toBe(3);
    expect(readdirSync(cache)).toEqual([]);
  });

  it("GIVEN kept plans WHEN gc --cache prunes THEN a dry run counts them and a real one removes them all", () => {
    const cache = tempDir();
    cachedPlanFromJson(planBytes(), cache, counting(), BUILD);
    cachedPlanFromJson(planBytes(4), cache, counting(), BUILD);
    expect(prunePlans(cache, { dryRun: true })).toBe(2);
    expect(entries(cache)).toHaveLength(2);
    expect(prunePlans(cache, { dryRun: false })).toBe(2);
    expect(readdirSync(cache)).toEqual([]);
    expect(prunePlans(cache, { dryRun: false })).toBe(0);
  });

  it("GIVEN a cache folder that cannot be written WHEN planned THEN the plan is still returned", () => {
    const cache = path.join(tempDir(), "cache");
    mkdirSync(cache);
    chmodSync(cache, 0o500);
    try {
      const result = cachedPlanFromJson(planBytes(), cache, counting(), BUILD);
      expect(result.ok).toBe(true);
    } finally {
      chmodSync(cache, 0o700);
    }
  });
});
