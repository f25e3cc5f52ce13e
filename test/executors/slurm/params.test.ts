import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toSlurm } from "../../../src/executors/slurm/export.js";
import { resolveParams } from "../../../src/planner/params.js";
import { params } from "../../airflow/pipelines/params.js";
import { planOf } from "../../plan-of.js";

const p = planOf(params);
const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-slurm-params-"));
for (const f of toSlurm(p, { projectDir: dir }).files) {
  mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
  writeFileSync(path.join(dir, f.name), f.text);
}

/** The runtime's `open`, as submit.sh calls it: its exit code, stderr and the run's recorded params. */
function open(pairs: string[], env: Record<string, string> = {}) {
  const runs = mkdtempSync(path.join(os.tmpdir(), "updraft-slurm-runs-"));
  const args = [path.join(dir, "updraft_slurm.py"), "open", ...pairs.flatMap((x) => ["--param", x])];
  const out = spawnSync("python3", args, { env: { PATH: process.env.PATH, UPDRAFT_RUNS_DIR: runs, ...env } });
  const made = readdirSync(runs);
  const recorded = made.length === 1 ? JSON.parse(readFileSync(path.join(runs, made[0]!, "run.json"), "utf8")) : null;
  return { status: out.status, stderr: out.stderr.toString(), params: recorded?.params ?? null };
}

/** What `updraft run` prints for the same input. */
function expected(pairs: string[], env: Record<string, string> = {}): string {
  const r = resolveParams(p.params, { cli: pairs, env });
  if (r.ok) return "";
  const lines = r.problems.map((x) => `\u2716 ${x.message} [${x.code}]\n  hint: ${x.hint}\n`);
  return `${lines.join("")}error: invalid run parameters for ${p.pipeline.id}\n`;
}

describe("submit.sh parameters (the Python runtime's open)", () => {
  const bad: [string[], Record<string, string>?][] = [
    [["n=abc", "zz=1", "flag"]],
    [["n=1.5", "ratio=x", "flag=maybe", "mode=slow"]],
    [["n=", "ratio=1e400"]],
    [["n=1_000", "ratio=nan"]],
    [["n=0x10", "ratio=0b11"]],
    [["n=1e3", "ratio=1e"], { UPDRAFT_PARAM_N: "0x10" }],
    [[], { UPDRAFT_PARAM_N: "seven" }],
  ];
  it.each(bad)("GIVEN %j WHEN submitted THEN the same problems as updraft run, exit 2", (pairs, env) => {
    const got = open(pairs, env);
    expect(got.status).toBe(2);
    expect(got.stderr).toBe(expected(pairs, env));
    expect(got.params).toBeNull();
  });

  const good: [string[], Record<string, string>?][] = [
    [[]],
    [['who=Ada O\'Neil "{{ x }}" $HOME', "n=16", "ratio=.25", "flag=YES", "mode=full"]],
    [["n=-7", "ratio=-0", "flag=0"], { UPDRAFT_PARAM_WHO: "env ✓" }],
  ];
  it.each(good)("GIVEN %j WHEN submitted THEN the run records the values updraft run resolves", (pairs, env) => {
    const got = open(pairs, env);
    expect(got.stderr).toBe("");
    expect(got.status).toBe(0);
    const r = resolveParams(p.params, { cli: pairs, env: env ?? {} });
    // As JSON, as run.json holds them (JSON has no -0).
    expect(r.ok && got.params).toEqual(r.ok ? JSON.parse(JSON.stringify(r.values)) : null);
  });
});
