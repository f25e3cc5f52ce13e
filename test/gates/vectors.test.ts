/**
 * The TypeScript evaluator against the shared vectors, through runGate on real files.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runGate } from "../../src/gates/run-gate.js";
import { GateResultSchema } from "../../src/records/manifest.js";
import { comparable, loadVectors, writeVectorFiles } from "./vector-files.js";

const vectors = loadVectors();
const root = mkdtempSync(path.join(os.tmpdir(), "updraft-gates-ts-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("runGate on the shared vectors", () => {
  it.each(vectors.map((v, i) => [v.name, v, i] as const))("%s", async (_name, vector, i) => {
    // GIVEN the case's files in a fresh directory
    const dir = path.join(root, String(i));
    writeVectorFiles(vector, dir);

    // WHEN the gate is evaluated there
    const result = await runGate(`gate_${i}`, vector.gate, vector.params ?? {}, dir);

    // THEN verdict, reasons and actual values are the expected ones, in the manifest's shape
    expect(comparable(result)).toEqual(vector.expected);
    expect(GateResultSchema.parse(result)).toEqual(result);
    expect(result.gate).toBe(`gate_${i}`);
    expect(result.severity).toBe(vector.gate.severity);
    expect(result.rules.map((r) => r.rule)).toEqual(vector.gate.rules);
    expect(result.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("covers every rule kind passing and failing", () => {
    // GIVEN the vectors WHEN their outcomes are grouped by rule kind THEN each kind has both
    const seen = new Set<string>();
    for (const v of vectors) v.gate.rules.forEach((rule, k) => seen.add(`${rule.op}:${v.expected.rules[k]!.passed}`));
    const ops = [
      "<",
      "<=",
      ">",
      ">=",
      "==",
      "!=",
      "between",
      "in",
      "present",
      "absent",
      "file-exists",
      "file-not-empty",
      "sha256",
      "sha256-listed",
      "sha256-metric",
      "any",
      "all",
    ];
    expect(ops.flatMap((op) => [`${op}:true`, `${op}:false`]).filter((k) => !seen.has(k))).toEqual([]);
  });
});
