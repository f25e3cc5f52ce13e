/**
 * The pipeline's Airflow settings (start date, owner, GPU pool, queues): refused at plan time when
 * Airflow would refuse them or read them otherwise than written, so an export never fails over them.
 */
import { problem, type Problem } from "../problems.js";
import type { PipelineInfo, Stage } from "../../plan/schema.js";

/** Names Airflow accepts for pools (and that a queue may safely take). */
export const POOL_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2}))?$/;

/** A start date's parts: the UTC offset in minutes; null when the text is no valid date. */
export interface StartDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly offsetMinutes: number;
}

/**
 * Read a start date: `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM[:SS]` with `Z` or `+HH:MM`.
 *
 * @example
 * ```ts
 * parseStartDate("2024-05-01"); // { year: 2024, month: 5, day: 1, hour: 0, minute: 0, second: 0, offsetMinutes: 0 }
 * ```
 */
export function parseStartDate(text: string): StartDate | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as number[];
  const zone = m[7] ?? "Z";
  const offsetMinutes =
    zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const probe = new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second));
  const real =
    year! >= 1900 &&
    probe.getUTCMonth() === month! - 1 &&
    probe.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60 &&
    Math.abs(offsetMinutes) < 24 * 60;
  return real
    ? { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second!, offsetMinutes }
    : null;
}

/** Problems with the pipeline's Airflow settings and the stages' queues. */
export function checkAirflowSettings(info: PipelineInfo, stages: readonly Stage[], out: Problem[]): void {
  const { startDate, owner, gpuPool } = info.airflow;
  const at = { source: info.source };
  if (startDate !== null && parseStartDate(startDate) === null)
    out.push(
      problem(
        "invalid-airflow-setting",
        null,
        `airflow.startDate ${JSON.stringify(startDate)} is not a date`,
        'write "YYYY-MM-DD" (midnight UTC) or a date-time with its offset, such as "2024-05-01T06:00:00+02:00"',
        at,
      ),
    );
  if (owner !== null && owner.trim() === "")
    out.push(problem("invalid-airflow-setting", null, "airflow.owner is empty", "name the owner, or leave it out", at));
  if (gpuPool !== null && !POOL_NAME.test(gpuPool))
    out.push(
      problem(
        "invalid-airflow-setting",
        null,
        `airflow.gpuPool ${JSON.stringify(gpuPool)} is not a valid Airflow pool name`,
        "use 1 to 256 letters, digits, '_', '.' or '-'",
        at,
      ),
    );
  for (const s of stages)
    if (s.queue !== null && !POOL_NAME.test(s.queue))
      out.push(
        problem(
          "invalid-airflow-setting",
          s.id,
          `stage "${s.id}" has queue ${JSON.stringify(s.queue)}`,
          "name the queue with 1 to 256 letters, digits, '_', '.' or '-'",
          { source: s.source },
        ),
      );
}
