import { z } from "zod";
import { param, pipeline, runCli, sh, t } from "updraft";

/** What `prepare` writes, so that a misspelt metric name in a rule does not compile. */
const Metrics = z.object({ rows: z.number(), empty_share: z.number() });

export const readme = pipeline(
  "readme",
  {
    description: "Prepare data, gate it, train on the GPU, release.",
    params: {
      run: param.string({ default: "r1" }),
      rows: param.int({ default: 500 }),
    },
    defaults: { timeout: "10m", retry: { retries: 2, delay: "1s", backoff: 2, maxDelay: "10s" } },
  },
  ({ stage, qualityGate, params: p }) => {
    const prepare = stage("prepare", {
      command: sh`mkdir -p out/${p.run}
        seq 1 ${p.rows} > out/${p.run}/data.txt
        echo "{\"rows\": $(wc -l < out/${p.run}/data.txt), \"empty_share\": 0}" > out/${p.run}/metrics.json`,
      outputs: [t`out/${p.run}/data.txt`, t`out/${p.run}/metrics.json`],
    });
    const dataOk = qualityGate("data_ok", {
      after: [prepare],
      metrics: t`out/${p.run}/metrics.json`,
      schema: Metrics,
      rules: (r) => [r.metric("rows").gte(100), r.metric("empty_share").lte(0.01)],
    });
    const train = stage("train", {
      command: sh`sha256sum out/${p.run}/data.txt > out/${p.run}/model.txt`,
      dependsOn: [dataOk],
      gpu: 1,
      inputs: [t`out/${p.run}/data.txt`],
      outputs: [t`out/${p.run}/model.txt`],
      retry: { retries: 3, nonRetryableExitCodes: [2] },
    });
    stage("release", {
      command: ["cp", t`out/${p.run}/model.txt`, t`out/${p.run}/release.txt`],
      dependsOn: [train],
      outputs: [t`out/${p.run}/release.txt`],
    });
  },
);

export default readme;
runCli(readme);
