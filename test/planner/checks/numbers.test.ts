import { describe, expect, it } from "vitest";
import { pipeline, plan, type Pipeline } from "updraft";
import { describeRetry } from "../../../src/planner/describe.js";
import type { RetryOptions, Duration } from "../../../src/dsl/types.js";

/** The problems of planning one stage with these options, as "code: message | hint". */
function problems(opts: { retry?: RetryOptions; timeout?: Duration }): string[] {
  const p: Pipeline = pipeline("numbers", {}, ({ stage }) => {
    stage("train", { command: ["true"], ...opts });
  });
  const result = plan(p);
  return result.ok ? [] : result.problems.map((x) => `${x.code}: ${x.message} | hint: ${x.hint}`);
}

describe("bounds on retries and durations", () => {
  it("GIVEN ten million or ten billion retries WHEN planned THEN each is one clear problem, not a huge schedule or a crash", () => {
    expect([...problems({ retry: { retries: 1e7 } }), ...problems({ retry: { retries: 1e10 } })])
      .toMatchInlineSnapshot(`
      [
        "invalid-retries: stage "train" has retries 10000000 | hint: set retries to a whole number from 0 to 100",
        "invalid-retries: stage "train" has retries 10000000000 | hint: set retries to a whole number from 0 to 100",
      ]
    `);
  });

  it("GIVEN 1,100 retries with backoff 2 and no cap WHEN planned THEN the count and the endless delays are refused", () => {
    expect(problems({ retry: { retries: 1100, backoff: 2 } })).toMatchInlineSnapshot(`
      [
        "invalid-retries: stage "train" has retries 1100 | hint: set retries to a whole number from 0 to 100",
      ]
    `);
    expect(problems({ retry: { retries: 100, backoff: 2, delay: "30s" } })).toMatchInlineSnapshot(`
      [
        "invalid-retry-delay: stage "train" would wait more than 24d before retry 18 of 100 (delay 30s, backoff 2, no cap) | hint: cap the delays with retry.maxDelay (24d or less), or lower retries or backoff",
      ]
    `);
    expect(problems({ retry: { retries: 100, backoff: 2, delay: "30s", maxDelay: "1h" } })).toEqual([]);
    expect(problems({ retry: { retries: 3, backoff: 1e6 } })[0]).toMatchInlineSnapshot(
      `"invalid-backoff: stage "train" has a backoff multiplier of 1000000 | hint: set retry.backoff to 1 (constant delay) up to 10"`,
    );
  });

  it("GIVEN durations of 2^31 ms or more WHEN planned THEN timeout, delay and maxDelay above 24 days are refused", () => {
    expect([
      ...problems({ timeout: "25d" }),
      ...problems({ retry: { retries: 1, delay: "30d" } }),
      ...problems({ retry: { retries: 1, delay: "1d", maxDelay: "40d" } }),
    ]).toMatchInlineSnapshot(`
      [
        "invalid-timeout: stage "train" has a timeout of 25d, above the longest updraft waits for (24d) | hint: set timeout to 24d or less",
        "invalid-retry-delay: stage "train" has a retry.delay of 30d, above the longest updraft waits for (24d) | hint: set retry.delay to 24d or less",
        "invalid-retry-delay: stage "train" has a retry.maxDelay of 40d, above the longest updraft waits for (24d) | hint: set retry.maxDelay to 24d or less",
      ]
    `);
    expect(problems({ timeout: "24d", retry: { retries: 2, delay: "24d", backoff: 1 } })).toEqual([]);
  });

  it("GIVEN the most retries allowed WHEN the schedule is described THEN it is one short line", () => {
    const text = describeRetry({
      retries: 100,
      delaySeconds: 30,
      multiplier: 2,
      maxDelaySeconds: 86400,
      nonRetryableExitCodes: [],
    });
    expect(text).toMatchInlineSnapshot(`"retries 100: waits 30s, 60s, 120s, … 1d (cap 1d)"`);
  });
});
