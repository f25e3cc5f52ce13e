/**
 * The pipeline's schedule: a preset or a 5-field cron expression that both Airflow lines import.
 * Airflow maps its presets to cron and hands everything else to croniter; updraft accepts the part of
 * that language every cron reader agrees on (checked with croner), so an exported DAG never fails to
 * import over its schedule.
 */
import { Cron } from "croner";
import { problem, type Problem } from "../problems.js";
import type { PipelineInfo } from "../../plan/schema.js";
import { plural } from "../../common/plural.js";

/** Airflow's presets (`airflow.utils.dates.cron_presets`) and its two special schedules. */
export const SCHEDULE_PRESETS = [
  "@hourly",
  "@daily",
  "@weekly",
  "@monthly",
  "@quarterly",
  "@yearly",
  "@once",
  "@continuous",
];

const FIELDS = ["minute", "hour", "day of month", "month", "day of week"];
/** Numbers, three-letter month and day names, `*`, lists, ranges, steps; not L, W, #, ? or H (readers differ). */
const PORTABLE_FIELD = /^(?:[0-9*,/-]|[A-Za-z]{3}(?![A-Za-z]))+$/;

/** Why `expression` is not a 5-field cron expression every reader takes, or null when it is one. */
function cronError(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `it has ${plural(fields.length, "field")}, not 5 (${FIELDS.join(", ")})`;
  for (const [i, field] of fields.entries()) {
    if (!PORTABLE_FIELD.test(field)) {
      return `its ${FIELDS[i]} field ${JSON.stringify(field)} uses syntax outside numbers, names, *, ',', '-' and '/'`;
    }
  }
  try {
    new Cron(expression, { paused: true, mode: "5-part", sloppyRanges: true });
    return null;
  } catch (error) {
    return String((error as Error).message).replace(/^CronPattern: /, "");
  }
}

/** Problems with the pipeline's schedule. */
export function checkSchedule(info: PipelineInfo, out: Problem[]): void {
  const schedule = info.schedule;
  if (schedule === null || (SCHEDULE_PRESETS.includes(schedule) && schedule !== "@continuous")) return;
  const at = { source: info.source };
  if (schedule === "@continuous") {
    if (info.maxActiveRuns !== 1) {
      out.push(
        problem(
          "invalid-schedule",
          null,
          `schedule "@continuous" needs maxActiveRuns 1, not ${info.maxActiveRuns}`,
          "set maxActiveRuns: 1, or schedule with a cron expression",
          at,
        ),
      );
    }
    return;
  }
  const reason = schedule.startsWith("@") ? "it is not one of Airflow's presets" : cronError(schedule);
  if (reason === null) return;
  out.push(
    problem(
      "invalid-schedule",
      null,
      `schedule ${JSON.stringify(schedule)} is not a cron expression or preset Airflow accepts: ${reason}`,
      `write 5 fields, such as "0 3 * * 1" (03:00 every Monday), or one of ${SCHEDULE_PRESETS.join(", ")}; leave schedule out to start runs by hand`,
      at,
    ),
  );
}
