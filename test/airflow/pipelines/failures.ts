/**
 * Failures that must not be retried (a listed exit code, a missing output), a timeout that must
 * kill the whole process group, and an independent branch that runs on regardless.
 */
import { pipeline, sh } from "../../../src/index.js";
import { ok, upstreamFailed, type Fixture } from "../suite.js";

export const failures = pipeline(
  "uf_failures",
  { description: "Non-retryable failures and a timeout." },
  ({ stage }) => {
    const config = stage("bad_config", {
      command: sh`echo "ctx_len must be a multiple of 16"; exit 3`,
      retry: { retries: 3, delay: "1s", nonRetryableExitCodes: [3] },
    });
    stage("train", { command: ["true"], dependsOn: [config] });
    const lazy = stage("lazy", { command: ["true"], outputs: ["out/never.txt"], retry: { retries: 2, delay: "1s" } });
    stage("use_lazy", { command: ["true"], dependsOn: [lazy] });
    stage("slow", { command: sh`(sleep 4; touch late.txt) & sleep 60`, timeout: "2s" });
    stage("independent", { command: sh`echo fine > independent.txt` });
  },
);
export default failures;

export const fixture: Fixture = {
  cases: [
    {
      name: "failures",
      stages: {
        bad_config: { status: "failed", attempts: ["failed"] },
        train: upstreamFailed,
        lazy: { status: "failed", attempts: ["missing-output"] },
        use_lazy: upstreamFailed,
        slow: { status: "failed", attempts: ["timeout"] },
        independent: ok,
      },
      files: { "late.txt": null, "independent.txt": "fine\n" },
      logs: { "bad_config.1": "ctx_len must be a multiple of 16\n" },
      settleSeconds: 5,
    },
  ],
};
