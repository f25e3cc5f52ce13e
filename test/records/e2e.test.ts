/**
 * A real `updraft run` of a tiny pipeline, read back by history, show, advise and report.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir, updraftIn } from "./helpers.js";

// The first attempt of "make" fails (a retry follows); the gate judges the loss given as a parameter.
const PIPELINE = `
import { pipeline } from ${JSON.stringify(path.join(ROOT, "src/dsl/pipeline.ts"))};
import { param } from ${JSON.stringify(path.join(ROOT, "src/dsl/params.ts"))};
import { sh } from ${JSON.stringify(path.join(ROOT, "src/dsl/template.ts"))};

export default pipeline("tiny", { params: { loss: param.number({ default: 0.5 }) }, defaults: { retry: { retries: 1, delay: "1s" } } }, ({ stage, qualityGate, params: p }) => {
  const make = stage("make", {
    command: sh\`mkdir -p out && if [ ! -f out/.tried ]; then touch out/.tried; exit 3; fi; printf '{"loss": %s}' \${p.loss} > out/metrics.json\`,
    outputs: ["out/metrics.json"],
  });
  const check = qualityGate("check", { after: [make], metrics: "out/metrics.json", rules: (r) => [r.metric("loss").lte(1)] });
  stage("use", { command: ["cat", "out/metrics.json"], inputs: ["out/metrics.json"], dependsOn: [check] });
});
`;

interface Summary {
  id: string;
  status: string;
  trigger: string;
  failedStage: string | null;
  pipeline: string;
}

describe("history of real runs (local executor)", () => {
  it("reads back a failed run and its resume: history, show, advise and report", { timeout: 180_000 }, async () => {
    // GIVEN a project with a tiny pipeline
    const cwd = tempDir("updraft-history-e2e-");
    writeFileSync(path.join(cwd, "package.json"), '{"type":"module"}');
    writeFileSync(path.join(cwd, "pipeline.ts"), PIPELINE);
    // WHEN it runs with a loss the gate rejects, then is resumed with a good one
    const failed = await updraftIn(cwd, ["run", "pipeline.ts", "--param", "loss=2", "--quiet"]);
    expect(failed.code, failed.stderr).toBe(1);
    const resumed = await updraftIn(cwd, ["run", "pipeline.ts", "--resume", "--param", "loss=0.25", "--quiet"]);
    expect(resumed.code, resumed.stderr).toBe(0);

    // THEN history lists both, newest first, with the failed stage named
    const history = JSON.parse((await updraftIn(cwd, ["history", "--json"])).stdout) as Summary[];
    expect(history.map((r) => [r.pipeline, r.status, r.trigger, r.failedStage])).toEqual([
      ["tiny", "success", "resume", null],
      ["tiny", "failed", "manual", "check"],
    ]);
    const [second, first] = history as [Summary, Summary];

    // AND show (by a unique prefix) has the retried attempt, the gate verdict, the logs and the lineage
    const show = await updraftIn(cwd, ["show", first.id.slice(0, -1)]);
    expect(show.code).toBe(0);
    const logDir = path.join(".updraft", "runs", first.id, "logs");
    expect(show.stdout).toContain(`#1  failed  exit 3`);
    expect(show.stdout).toContain(`retry in 1.0s  log ${path.join(logDir, "make.1.log")}`);
    expect(show.stdout).toContain(`#2  success  exit 0`);
    expect(show.stdout).toMatch(/gate FAIL \(block\): .*loss.*\n.*fail loss must be at most 1: actual 2/);
    expect(show.stdout).toMatch(/ {2}use {2}task {2}blocked/);
    expect(existsSync(path.join(cwd, logDir, "make.1.log"))).toBe(true);

    // AND the resumed run traces the input of "use" to "make", with the hash recorded for the file
    expect((await updraftIn(cwd, ["show", second.id])).stdout).toContain("use: out/metrics.json [make] -> (none)");
    const json = JSON.parse((await updraftIn(cwd, ["show", second.id, "--json"])).stdout) as {
      stages: { id: string; outputs: { path: string; sha256: string }[] }[];
    };
    const sha = createHash("sha256")
      .update(readFileSync(path.join(cwd, "out", "metrics.json")))
      .digest("hex");
    expect(json.stages.find((s) => s.id === "make")!.outputs).toEqual([
      expect.objectContaining({ path: "out/metrics.json", sha256: sha }),
    ]);

    // AND advise counts two runs, one resume, and no incident (a gate FAIL is not one)
    const advice = JSON.parse((await updraftIn(cwd, ["advise", "--json"])).stdout) as {
      verdict: string;
      runs: number;
      signals: { key: string; shown: string }[];
      incidents: unknown[];
    };
    expect([advice.verdict, advice.runs, advice.incidents]).toEqual(["stay lite", 2, []]);
    expect(advice.signals.find((s) => s.key === "manual-recovery")!.shown).toBe("1 of 2 (too few runs to judge)");

    // AND the report draws the three stages and links logs that exist
    const report = await updraftIn(cwd, ["report", first.id, "--out", "reports/first.html"]);
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(path.join(cwd, "reports", "first.html"), "utf8");
    expect(html.match(/<g class="node /g)).toHaveLength(3);
    expect(html.match(/<path class="edge"/g)).toHaveLength(2);
    const links = [...html.matchAll(/<a class="log" href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.length).toBe(2);
    for (const href of links) expect(existsSync(path.join(cwd, "reports", decodeURIComponent(href)))).toBe(true);
  });
});
