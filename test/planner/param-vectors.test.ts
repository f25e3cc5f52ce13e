/**
 * The shared run-parameter vectors (param-vectors.json) through resolveParams: the Python twin that
 * the Airflow and SLURM runtimes use (python/tests/test_param_vectors.py) must give the same.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/planner/params.js";
import type { Param, Stage } from "../../src/plan/schema.js";

interface Vector {
  name: string;
  params: Param[];
  named?: Record<string, unknown>;
  label?: string;
  pairs?: string[];
  env?: Record<string, string>;
  stages?: Pick<Stage, "id" | "gpu">[];
  values?: Record<string, unknown>;
  sources?: Record<string, string>;
  problems?: [string, string, string][];
}

const { cases } = JSON.parse(readFileSync(new URL("./param-vectors.json", import.meta.url), "utf8")) as {
  cases: Vector[];
};

describe("run-parameter vectors", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    // GIVEN the vector's declarations and sources WHEN resolved
    const result = resolveParams(
      c.params,
      {
        cli: c.pairs ?? [],
        file: c.named ?? {},
        env: c.env ?? {},
        ...(c.label ? { fileLabel: c.label } : {}),
      },
      c.stages,
    );
    // THEN the values and their sources, or the problems in order, are the vector's
    if (c.problems) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.map((p) => [p.code, p.message, p.hint])).toEqual(c.problems);
    } else {
      expect(result).toEqual({ ok: true, values: c.values, sources: c.sources });
    }
  });
});
