/**
 * One set of masking cases (test/fixtures/masking/cases.json) run by both maskers: the local
 * executor's (TypeScript) here, the exported DAG's and the SLURM jobs' (python/updraft_airflow/masking.py)
 * in python/tests/test_masking.py. Same secrets, same output, on every side.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Masker, maskDeep } from "../../../src/executors/local/process/mask.js";
import { REPO } from "../local/helpers.js";

interface StreamCase {
  name: string;
  secrets: string[];
  chunks: string[];
  expected: string;
}
interface DeepCase {
  name: string;
  secrets: string[];
  value: unknown;
  expected: unknown;
}
const CASES = JSON.parse(readFileSync(path.join(REPO, "test/fixtures/masking/cases.json"), "utf8")) as {
  stream: StreamCase[];
  deep: DeepCase[];
};

describe("masking: the same cases on both sides", () => {
  it.each(CASES.stream)("GIVEN $name WHEN the local masker streams it THEN the output is masked", (c) => {
    const m = new Masker(c.secrets);
    const out = Buffer.concat([...c.chunks.map((x) => m.push(Buffer.from(x))), m.end()]);
    expect(out.toString()).toBe(c.expected);
  });

  it.each(CASES.deep)("GIVEN $name WHEN the local masker masks the record THEN no form of the secret is left", (c) => {
    expect(maskDeep(c.value, c.secrets)).toEqual(c.expected);
  });
});
