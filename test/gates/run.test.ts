/**
 * Quality gates in real `updraft run`s of a pipeline file whose stages are Python scripts: the
 * metrics come from `json.dump` (NaN included) and the checksums from coreutils `sha256sum`.
 * A failing blocking gate stops what depends on it and the manifest says why; a warn gate records
 * its FAIL and blocks nothing; a branch independent of the gate finishes.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listRunIds } from "../../src/executors/local/run-dir/run-dir.js";
import { GateResultSchema, type Manifest } from "../../src/records/manifest.js";
import { cli, cliEnv, manifestOnDisk, tempDir } from "../executors/local/helpers.js";

const PIPELINE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/release-gates.ts");

async function runMode(mode: string) {
  const dir = tempDir();
  const { code, output } = await cli(["run", PIPELINE, "-p", `mode=${mode}`], dir, cliEnv(dir));
  const runId = listRunIds(path.join(dir, "runs"))[0]!;
  const manifest = manifestOnDisk(dir, runId);
  const stages = Object.fromEntries(manifest.stages.map((s) => [s.id, s]));
  const gateFile = (id: string) =>
    GateResultSchema.parse(JSON.parse(readFileSync(path.join(dir, "runs", runId, "gates", `${id}.json`), "utf8")));
  return { dir, code, output, manifest, stages, gateFile };
}

const statuses = (m: Manifest) => Object.fromEntries(m.stages.map((s) => [s.id, s.status]));
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("quality gates in updraft run", () => {
  it("GIVEN good data and good evals WHEN the pipeline runs THEN everything is released, and the warn gate's FAIL is only recorded", async () => {
    const { code, manifest, stages, dir } = await runMode("ok");
    expect(code).toBe(0);
    expect(manifest.status).toBe("success");
    expect(stages.data_gate!.gate).toMatchObject({ verdict: "PASS", reason: "all 2 rules passed" });
    expect(stages.release_gate!.gate!.rules.map((r) => r.reason)).toEqual([
      'domain_eval.verdict is "pass", expected "pass"',
      "retention.score is 0.97, expected at least 0.9",
    ]);
    expect(stages.dupes_gate).toMatchObject({
      status: "success",
      gate: { verdict: "FAIL", severity: "warn", reason: "dupes is 3, expected at most 0" },
    });
    expect(existsSync(path.join(dir, "release/model.pth"))).toBe(true);
  });

  it("GIVEN too few rows WHEN the pipeline runs THEN training never starts, the manifest says why, and the independent branches finish", async () => {
    const { code, output, manifest, stages, dir, gateFile } = await runMode("few_rows");
    expect(code).toBe(1);
    expect(statuses(manifest)).toEqual({
      prep: "success",
      docs: "success",
      data_gate: "failed",
      dupes_gate: "success",
      train: "blocked",
      dedupe_report: "success",
      release_gate: "blocked",
      release: "blocked",
    });
    expect(stages.data_gate!.gate).toMatchObject({
      verdict: "FAIL",
      severity: "block",
      reason: "rows is 80, expected at least 100",
    });
    expect(stages.data_gate!.reason).toBe("FAIL (block): rows is 80, expected at least 100");
    expect(stages.train!.reason).toBe("gate data_gate failed");
    expect(gateFile("data_gate")).toEqual(stages.data_gate!.gate);
    expect(output).toContain("data_gate failed: FAIL (block): rows is 80, expected at least 100");
    expect(existsSync(path.join(dir, "out/model.pth"))).toBe(false);
    expect(readFileSync(path.join(dir, "docs.txt"), "utf8")).toBe("docs\n");
    expect(readFileSync(path.join(dir, "dedupe.txt"), "utf8")).toBe("dupes reviewed\n");
  });

  it("GIVEN data changed after its checksum WHEN the pipeline runs THEN the data gate names both hashes and training never starts", async () => {
    const { code, stages, dir } = await runMode("corrupt");
    expect(code).toBe(1);
    const listed = readFileSync(path.join(dir, "data/SHA256SUMS"), "utf8").slice(0, 64);
    const actual = sha256(path.join(dir, "data/train.jsonl"));
    expect(actual).not.toBe(listed);
    expect(stages.data_gate!.gate!.reason).toBe(
      `sha256 of "data/train.jsonl" is ${actual}, expected ${listed} as listed in "data/SHA256SUMS"`,
    );
    expect(stages.train!.status).toBe("blocked");
  });

  it("GIVEN a retention eval that came out NaN WHEN the pipeline runs THEN the release gate fails on it and nothing is released", async () => {
    const { code, stages, dir, gateFile } = await runMode("nan_eval");
    expect(code).toBe(1);
    expect(readFileSync(path.join(dir, "out/eval.json"), "utf8")).toContain('"score": NaN');
    expect(stages.train!.status).toBe("success");
    const gate = gateFile("release_gate");
    expect(gate).toMatchObject({
      verdict: "FAIL",
      reason: "retention.score is NaN, expected a finite number at least 0.9",
    });
    expect(gate.rules.map((r) => [r.passed, r.actual])).toEqual([
      [true, "pass"],
      [false, "NaN"],
    ]);
    expect(stages.release).toMatchObject({ status: "blocked", reason: "gate release_gate failed" });
    expect(existsSync(path.join(dir, "release"))).toBe(false);
  });
});
