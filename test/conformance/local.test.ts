import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

// The cross-executor conformance suite (test/airflow/suite.ts) run against `updraft run` alone, so that
// a parity break shows in `npm test`; `npm run test:all` runs the same cases in real Airflow.
describe("conformance suite, local executor", () => {
  it("GIVEN every conformance case WHEN run with updraft run THEN each expectation the exports share holds", async () => {
    const run = await execa("bash", ["test/airflow/run.sh"], {
      cwd: ROOT,
      env: { AIRFLOW_VERSIONS: "" },
      reject: false,
      all: true,
    });
    const failures = (run.all ?? "").split("\n").filter((line) => /^\s*FAIL\b/.test(line));
    expect(failures).toEqual([]);
    expect(run.all).toMatch(/^airflow: [1-9]\d* passed, 0 failed$/m);
    expect(run.exitCode).toBe(0);
  }, 900_000);
});
