/**
 * A command that fails twice, then succeeds: the retries must really happen, with the planned
 * delays (exactly on Airflow 3.3+, with Airflow's jitter before).
 */
import { pipeline, sh } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

export const retry = pipeline("uf_retry", { description: "Fails twice, then succeeds." }, ({ stage }) => {
  const flaky = stage("flaky", {
    command: sh`n=$(cat "$UPDRAFT_RUN_DIR/flaky.count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$UPDRAFT_RUN_DIR/flaky.count"; echo "attempt $n of 4 ($UPDRAFT_ATTEMPT)"; [ "$n" -ge 3 ]`,
    retry: { retries: 3, delay: "1s", backoff: 2 },
  });
  stage("after", { command: ["true"], dependsOn: [flaky] });
});
export default retry;

export const fixture: Fixture = {
  cases: [
    {
      name: "retry",
      stages: {
        flaky: { status: "success", attempts: ["failed", "failed", "success"], retryDelaysMs: [1000, 2000] },
        after: ok,
      },
      logs: { "flaky.1": "attempt 1 of 4 (1)\n", "flaky.2": "attempt 2 of 4 (2)\n", "flaky.3": "attempt 3 of 4 (3)\n" },
    },
  ],
};
