/**
 * Run parameters through the real CLI: `plan` shows a required parameter without a value and where
 * each value comes from; `run` still requires it and records the sources in the manifest.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { updraft } from "./helpers.js";

const FILE = "test/airflow/pipelines/conf.ts";

describe("run parameters in the CLI", () => {
  it("GIVEN a required parameter without a value WHEN planned THEN the dry-run shows it as required; run refuses", async () => {
    const shown = await updraft(["plan", FILE], { UF_TEAM_RUN_NAME: "" });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('  data_dir = "data/processed/"  (path, default)');
    const none = await updraft(["plan", FILE]);
    expect(none.code).toBe(0);
    expect(none.stdout.split("\n").filter((l) => l.startsWith("  ") && l.includes(" = "))).toEqual([
      "  run_name = <run_name: required>  (string)",
      '  data_dir = "data/processed/<run_name: required>"  (path, default)',
      "  n = 3  (int, default)",
      "  ratio = 0.5  (number, default)",
      "  flag = false  (bool, default)",
      '  mode = "fast"  (enum, default)',
    ]);
    const run = await updraft(["run", FILE, "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '✖ parameter "run_name" is required and has no value [missing-param]\n  hint: give it with --param run_name=VALUE or UPDRAFT_PARAM_RUN_NAME or UF_TEAM_RUN_NAME',
    );
  }, 600_000);

  it("GIVEN values from the environment and text WHEN run THEN the manifest records each value's source", async () => {
    const runs = mkdtempSync(path.join(os.tmpdir(), "updraft-params-"));
    const cwd = mkdtempSync(path.join(os.tmpdir(), "updraft-params-cwd-"));
    const plan = await updraft(["plan", FILE, "--param", "n=12", "--param", "flag=YES"], { UF_TEAM_RUN_NAME: "team" });
    expect(plan.stdout).toContain('  run_name = "team"  (string, from UF_TEAM_RUN_NAME)');
    expect(plan.stdout).toContain("  n = 12  (int, from --param)");
    expect(plan.stdout).toContain("  flag = true  (bool, from --param)");
    const r = await updraft(["run", FILE, "--runs-dir", runs, "--only", "first", "--param", `data_dir=${cwd}`], {
      UF_TEAM_RUN_NAME: "team",
      UPDRAFT_PARAM_RATIO: "0.25",
    });
    expect(r.code).toBe(0);
    const [id] = readdirSync(runs).filter((n) => !n.startsWith("."));
    const manifest = JSON.parse(readFileSync(path.join(runs, id!, "manifest.json"), "utf8")) as {
      params: Record<string, unknown>;
      paramSources: Record<string, string>;
    };
    expect(manifest.params).toMatchObject({ run_name: "team", ratio: 0.25, data_dir: cwd });
    expect(manifest.paramSources).toEqual({
      run_name: "UF_TEAM_RUN_NAME",
      data_dir: "--param",
      n: "default",
      ratio: "UPDRAFT_PARAM_RATIO",
      flag: "default",
      mode: "default",
    });
  }, 600_000);
});
