import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { SlurmExportError, toSlurm } from "../../../src/executors/slurm/export.js";
import { param, pipeline, sh, type Plan } from "../../../src/index.js";
import { hello } from "../../../examples/hello/pipeline.js";
import { everything } from "../airflow/fixtures/everything.js";
import { planOf } from "../../plan-of.js";

const OPTIONS = { projectDir: "/srv/project", reexport: "updraft export slurm PIPELINE --out slurm/" };

function file(out: ReturnType<typeof toSlurm>, name: string): string {
  const found = out.files.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found.text;
}

describe("toSlurm", () => {
  it("GIVEN a GPU count from a parameter WHEN exported THEN submit.sh asks Slurm for the count the run resolved", () => {
    const counted = pipeline("counted", { params: { gpus: param.int({ default: 1 }) } }, ({ stage, params: p }) => {
      stage("train", { command: sh`python train.py`, gpu: p.gpus });
    });
    const text = file(toSlurm(planOf(counted), { ...OPTIONS, gpuLicense: "gpu_pool" }), "submit.sh");
    expect(text).toContain(`counts=$("\${UPDRAFT_PYTHON:-python3}" "$here/updraft_slurm.py" gpus "$run") || exit 2`);
    expect(text).toContain(`--gres=gpu:"\${gpus[train]}" --licenses=gpu_pool:"\${gpus[train]}" -- attempt`);
    execFileSync("bash", ["-n"], { input: text });
  });

  it("GIVEN a pipeline using every feature WHEN exported THEN submit.sh and the spec match their golden files and bash parses the script", async () => {
    const out = toSlurm(planOf(everything), { ...OPTIONS, gpuLicense: "gpu_pool", runsDir: "/var/updraft/runs" });
    await expect(file(out, "submit.sh")).toMatchFileSnapshot("__golden__/everything.submit.sh");
    await expect(file(out, "updraft-slurm.json")).toMatchFileSnapshot("__golden__/everything.slurm.json");
    execFileSync("bash", ["-n"], { input: file(out, "submit.sh") });
  });

  it("GIVEN the same plan twice, or a JSON round trip of it, WHEN exported THEN the bytes are identical", () => {
    const p = planOf(everything);
    const a = toSlurm(p, OPTIONS);
    expect(toSlurm(JSON.parse(JSON.stringify(p)) as Plan, OPTIONS).files).toEqual(a.files);
    expect(toSlurm(planOf(everything), OPTIONS).files).toEqual(a.files);
  });

  it("GIVEN any plan WHEN exported THEN the runtime files come along, scripts executable", () => {
    const out = toSlurm(planOf(hello), OPTIONS);
    expect(out.files.map((f) => [f.name, f.executable])).toEqual([
      ["submit.sh", true],
      ["updraft-slurm.json", false],
      ["job.sh", true],
      ["updraft_slurm.py", false],
      ["updraft_slurm_attempt.py", false],
      ["updraft_mask.py", false],
      ["updraft_outputs.py", false],
      ["updraft_paths.py", false],
      ["updraft_params.py", false],
      ["updraft_gates/__init__.py", false],
      ["updraft_gates/combine.py", false],
      ["updraft_gates/evaluate.py", false],
      ["updraft_gates/files.py", false],
      ["updraft_gates/metrics.py", false],
      ["updraft_gates/schema.py", false],
      ["updraft_gates/values.py", false],
    ]);
  });

  it("GIVEN retries, GPUs, timeouts and two active runs WHEN exported THEN the report names each difference", () => {
    const out = toSlurm(planOf(everything), OPTIONS);
    expect(out.report.map((i) => [i.code, i.stages.join(",")])).toMatchInlineSnapshot(`
      [
        [
          "retry-delay-late",
          "prepare-data,train,baseline",
        ],
        [
          "timeout-outer-bound",
          "train",
        ],
        [
          "gpu-from-gres",
          "train,baseline",
        ],
        [
          "max-active-runs",
          "",
        ],
      ]
    `);
  });

  it("GIVEN a relative project directory or a bad license name WHEN exported THEN a SlurmExportError says so", () => {
    const p = planOf(hello);
    expect(() => toSlurm(p, { projectDir: "rel" })).toThrowError(SlurmExportError);
    expect(() => toSlurm(p, { projectDir: "rel" })).toThrowErrorMatchingInlineSnapshot(
      `[SlurmExportError: project directory "rel" is not absolute]`,
    );
    expect(() => toSlurm(p, { projectDir: "/p", gpuLicense: "a b" })).toThrowErrorMatchingInlineSnapshot(
      `[SlurmExportError: license name "a b" is not valid]`,
    );
  });
});
