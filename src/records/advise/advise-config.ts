/**
 * Thresholds of the move-to-Airflow rule, and the `advise` section of `updraft.config.json` that
 * changes them. Defaults are the team's rule: more than 10 production-like runs a week, more than 2
 * engineers, regular orchestration incidents (2 or more a week), or any pipeline that needs a schedule.
 */
import { z } from "zod";
import { parseSpan } from "../time.js";
import { readJsonFileAsync } from "../../common/json-file.js";
import type { Result } from "../../common/result.js";

/** The default config file, looked up in the working directory. */
export const CONFIG_FILE = "updraft.config.json";

const count = z.number().nonnegative();

export const ThresholdsSchema = z
  .object({
    /** Move when production-like runs per week exceed this. */
    runsPerWeek: count.default(10),
    /** Move when more engineers than this started runs in the window. */
    engineers: count.default(2),
    /** Move when orchestration incidents per week reach this. */
    incidentsPerWeek: count.default(2),
    /** A wait for a GPU lease longer than this many minutes counts as an incident (contention). */
    gpuWaitMinutes: count.default(15),
    /** Move when the share (0..1) of runs that were manual resumes or reruns after a failure exceeds this. */
    manualRecoveryShare: z.number().min(0).max(1).default(0.25),
    /** The share is only judged over at least this many runs. */
    manualRecoveryMinRuns: count.default(4),
    /** Move when this many pipelines (or more) declare a schedule; 1 means any. */
    scheduledPipelines: count.default(1),
    /** No verdict to move before the history is this many weeks old... */
    minHistoryWeeks: count.default(2),
    /** ...and holds this many runs in the window: twenty minutes of one person say nothing. */
    minRuns: count.default(10),
  })
  .strict();

const span = z
  .string()
  .refine((s) => parseSpan(s) !== null, { message: 'expected a span such as "4w", "30d" or "12h"' });

export const AdviseConfigSchema = z
  .object({
    /** How far back `advise` looks by default. */
    window: span.default("4w"),
    thresholds: ThresholdsSchema.default(ThresholdsSchema.parse({})),
  })
  .strict();

/** The config file: other sections belong to other commands and are left alone. */
export const ConfigFileSchema = z.looseObject({ advise: AdviseConfigSchema.default(AdviseConfigSchema.parse({})) });

export type Thresholds = z.output<typeof ThresholdsSchema>;
export type AdviseConfig = z.output<typeof AdviseConfigSchema>;

/** The config, or every problem with the file. */
export type ConfigResult = Result<{ config: AdviseConfig; file: string | null }, { file: string; problems: string[] }>;

/**
 * Read the `advise` settings from `file` (or `updraft.config.json` in `cwd` when it exists).
 *
 * @example
 * ```ts
 * const result = await loadAdviseConfig({ cwd: process.cwd() });
 * if (result.ok) console.log(result.config.thresholds.runsPerWeek); // 10
 * ```
 */
export async function loadAdviseConfig(options: { cwd: string; file?: string }): Promise<ConfigResult> {
  const explicit = options.file !== undefined;
  const file = options.file ?? `${options.cwd}/${CONFIG_FILE}`;
  const read = await readJsonFileAsync(file);
  if (!read.ok) {
    if (!explicit && read.failure === "missing") return { ok: true, config: AdviseConfigSchema.parse({}), file: null };
    const problem = read.failure === "invalid" ? `invalid JSON: ${read.message}` : `cannot read it: ${read.message}`;
    return { ok: false, file, problems: [problem] };
  }
  const parsed = ConfigFileSchema.safeParse(read.data);
  if (parsed.success) return { ok: true, config: parsed.data.advise, file };
  return { ok: false, file, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
}
