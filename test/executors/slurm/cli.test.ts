import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasStack, updraft } from "../../cli/helpers.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "updraft-export-slurm-"));

describe("updraft export slurm", () => {
  it("GIVEN a pipeline with retries WHEN exported THEN it writes submit.sh executable, reports the difference, and --strict refuses", async () => {
    const out = tmp();
    const args = ["export", "slurm", "test/airflow/pipelines/retry.ts", "--out", out, "--project-dir", "/srv/p"];
    const r = await updraft(args);
    expect(r.code).toBe(0);
    expect(statSync(path.join(out, "submit.sh")).mode & 0o777).toBe(0o755);
    expect(r.stdout).toContain(`bash ${path.join(out, "submit.sh")} [--param name=value]...`);
    expect(r.stderr).toContain("[retry-delay-late] flaky:");
    const strict = await updraft([...args.slice(0, 3), "--out", tmp(), "--strict"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("--strict: Slurm cannot run uf_retry exactly as planned; nothing was written");
    expect(hasStack(strict.stderr)).toBe(false);
  });

  it("GIVEN a bad license name WHEN exported THEN exit 2 with a hint, no stack trace", async () => {
    const r = await updraft(["export", "slurm", "examples/hello/pipeline.ts", "--out", tmp(), "--gpu-license", "a b"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot export to Slurm: license name "a b" is not valid');
    expect(hasStack(r.stderr)).toBe(false);
  });

  it("GIVEN a run that was not submitted to Slurm WHEN slurm status asks for it THEN exit 2 says so", async () => {
    const runs = tmp();
    const dir = path.join(runs, "airflow-x");
    mkdirSync(dir);
    const run = { version: 1, executor: "airflow", runId: "airflow-x", airflowRunId: "x", pipelineId: "p" };
    writeFileSync(
      path.join(dir, "run.json"),
      JSON.stringify({ ...run, planHash: "h", params: {}, host: "h", user: "u", start: "2025-01-01T00:00:00.000Z" }),
    );
    const r = await updraft(["slurm", "status", "airflow-x", "--runs-dir", runs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("run airflow-x was not submitted to Slurm (its executor is airflow)");
  });
});
