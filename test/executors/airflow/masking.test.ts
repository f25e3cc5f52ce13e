/**
 * One set of masking cases (test/fixtures/masking/cases.json) run by both maskers: the local
 * executor's (TypeScript) and the exported DAG's runtime (Python, run by python3 without Airflow).
 * Same secrets, same output, on both sides; and the DAG masks every secret the plan names.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { Masker, maskDeep } from "../../../src/executors/local/process/mask.js";
import { TASK_PY } from "../../../src/executors/airflow/runtime-task.js";
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

const PRELUDE = ["import json, os, sys, threading, time", "BaseOperator = object", TASK_PY].join("\n");

async function python(code: string, env: Record<string, string> = {}): Promise<unknown> {
  const r = await execa("python3", ["-c", `${PRELUDE}\n${code}`], { env, extendEnv: true });
  return JSON.parse(String(r.stdout));
}

describe("masking: the same cases on both sides", () => {
  it.each(CASES.stream)("GIVEN $name WHEN the local masker streams it THEN the output is masked", (c) => {
    const m = new Masker(c.secrets);
    const out = Buffer.concat([...c.chunks.map((x) => m.push(Buffer.from(x))), m.end()]);
    expect(out.toString()).toBe(c.expected);
  });

  it.each(CASES.deep)("GIVEN $name WHEN the local masker masks the record THEN no form of the secret is left", (c) => {
    expect(maskDeep(c.value, c.secrets)).toEqual(c.expected);
  });

  it("GIVEN every case WHEN the DAG runtime's masker runs them THEN its output equals the expected output", async () => {
    const code = String.raw`
cases = json.load(open(sys.argv[1], encoding="utf-8"))
out = {"stream": [], "deep": []}
for c in cases["stream"]:
    m = Masker(c["secrets"])
    out["stream"].append((b"".join(m.push(x.encode()) for x in c["chunks"]) + m.end()).decode())
for c in cases["deep"]:
    out["deep"].append(mask_deep(c["value"], c["secrets"]))
print(json.dumps(out))
`;
    const r = await execa("python3", [
      "-c",
      `${PRELUDE}\n${code}`,
      path.join(REPO, "test/fixtures/masking/cases.json"),
    ]);
    const got = JSON.parse(String(r.stdout)) as { stream: string[]; deep: unknown[] };
    expect(got.stream).toEqual(CASES.stream.map((c) => c.expected));
    expect(got.deep).toEqual(CASES.deep.map((c) => c.expected));
  });

  it("GIVEN a plan where only one stage declares a secret WHEN the DAG runtime lists what to mask THEN it holds that secret for every stage, as updraft run does", async () => {
    const plan = {
      stages: [
        { id: "a", secretEnv: ["API_TOKEN"] },
        { id: "b", secretEnv: [] },
      ],
    };
    const got = await python(`PLAN_JSON = ${JSON.stringify(JSON.stringify(plan))}\nprint(json.dumps(plan_secrets()))`, {
      API_TOKEN: "tok-123",
    });
    expect(got).toEqual(["tok-123"]);
  });
});
