/**
 * Pipelines for the production proof (run.sh here): GPU stages two runs contend for, a stage that
 * fails twice with fixed delays, a long stage stopped from outside, one whose task process is
 * killed with SIGKILL on its first try, and one killed so with no retry left. Each stage appends what happened to files check.py reads.
 */
import { param, pipeline, sh } from "../../../src/index.js";

const STAMP = `"$(date +%s.%N)"`;

/** Two GPU stages (one GPU each, pool of 1) in every run; two runs may be active at once. */
export const prodGpu = pipeline(
  "uf_prod_gpu",
  { maxActiveRuns: 2, params: { tag: param.string({ default: "x" }) } },
  ({ stage }) => {
    const a = stage("gpu_a", {
      command: sh`s=${STAMP}; sleep 4; echo "$UPDRAFT_PARAM_TAG gpu_a $s ${STAMP}" >> gpu.times`,
      gpu: 1,
    });
    stage("gpu_b", {
      command: sh`s=${STAMP}; sleep 4; echo "$UPDRAFT_PARAM_TAG gpu_b $s ${STAMP}" >> gpu.times`,
      gpu: 1,
      dependsOn: [a],
    });
  },
);

/** Fails twice, then succeeds: retries wait 3 s each (no backoff, so no jitter on any version). */
export const prodRetry = pipeline("uf_prod_retry", {}, ({ stage }) => {
  stage("flaky", {
    command: sh`echo "${"$UPDRAFT_ATTEMPT"} ${STAMP}" >> retry.times; [ "$UPDRAFT_ATTEMPT" -ge 3 ]`,
    retry: { retries: 2, delay: "3s" },
  });
});

/** A long stage with a child: stopped from outside through the API, its whole group must die. */
export const prodStop = pipeline("uf_prod_stop", {}, ({ stage }) => {
  stage("long", { command: sh`sleep 600 & echo "$$ $!" > stop.pids; wait` });
});

/** On its first try the task process is killed with SIGKILL; the retry succeeds. */
export const prodCrash = pipeline("uf_prod_crash", {}, ({ stage }) => {
  stage("victim", {
    command: sh`if [ "$UPDRAFT_ATTEMPT" = 1 ]; then echo "$PPID" > crash.pid; exec sleep 600; fi; echo survived`,
    retry: { retries: 1, delay: "2s" },
  });
});

/** No retry: the task process is killed with SIGKILL; the task fails and the stage's process must not outlive it. */
export const prodCrashFinal = pipeline("uf_prod_crash_final", {}, ({ stage }) => {
  stage("last", { command: sh`echo "$PPID $$" > crash_final.pids; exec sleep 600` });
});

const HOST = `"$UPDRAFT_STAGE $PROD_HOST $UPDRAFT_LOCK_DIR $UPDRAFT_GPUS $CUDA_VISIBLE_DEVICES`;

/**
 * Celery mode: two independent GPU stages routed by queue to two GPU hosts (gpu_a: 1 GPU, gpu_b: 2),
 * then a CPU stage on the default queue. Each appends where it ran and when to hosts.log.
 */
export const prodHosts = pipeline("uf_prod_hosts", { maxActiveRuns: 2 }, ({ stage }) => {
  const a = stage("on_a", {
    command: sh`s=${STAMP}; sleep 8; echo ${HOST} $s ${STAMP}" >> hosts.log`,
    gpu: 1,
    queue: "gpu_a",
  });
  const b = stage("on_b", {
    command: sh`s=${STAMP}; sleep 8; echo ${HOST} $s ${STAMP}" >> hosts.log`,
    gpu: 2,
    queue: "gpu_b",
  });
  stage("cpu", { command: sh`s=${STAMP}; echo ${HOST}- $s ${STAMP}" >> hosts.log`, dependsOn: [a, b] });
});
