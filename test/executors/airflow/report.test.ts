import { describe, expect, it } from "vitest";
import { exportReport, formatIssue, poolSlots } from "../../../src/executors/airflow/report.js";
import { pipeline, plan, type Plan, type RetryOptions } from "../../../src/index.js";

function planWith(
  stages: { id: string; retry?: RetryOptions; gpu?: number; after?: string[] }[],
  meta: { tags?: string[] } = {},
): Plan {
  const p = pipeline("p", meta, ({ stage }) => {
    const refs = new Map<string, ReturnType<typeof stage>>();
    for (const s of stages) {
      refs.set(
        s.id,
        stage(s.id, {
          command: ["true"],
          ...(s.retry ? { retry: s.retry } : {}),
          gpu: s.gpu ?? 0,
          dependsOn: (s.after ?? []).map((a) => refs.get(a)!),
        }),
      );
    }
  });
  const result = plan(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("; "));
  return result.plan;
}

const lines = (p: Plan) => exportReport(p).map(formatIssue);

describe("exportReport", () => {
  it("GIVEN constant retry delays, or backoff Airflow reproduces exactly WHEN exported THEN nothing is reported", () => {
    expect(
      lines(
        planWith([
          { id: "constant", retry: { retries: 5, delay: "30s", backoff: 1 } },
          { id: "one_second", retry: { retries: 1, delay: "1s", backoff: 2 } },
          { id: "no_retries", retry: { retries: 0, backoff: 3 } },
        ]),
      ),
    ).toEqual([]);
  });

  it("GIVEN exponential backoff WHEN exported THEN Airflow's jitter before 3.3 is reported with the real ranges", () => {
    expect(lines(planWith([{ id: "train", retry: { retries: 3, delay: "1m", backoff: 2, maxDelay: "3m" } }])))
      .toMatchInlineSnapshot(`
      [
        "retry-jitter [train]: exponential backoff: Airflow 2.10 to 3.2 add jitter, so each retry waits between the planned delay (in whole seconds, at least 1) and about twice it (train: 1m-1m59s, 2m-3m, 3m instead of 1m, 2m, 3m); Airflow 3.3+ waits exactly the planned delays",
      ]
    `);
  });

  it("GIVEN a multiplier other than 2, delays past 24h, sub-second delays WHEN exported THEN each is reported", () => {
    const p = planWith([
      { id: "a", retry: { retries: 2, delay: "10s", backoff: 1.5 } },
      { id: "b", retry: { retries: 1, delay: "2d", backoff: 2 } },
      { id: "c", retry: { retries: 1, delay: 0.5, backoff: 2 } },
    ]);
    expect(exportReport(p).map((i) => [i.code, i.stages])).toEqual([
      ["retry-multiplier", ["a"]],
      ["retry-jitter", ["a", "b", "c"]],
      ["retry-delay-cap", ["b"]],
    ]);
  });

  it("GIVEN GPU stages with a timeout WHEN exported THEN nothing is reported (the operator starts the timeout after the lease); the pool fits the biggest stage", () => {
    const p = planWith([
      { id: "a", gpu: 1 },
      { id: "b", gpu: 2, after: ["a"] },
    ]);
    expect(poolSlots(p)).toBe(2);
    expect(exportReport(p)).toEqual([]);
    expect(poolSlots(planWith([{ id: "cpu" }]))).toBe(1);
    const timed = plan(
      pipeline("t", {}, ({ stage }) => {
        stage("train", { command: ["true"], gpu: 1, timeout: "1h" });
        stage("cpu", { command: ["true"], timeout: "1h" });
      }),
    );
    if (!timed.ok) throw new Error("plan");
    expect(exportReport(timed.plan)).toEqual([]);
  });

  it("GIVEN a tag longer than Airflow allows WHEN exported THEN the cut is reported", () => {
    expect(exportReport(planWith([{ id: "a" }], { tags: ["x".repeat(120)] })).map((i) => i.code)).toEqual([
      "tag-too-long",
    ]);
  });

  it("GIVEN a declared path with a brace or extglob group WHEN exported THEN the worker's literal reading is reported", () => {
    const braces = plan(
      pipeline("g", {}, ({ stage }) => {
        stage("split", { command: ["true"], outputs: ["data/{train,val}.csv"] });
        stage("ext", { command: ["true"], inputs: ["data/@(a|b).csv"] });
        stage("plain", { command: ["true"], inputs: ["data/*.csv", "ckpt/[0-9].pt", "{notaglob}.txt"] });
      }),
    );
    if (!braces.ok) throw new Error("plan");
    expect(exportReport(braces.plan).map((i) => [i.code, i.stages])).toEqual([["glob-braces", ["split", "ext"]]]);
  });

  it("GIVEN GPU stages routed to queues WHEN exported without pool slots THEN the report says how to size the shared pool", () => {
    const hosts = plan(
      pipeline("h", {}, ({ stage }) => {
        stage("on_a", { command: ["true"], gpu: 1, queue: "gpu_a" });
        stage("on_b", { command: ["true"], gpu: 2, queue: "gpu_b" });
        stage("cpu", { command: ["true"], queue: "cpu" });
        stage("unrouted", { command: ["true"], gpu: 1 });
      }),
    );
    if (!hosts.ok) throw new Error("plan");
    const [issue, ...rest] = exportReport(hosts.plan, { pool: "gpu" });
    expect(rest).toEqual([]);
    expect(formatIssue(issue!)).toMatchInlineSnapshot(
      `"gpu-pool-hosts [on_a, on_b]: GPU stages go to queues gpu_a, gpu_b: every host shares the pool gpu, sized 2 slots (the most GPUs one stage needs), so GPU stages on different hosts may wait for each other where updraft run on each host would not; export with --pool-slots set to the GPUs of all the hosts serving those queues (their sum; each host's GPU leases, UPDRAFT_GPUS and UPDRAFT_LOCK_DIR, keep its stages within its own GPUs)"`,
    );
    expect(exportReport(hosts.plan, { pool: "gpu", poolSlots: 3 })).toEqual([]);
    expect(exportReport(planWith([{ id: "one", gpu: 1 }]), { pool: "gpu" })).toEqual([]);
    const oneQueue = plan(
      pipeline("q", {}, ({ stage }) => void stage("s", { command: ["true"], gpu: 1, queue: "gpu" })),
    );
    if (!oneQueue.ok) throw new Error("plan");
    expect(exportReport(oneQueue.plan, { pool: "gpu" })).toEqual([]);
  });

  it("GIVEN a long stage list WHEN formatted THEN five names are shown and the rest counted", () => {
    expect(formatIssue({ code: "retry-jitter", stages: ["a", "b", "c", "d", "e", "f", "g"], message: "m" })).toBe(
      "retry-jitter [a, b, c, d, e and 2 more]: m",
    );
  });
});
