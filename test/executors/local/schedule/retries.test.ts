/**
 * Retries: a failed attempt is retried after the backoff delay, non-retryable exit codes fail at
 * once, and every attempt is recorded.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { counter, manifestOnDisk, planOf, run, stageOf, tempDir } from "../helpers.js";

describe("retries", () => {
  it("GIVEN a command that fails until its counter reaches 3 WHEN it runs with 3 retries THEN the third attempt succeeds", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("flaky", {}, ({ stage }) => {
        stage("flaky", {
          command: sh`echo x >> count; [ "$(wc -l < count)" -ge 3 ]`,
          retry: { retries: 3, delay: "0.05s", backoff: 2 },
        });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "flaky");
    expect(s.status).toBe("success");
    expect(counter(path.join(dir, "count"))).toBe(3);
    expect(s.attempts.map((a) => [a.attempt, a.outcome, a.exitCode, a.retryDelayMs])).toEqual([
      [1, "failed", 1, 50],
      [2, "failed", 1, 100],
      [3, "success", 0, null],
    ]);
    expect(s.attempts.map((a) => a.log)).toEqual(["logs/flaky.1.log", "logs/flaky.2.log", "logs/flaky.3.log"]);
    expect(manifestOnDisk(dir, m.runId)).toEqual(m);
  });

  it("GIVEN an exit code listed as non-retryable WHEN the command exits with it THEN the stage fails after one attempt", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("config", {}, ({ stage }) => {
        stage("check", {
          command: sh`echo x >> count; exit 3`,
          retry: { retries: 3, delay: "0.05s", nonRetryableExitCodes: [3] },
        });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "check");
    expect(s.status).toBe("failed");
    expect(s.attempts).toHaveLength(1);
    expect(s.attempts[0]).toMatchObject({ outcome: "failed", exitCode: 3, retryDelayMs: null });
    expect(s.reason).toBe("exit 3; exit code 3 is not retried");
    expect(counter(path.join(dir, "count"))).toBe(1);
    expect(m.status).toBe("failed");
  });

  it("GIVEN retries with backoff 0.2s x2 WHEN every attempt fails THEN the waits between attempts are 0.2s then 0.4s", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("backoff", {}, ({ stage }) => {
        stage("fail", { command: ["false"], retry: { retries: 2, delay: "0.2s", backoff: 2 } });
      }),
    );
    const m = await run(plan, dir);
    const a = stageOf(m, "fail").attempts;
    expect(a.map((x) => x.retryDelayMs)).toEqual([200, 400, null]);
    const gaps = [1, 2].map((i) => Date.parse(a[i]!.start) - Date.parse(a[i - 1]!.end!));
    // Generous upper bounds: a loaded machine may be late (seconds, on 2 busy cores), never early.
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[0]).toBeLessThan(5000);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(gaps[1]).toBeLessThan(5000);
    expect(stageOf(m, "fail").reason).toBe("exit 1 (attempt 3 of 3)");
  });

  it("GIVEN a maximum delay WHEN the backoff would exceed it THEN the delay is capped", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("capped", {}, ({ stage }) => {
        stage("fail", { command: ["false"], retry: { retries: 3, delay: "0.02s", backoff: 3, maxDelay: "0.05s" } });
      }),
    );
    const m = await run(plan, dir);
    expect(stageOf(m, "fail").attempts.map((x) => x.retryDelayMs)).toEqual([20, 50, 50, null]);
  });

  it("GIVEN a program that does not exist WHEN it runs THEN the attempt fails with the reason in the log, and is retried", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("nope", {}, ({ stage }) => {
        stage("ghost", { command: ["updraft-no-such-program"], retry: { retries: 1, delay: "0.01s" } });
      }),
    );
    const m = await run(plan, dir);
    const s = stageOf(m, "ghost");
    expect(s.status).toBe("failed");
    expect(s.attempts.map((a) => [a.outcome, a.exitCode])).toEqual([
      ["failed", null],
      ["failed", null],
    ]);
    expect(s.reason).toMatch(/^could not start: .*ENOENT/);
  });
});
