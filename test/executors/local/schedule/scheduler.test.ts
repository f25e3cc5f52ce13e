/**
 * The DAG loop: parallel where the DAG allows, at most `concurrency` at once, a failure marks its
 * dependents upstream_failed while independent branches finish, --fail-fast stops everything.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { counter, planOf, run, stageOf, tempDir } from "../helpers.js";

/** Start and end times (ms) that stages append to a shared file. */
function intervals(file: string): [number, number][] {
  const ev = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(" "));
  const starts = new Map(ev.filter((e) => e[0] === "start").map((e) => [e[1]!, Number(e[2])]));
  return ev.filter((e) => e[0] === "end").map((e) => [starts.get(e[1]!)!, Number(e[2])]);
}

function maxOverlap(spans: [number, number][]): number {
  const points = spans
    .flatMap(
      ([a, b]) =>
        [
          [a, 1],
          [b, -1],
        ] as const,
    )
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of points) most = Math.max(most, (now += d));
  return most;
}

const timed = sh`echo "start $UPDRAFT_STAGE $(date +%s%3N)" >> ../times; sleep 0.3; echo "end $UPDRAFT_STAGE $(date +%s%3N)" >> ../times`;

describe("scheduling", () => {
  it("GIVEN six independent stages and concurrency 2 WHEN they run THEN never more than two run at once, and two do", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("wide", { defaults: { cwd: "w" } }, ({ stage }) => {
        for (let i = 0; i < 6; i++) stage(`s${i}`, { command: timed });
      }),
    );
    mkdirSync(path.join(dir, "w"));
    const m = await run(plan, dir, {}, { concurrency: 2 });
    expect(m.status).toBe("success");
    expect(maxOverlap(intervals(path.join(dir, "times")))).toBe(2);
  });

  it("GIVEN forty independent stages WHEN they wait for slots THEN no process warning is emitted", async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    const plan = planOf(
      pipeline("many", {}, ({ stage }) => {
        for (let i = 0; i < 40; i++) stage(`s${i}`, { command: ["true"] });
      }),
    );
    const m = await run(plan, dir, {}, { concurrency: 2 });
    await new Promise((r) => setImmediate(r));
    process.off("warning", onWarning);
    expect(m.status).toBe("success");
    expect(warnings).toEqual([]);
  });

  it("GIVEN two branches where one fails WHEN the run goes on THEN the other branch finishes and the failed one's dependents are upstream_failed", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("branches", {}, ({ stage }) => {
        const bad = stage("bad", { command: ["false"] });
        const mid = stage("mid", { command: sh`echo x >> mid`, dependsOn: [bad] });
        stage("end", { command: sh`echo x >> end`, dependsOn: [mid] });
        const good = stage("good", { command: sh`sleep 0.3; echo x >> good` });
        stage("good2", { command: sh`echo x >> good2`, dependsOn: [good] });
      }),
    );
    const m = await run(plan, dir);
    expect(Object.fromEntries(m.stages.map((s) => [s.id, s.status]))).toEqual({
      bad: "failed",
      mid: "upstream_failed",
      end: "upstream_failed",
      good: "success",
      good2: "success",
    });
    expect(stageOf(m, "end").reason).toBe("bad failed");
    expect([counter(path.join(dir, "mid")), counter(path.join(dir, "end")), counter(path.join(dir, "good2"))]).toEqual([
      0, 0, 1,
    ]);
    expect(m.status).toBe("failed");
  });

  it("GIVEN --fail-fast WHEN a stage fails THEN running stages are cancelled and nothing else starts", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("fast", {}, ({ stage }) => {
        stage("bad", { command: sh`sleep 0.2; exit 1` });
        const long = stage("long", { command: sh`sleep 30` });
        stage("later", { command: sh`echo x >> later`, dependsOn: [long] });
      }),
    );
    const started = Date.now();
    const m = await run(plan, dir, {}, { failFast: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stageOf(m, "bad").status).toBe("failed");
    expect(stageOf(m, "long")).toMatchObject({ status: "cancelled" });
    expect(stageOf(m, "long").attempts[0]?.outcome).toBe("cancelled");
    expect(stageOf(m, "later")).toMatchObject({ status: "cancelled", reason: "not started: long was cancelled" });
    expect(m.status).toBe("failed");
    expect(counter(path.join(dir, "later"))).toBe(0);
  });

  it("GIVEN a diamond WHEN it runs THEN each stage starts only after all of its dependencies succeeded", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("diamond", {}, ({ stage }) => {
        const a = stage("a", { command: sh`sleep 0.1; echo a >> order` });
        const b = stage("b", { command: sh`sleep 0.3; echo b >> order`, dependsOn: [a] });
        const c = stage("c", { command: sh`echo c >> order`, dependsOn: [a] });
        stage("d", { command: sh`echo d >> order`, dependsOn: [b, c] });
      }),
    );
    const m = await run(plan, dir);
    expect(m.status).toBe("success");
    const order = readFileSync(path.join(dir, "order"), "utf8").split("\n").filter(Boolean);
    expect(order[0]).toBe("a");
    expect(order.slice(1, 3).sort()).toEqual(["b", "c"]);
    expect(order[3]).toBe("d");
  });
});
