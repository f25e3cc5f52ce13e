/**
 * Quality gates: a blocking gate that fails stops the release (Airflow: upstream_failed), a
 * warning gate that fails lets it through. The blocking gate also writes its verdict where a team's
 * runbook reads it (`runs/<run_name>/gates/quality.json`), besides the run's own record.
 */
import { param, pipeline, sh, t } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

export const gate = pipeline(
  "uf_gate",
  { description: "A failing eval gate blocks the release.", params: { run_name: param.string({ default: "r1" }) } },
  ({ stage, qualityGate, params: p }) => {
    const evaluate = stage("evaluate", {
      command: sh`mkdir -p out && echo '{"accuracy": 0.5, "loss": 1.25}' > out/metrics.json`,
      outputs: ["out/metrics.json"],
    });
    const soft = qualityGate("loss_warning", {
      after: [evaluate],
      metrics: "out/metrics.json",
      severity: "warn",
      rules: (r) => [r.metric("loss").lt(1)],
    });
    const quality = qualityGate("quality", {
      after: [evaluate],
      metrics: "out/metrics.json",
      rules: (r) => [r.file("out/metrics.json").exists(), r.metric("accuracy").gte(0.9)],
      record: t`runs/${p.run_name}/gates/quality.json`,
    });
    const release = stage("release", { command: sh`echo released > out/released.txt`, dependsOn: [quality, soft] });
    stage("announce", { command: ["true"], dependsOn: [release] });
    stage("report", { command: sh`echo reported > out/report.txt`, dependsOn: [soft] });
  },
);
export default gate;

export const fixture: Fixture = {
  cases: [
    {
      name: "gate",
      params: { run_name: "team run 7" },
      stages: {
        evaluate: { ...ok, outputs: ["out/metrics.json"] },
        loss_warning: { status: "success", attempts: ["success"], gate: "FAIL" },
        quality: { status: "failed", attempts: ["failed"], gate: "FAIL" },
        release: { status: "blocked", attempts: [] },
        announce: { status: "blocked", attempts: [] },
        report: ok,
      },
      files: { "out/released.txt": null, "out/report.txt": "reported\n" },
      gateRecords: { "runs/team run 7/gates/quality.json": "quality" },
    },
  ],
};
