import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasStack, runFile, updraft } from "../../cli/helpers.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "updraft-export-"));

describe("updraft export airflow", () => {
  it("GIVEN a pipeline file WHEN exported THEN it writes the DAG and pools files and prints the install commands", async () => {
    const out = tmp();
    const r = await updraft([
      "export",
      "airflow",
      "examples/hello/pipeline.ts",
      "--out",
      out,
      "--project-dir",
      "/srv/hello",
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["hello.pools.json", "hello.py"]);
    expect(r.stdout.replaceAll(out, "OUT")).toMatchInlineSnapshot(`
      "wrote OUT/hello.py
      wrote OUT/hello.pools.json

      install into Airflow (2.10.x or 3.x):
        cp OUT/hello.py "$(airflow config get-value core dags_folder)/"
        airflow pools import OUT/hello.pools.json
        airflow dags reserialize

      then trigger it: airflow dags trigger hello"
    `);
    expect(r.stderr).toBe("");
    const dag = readFileSync(path.join(out, "hello.py"), "utf8");
    expect(dag).toContain('"project_dir": "/srv/hello"');
    expect(dag).toContain(
      `# Do not edit: change the pipeline and export again (updraft export airflow examples/hello/pipeline.ts --out ${out} --project-dir /srv/hello).`,
    );
    expect(JSON.parse(readFileSync(path.join(out, "hello.pools.json"), "utf8"))).toMatchObject({
      gpu: { slots: 1, include_deferred: false },
    });
  });

  it("GIVEN no --project-dir WHEN exported THEN tasks run in the absolute directory of the export", async () => {
    const out = tmp();
    expect((await updraft(["export", "airflow", "examples/hello/pipeline.ts", "--out", out])).code).toBe(0);
    expect(readFileSync(path.join(out, "hello.py"), "utf8")).toContain(
      `"project_dir": ${JSON.stringify(process.cwd())}`,
    );
  });

  it("GIVEN differences from the plan WHEN exported THEN the report goes to stderr; with --strict THEN exit 2 and nothing is written", async () => {
    const out = tmp();
    const loose = await updraft(["export", "airflow", "test/executors/airflow/fixtures/everything.ts", "--out", out]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toContain("export report: 3 differences between the plan and Airflow");
    expect(loose.stderr).toContain("  - retry-multiplier [train]: backoff multiplier 3");
    const strictOut = path.join(tmp(), "dags");
    const strict = await updraft([
      "export",
      "airflow",
      "test/executors/airflow/fixtures/everything.ts",
      "--out",
      strictOut,
      "--strict",
    ]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(
      "error: --strict: Airflow cannot run everything exactly as planned (3 differences above); nothing was written",
    );
    expect(strict.stderr).toContain("hint: change the stages named above");
    expect(hasStack(strict.stderr)).toBe(false);
    expect(existsSync(strictOut)).toBe(false);
    expect(
      (await updraft(["export", "airflow", "examples/hello/pipeline.ts", "--out", strictOut, "--strict"])).code,
    ).toBe(0);
    // A GPU stage with a timeout: the operator starts the timeout after the lease, so nothing differs.
    const gpu = await updraft(["export", "airflow", "test/airflow/pipelines/gpu.ts", "--out", tmp(), "--strict"]);
    expect([gpu.code, gpu.stderr]).toEqual([0, ""]);
  });

  it("GIVEN mistakes WHEN exporting THEN a sentence and a hint, exit 2, no stack trace", async () => {
    const target = await updraft(["export", "dagster", "examples/hello/pipeline.ts"]);
    expect(target.code).toBe(2);
    expect(target.stderr).toMatchInlineSnapshot(`
      "error: unknown export target "dagster"
      hint: the targets are airflow and slurm: updraft export airflow PIPELINE --out dags/"
    `);
    const pool = await updraft([
      "export",
      "airflow",
      "examples/hello/pipeline.ts",
      "--out",
      tmp(),
      "--pool",
      "my pool",
    ]);
    expect(pool.code).toBe(2);
    expect(pool.stderr).toContain(`error: cannot export to Airflow: pool name "my pool" is not valid`);
    expect(hasStack(pool.stderr + target.stderr)).toBe(false);
    const slots = await updraft([
      "export",
      "airflow",
      "examples/hello/pipeline.ts",
      "--out",
      tmp(),
      "--pool-slots",
      "two",
    ]);
    expect([slots.code, slots.stderr]).toEqual([
      2,
      `error: --pool-slots "two" is not a whole number\nhint: give the GPUs of every host that runs GPU stages, e.g. --pool-slots 3`,
    ]);
  });

  it("GIVEN --pool-slots WHEN exporting THEN the pools file has those slots and the re-export command keeps the flag", async () => {
    const out = tmp();
    const r = await updraft(["export", "airflow", "examples/hello/pipeline.ts", "--out", out, "--pool-slots", "3"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, "hello.pools.json"), "utf8")).gpu.slots).toBe(3);
    expect(readFileSync(path.join(out, "hello.py"), "utf8")).toContain("--pool-slots 3");
  });

  it("GIVEN a pipeline file run as the program WHEN told to export THEN it exports itself", async () => {
    const out = tmp();
    const r = await runFile("examples/hello/pipeline.ts", ["export", "airflow", "--out", out, "--pool", "gpu0"]);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, "hello.py"), "utf8")).toContain(
      `(tsx examples/hello/pipeline.ts export airflow --out ${out} --pool gpu0)`,
    );
    expect(Object.keys(JSON.parse(readFileSync(path.join(out, "hello.pools.json"), "utf8")))).toEqual(["gpu0"]);
  });
});
