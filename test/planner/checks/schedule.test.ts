import { describe, expect, it } from "vitest";
import { pipeline, plan } from "updraft";

/** What Airflow's croniter 7.0.0 (both Airflow lines' lock files) said of each expression: `croniter(expr)` raised or not. */
const CRONITER_7_0_0: [string, boolean][] = [
  ["0 0 * * *", true],
  ["*/5 * * * *", true],
  ["0 9 * * 1-5", true],
  ["0 9 * * MON-FRI", true],
  ["0 0 1 JAN *", true],
  ["0 0 L * *", true],
  ["0 0 * * 5L", false],
  ["0 0 * * 1#2", true],
  ["0 0 ? * *", true],
  ["0 0 * * 7", true],
  ["0 0 * * 8", false],
  ["60 0 * * *", false],
  ["0 24 * * *", false],
  ["0 0 0 * *", false],
  ["0 0 32 * *", false],
  ["0 0 * 13 *", false],
  ["0 0 1,15 * *", true],
  ["0-59/15 * * * *", true],
  ["H * * * *", false],
  ["0 0 * *", false],
  ["0 0 * * * *", true],
  ["0 0 * * * * *", true],
  ["every tuesday-ish", false],
  ["0 0 * * sun", true],
  ["0 0 * * SUN,SAT", true],
  ["*/0 * * * *", false],
  ["5-1 * * * *", true],
  ["0 0 W * *", false],
  ["0 0 15W * *", true],
  ["0 0 LW * *", false],
  [" 0 0 * * * ", true],
  ["0\t0 * * *", true],
  ["1/5 * * * *", true],
  ["* * * * 1/2", true],
  ["0 0 1-31/2 * *", true],
  ["0 0 * jan-mar *", true],
  ["0 0 * * mon-fri/2", true],
  ["-1 * * * *", false],
  ["0 0 * * 0-7", true],
  ["0 3 * * 1", true],
  ["30 2 1 * *", true],
  ["0 0 1 */3 *", true],
  ["15,45 8-18 * * mon-fri", true],
  ["0 */2 * * *", true],
  ["0 0 * * SAT-SUN", true],
  ["0 0 1 1 *", true],
  ["* * * * *", true],
  ["0 0 29 2 *", true],
  ["0 0 31 4 *", true],
  ["0 0 * * fri#3", true],
];

/** The problem messages of planning a pipeline with this schedule. */
function problems(schedule: string, maxActiveRuns = 1): string[] {
  const p = pipeline("sched", { schedule, maxActiveRuns }, ({ stage }) => {
    stage("a", { command: ["true"] });
  });
  const result = plan(p);
  return result.ok ? [] : result.problems.map((x) => `${x.code}: ${x.message} | hint: ${x.hint}`);
}

describe("schedules", () => {
  it("GIVEN a schedule that is not cron WHEN planned THEN it is refused with how to write one", () => {
    expect(problems("every tuesday-ish")).toMatchInlineSnapshot(`
      [
        "invalid-schedule: schedule "every tuesday-ish" is not a cron expression or preset Airflow accepts: it has 2 fields, not 5 (minute, hour, day of month, month, day of week) | hint: write 5 fields, such as "0 3 * * 1" (03:00 every Monday), or one of @hourly, @daily, @weekly, @monthly, @quarterly, @yearly, @once, @continuous; leave schedule out to start runs by hand",
      ]
    `);
  });

  it("GIVEN Airflow's presets and @once WHEN planned THEN they are accepted; unknown presets and None are not", () => {
    for (const preset of [
      "@hourly",
      "@daily",
      "@weekly",
      "@monthly",
      "@quarterly",
      "@yearly",
      "@once",
      "@continuous",
    ]) {
      expect(problems(preset)).toEqual([]);
    }
    expect([...problems("@reboot"), ...problems("None"), ...problems("@continuous", 2)].map((s) => s.split(" | ")[0]))
      .toMatchInlineSnapshot(`
      [
        "invalid-schedule: schedule "@reboot" is not a cron expression or preset Airflow accepts: it is not one of Airflow's presets",
        "invalid-schedule: schedule "None" is not a cron expression or preset Airflow accepts: it has 1 field, not 5 (minute, hour, day of month, month, day of week)",
        "invalid-schedule: schedule "@continuous" needs maxActiveRuns 1, not 2",
      ]
    `);
  });

  it("GIVEN cron expressions recorded against croniter WHEN planned THEN everything accepted is accepted by croniter", () => {
    const verdicts = CRONITER_7_0_0.map(([expr, croniter]) => ({
      expr,
      croniter,
      updraft: problems(expr).length === 0,
    }));
    expect(verdicts.filter((v) => v.updraft && !v.croniter)).toEqual([]);
    // Stricter than croniter only where cron readers disagree: L, W, #, ?, reversed ranges, 6 or 7 fields.
    expect(verdicts.filter((v) => !v.updraft && v.croniter).map((v) => v.expr)).toMatchInlineSnapshot(`
      [
        "0 0 L * *",
        "0 0 * * 1#2",
        "0 0 ? * *",
        "0 0 * * * *",
        "0 0 * * * * *",
        "5-1 * * * *",
        "0 0 15W * *",
        "0 0 * * fri#3",
      ]
    `);
  });
});
