/**
 * Checks of a stage's numbers: retries, delays, backoff, timeout, GPUs, estimate. Every bound here
 * keeps a valid Plan runnable the same way locally and in Airflow: a schedule short enough to print
 * and to write as Python, and durations a Node timer can wait out (below 2^31 ms).
 */
import { formatDuration, MAX_DURATION_SECONDS } from "../duration.js";
import { problem, type Problem } from "../problems.js";
import { MAX_BACKOFF, MAX_RETRIES, retryDelay } from "../retry.js";
import type { Param, Stage } from "../../plan/schema.js";

// Durations that could not be parsed are NaN here and were reported during normalisation, so
// range checks below compare in a way that NaN fails silently.
const isInt = (n: number) => Number.isInteger(n);
const LONGEST = formatDuration(MAX_DURATION_SECONDS);

/** A problem when a duration field is above the longest one updraft waits for. */
function tooLong(s: Stage, field: string, seconds: number | null, code: Problem["code"], out: Problem[]): void {
  if (seconds === null || !(seconds > MAX_DURATION_SECONDS)) return;
  out.push(
    problem(
      code,
      s.id,
      `stage "${s.id}" has a ${field} of ${formatDuration(seconds)}, above the longest updraft waits for (${LONGEST})`,
      `set ${field} to ${LONGEST} or less`,
      { source: s.source },
    ),
  );
}

/** Retry count, delays, backoff and exit codes of one stage. */
export function checkRetry(s: Stage, out: Problem[]): void {
  const r = s.retry;
  const at = { source: s.source };
  const add = (code: Problem["code"], message: string, hint: string) =>
    out.push(problem(code, s.id, message, hint, at));
  if (!(isInt(r.retries) && r.retries >= 0 && r.retries <= MAX_RETRIES)) {
    add(
      "invalid-retries",
      `stage "${s.id}" has retries ${r.retries}`,
      `set retries to a whole number from 0 to ${MAX_RETRIES}`,
    );
  }
  if (r.delaySeconds < 0) {
    add(
      "invalid-retry-delay",
      `stage "${s.id}" has a retry delay of ${r.delaySeconds}s`,
      "set retry.delay to 0 or more",
    );
  }
  tooLong(s, "retry.delay", r.delaySeconds, "invalid-retry-delay", out);
  tooLong(s, "retry.maxDelay", r.maxDelaySeconds, "invalid-retry-delay", out);
  if (!(r.multiplier >= 1 && r.multiplier <= MAX_BACKOFF)) {
    add(
      "invalid-backoff",
      `stage "${s.id}" has a backoff multiplier of ${r.multiplier}`,
      `set retry.backoff to 1 (constant delay) up to ${MAX_BACKOFF}`,
    );
  } else if (
    r.maxDelaySeconds === null &&
    isInt(r.retries) &&
    r.retries >= 1 &&
    r.retries <= MAX_RETRIES &&
    r.delaySeconds <= MAX_DURATION_SECONDS
  ) {
    // At most MAX_RETRIES delays to look at; the first one too long is the one to name.
    const first = Array.from({ length: r.retries }, (_, i) => i + 1).find(
      (n) => retryDelay(r, n) > MAX_DURATION_SECONDS,
    );
    if (first !== undefined) {
      add(
        "invalid-retry-delay",
        `stage "${s.id}" would wait more than ${LONGEST} before retry ${first} of ${r.retries} (delay ${formatDuration(r.delaySeconds)}, backoff ${r.multiplier}, no cap)`,
        `cap the delays with retry.maxDelay (${LONGEST} or less), or lower retries or backoff`,
      );
    }
  }
  if (r.maxDelaySeconds !== null && r.maxDelaySeconds < r.delaySeconds) {
    add(
      "max-delay-below-delay",
      `stage "${s.id}" has retry maxDelay ${r.maxDelaySeconds}s below its delay ${r.delaySeconds}s`,
      "raise retry.maxDelay to at least retry.delay, or lower the delay",
    );
  }
  for (const code of r.nonRetryableExitCodes) {
    if (!(isInt(code) && code >= 0 && code <= 255)) {
      add(
        "invalid-exit-code",
        `stage "${s.id}" lists exit code ${code} as non-retryable`,
        "exit codes are whole numbers from 0 to 255",
      );
    }
  }
}

/** Timeout, GPU count and estimate of one stage. */
export function checkResources(s: Stage, out: Problem[]): void {
  const at = { source: s.source };
  if (s.timeoutSeconds !== null && s.timeoutSeconds <= 0) {
    out.push(
      problem(
        "invalid-timeout",
        s.id,
        `stage "${s.id}" has a timeout of ${s.timeoutSeconds}s`,
        "set a timeout above zero, or leave it out for none",
        at,
      ),
    );
  }
  tooLong(s, "timeout", s.timeoutSeconds, "invalid-timeout", out);
  if (typeof s.gpu === "number" && !(isInt(s.gpu) && s.gpu >= 0)) {
    out.push(
      problem(
        "invalid-gpu",
        s.id,
        `stage "${s.id}" asks for ${s.gpu} GPUs`,
        "gpu is a whole number of devices, 0 or more",
        at,
      ),
    );
  }
  if (s.estimateSeconds !== null && s.estimateSeconds < 0) {
    out.push(
      problem(
        "invalid-estimate",
        s.id,
        `stage "${s.id}" has an estimate of ${s.estimateSeconds}s`,
        "set estimate to 0 or more, or leave it out",
        at,
      ),
    );
  }
}

/** A GPU count taken from a parameter: a declared int parameter whose default, if any, is 1 or more. */
export function checkGpuParam(s: Stage, byName: ReadonlyMap<string, Param>, out: Problem[]): void {
  if (typeof s.gpu === "number") return;
  const name = s.gpu.param;
  const p = byName.get(name);
  const at = { source: s.source };
  const says = `stage "${s.id}" takes its GPU count from parameter "${name}"`;
  if (!p)
    out.push(
      problem(
        "unknown-param",
        s.id,
        `${says}, but the pipeline declares no such parameter`,
        `declare it in params: { ${name}: param.int({ default: 1 }) }`,
        at,
      ),
    );
  else if (p.type !== "int")
    out.push(
      problem(
        "invalid-gpu",
        s.id,
        `${says}, a ${p.type} parameter`,
        `a GPU count is a whole number: declare ${name} as param.int({ default: 1 })`,
        at,
      ),
    );
  else if (typeof p.default === "number" && !(isInt(p.default) && p.default >= 1))
    out.push(
      problem(
        "invalid-gpu",
        s.id,
        `${says}, whose default is ${p.default}`,
        `give ${name} a default of 1 or more (a stage without GPUs leaves gpu out)`,
        at,
      ),
    );
}
