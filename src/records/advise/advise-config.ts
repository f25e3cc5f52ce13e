/**
 * Thresholds of the move-to-Airflow rule, and the `advise` section of `updraft.config.json` that
 * changes them. Defaults are the team's rule: more than 10 production-like runs a week, more than 2
 * engineers, regular orchestration incidents (2 or more a week), or any pipeline that needs a schedule.
 */
import * as z from "../../common/zod.js";
import { didYouMean } from "../../common/did-you-mean.js";
import { parseSpan } from "../time.js";
import { readJsonFileAsync } from "../../common/json-file.js";
import type { Result } from "../../common/result.js";

/** The default config file, looked up in the working directory. */
export const CONFIG_FILE = "updraft.config.json";

const count = z.number().nonnegative();

export const ThresholdsSchema = z
  .object({
    runsPerWeek: count.default(10).describe("Move when production-like runs per week exceed this."),
    engineers: count.default(2).describe("Move when more engineers than this started runs in the window."),
    incidentsPerWeek: count.default(2).describe("Move when orchestration incidents per week reach this."),
    gpuWaitMinutes: count
      .default(15)
      .describe("A wait for a GPU lease longer than this many minutes counts as an incident (contention)."),
    manualRecoveryShare: z
      .number()
      .min(0)
      .max(1)
      .default(0.25)
      .describe("Move when the share (0..1) of runs that were manual resumes or reruns after a failure exceeds this."),
    manualRecoveryMinRuns: count
      .default(4)
      .describe("The manual-recovery share is only judged over at least this many runs."),
    scheduledPipelines: count
      .default(1)
      .describe("Move when this many pipelines (or more) declare a schedule; 1 means any."),
    minHistoryWeeks: count.default(2).describe("No verdict to move before the history is this many weeks old..."),
    minRuns: count
      .default(10)
      .describe("...and holds this many runs in the window: twenty minutes of one person say nothing."),
  })
  .strict();

const span = z
  .string()
  .refine((s) => parseSpan(s) !== null, { message: 'expected a span such as "4w", "30d" or "12h"' });

export const AdviseConfigSchema = z
  .object({
    window: span.default("4w").describe("How far back `updraft advise` looks (--window overrides it)."),
    thresholds: ThresholdsSchema.default(ThresholdsSchema.parse({})).describe(
      "When `updraft advise` says move to Airflow.",
    ),
  })
  .strict();

/** The config file: every key is known, so that a misspelt one is an error rather than ignored. */
export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional().describe("The JSON Schema editors check this file with."),
    advise: AdviseConfigSchema.default(AdviseConfigSchema.parse({})).describe("Settings of `updraft advise`."),
  })
  .strict();

/** The keys an object at `path` of the config file may hold, for "did you mean". */
function keysAt(path: readonly PropertyKey[]): string[] {
  const shapes: Record<string, z.ZodObject> = {
    "": ConfigFileSchema,
    advise: AdviseConfigSchema,
    "advise.thresholds": ThresholdsSchema,
  };
  return Object.keys(shapes[path.join(".")]?.shape ?? {});
}

/** One sentence per problem, a misspelt key with the nearest known one. */
function problemsOf(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((i) => {
    const where = i.path.join(".") || "(root)";
    if (i.code !== "unrecognized_keys") return [`${where}: ${i.message}`];
    const known = keysAt(i.path);
    return i.keys.map((k) => `${where}: unknown key "${k}"; ${didYouMean(k, known)}known keys: ${known.join(", ")}`);
  });
}

/**
 * The JSON Schema (draft 2020-12) of `updraft.config.json`, for editors (`"$schema"` in the file).
 *
 * @example
 * ```ts
 * writeFileSync("schema/config.schema.json", configJsonSchemaText());
 * ```
 */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(ConfigFileSchema, { target: "draft-2020-12", io: "input" });
  return `${JSON.stringify({ title: "updraft.config.json", ...schema }, null, 2)}\n`;
}

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
  return { ok: false, file, problems: problemsOf(parsed.error.issues) };
}
