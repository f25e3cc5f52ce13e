/**
 * Loading what a command names: a pipeline file in TypeScript or JavaScript, or a Plan as JSON.
 */
import { didYouMean } from "../common/did-you-mean.js";
import { firstLine } from "../common/errors.js";
import { existsSync, readFileSync } from "node:fs";
import { parseJson } from "../common/json-file.js";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isPipeline, type Pipeline } from "../dsl/types.js";
import { plan } from "../planner/plan.js";
import { cachedPlanFromJson } from "../executors/local/skip/cache/plan-cache.js";
import type { Problem } from "../planner/problems.js";
import type { Plan } from "../plan/schema.js";
import { CliError } from "./errors.js";
import { printWarnings } from "./output.js";
import { plural } from "../common/plural.js";

const LOADING = Symbol.for("updraft.loading");

interface LoadingState {
  registered: Pipeline[];
}

/** Set while the CLI imports a pipeline file: `runCli` then registers instead of running. */
export function loadingState(): LoadingState | undefined {
  return (globalThis as Record<symbol, LoadingState | undefined>)[LOADING];
}

/** A validated Plan and where it came from. */
export interface LoadedPlan {
  readonly plan: Plan;
  /** The file named on the command line, or null for a pipeline file run directly. */
  readonly file: string | null;
}

/** Plan a pipeline, or throw a CliError listing every problem. */
export function planOrThrow(pipeline: Pipeline, file: string | null): Plan {
  const result = plan(pipeline);
  if (!result.ok) throw invalid(file ?? pipeline.source?.file ?? pipeline.id, result.problems);
  printWarnings(result.warnings);
  return result.plan;
}

function invalid(where: string, problems: readonly Problem[]): CliError {
  const n = problems.length;
  return new CliError(`${where}: ${plural(n, "problem")}; nothing was run`, { problems });
}

/** The whole message: a transform error names its cause and location only on the lines after the first. */
function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const [first = "", ...rest] = text.trimEnd().split("\n");
  return [first, ...rest.filter((l) => l.trim() !== "").map((l) => `  ${l.trim()}`)].join("\n");
}

/** What to do about a load error: a top-level await in a CommonJS project has a known fix. */
function loadHint(message: string): string {
  if (/top-level await/i.test(message))
    return 'this project is CommonJS ("type": "commonjs" in package.json): end the file with runCli(p) without await, name it .mts, or set "type": "module"';
  return "fix the error in the pipeline file, then try again";
}

const NO_PIPELINE_HINT = "export it (export default pipeline(...)) or end the file with runCli(yourPipeline)";

async function importPipeline(file: string, choice: string | undefined): Promise<Pipeline> {
  const state: LoadingState = { registered: [] };
  const g = globalThis as Record<symbol, LoadingState | undefined>;
  g[LOADING] = state;
  let module: Record<string, unknown>;
  try {
    const url = pathToFileURL(path.resolve(file)).href;
    if (/\.[mc]?js$/.test(file)) module = (await import(url)) as Record<string, unknown>;
    else {
      const { tsImport } = await import("tsx/esm/api");
      module = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    }
  } catch (error) {
    // The file loaded updraft's DSL, which found the project's zod too old. tsx may have loaded
    // that copy of updraft apart from this one, hence the name and not instanceof.
    if (error instanceof Error && error.name === "ZodVersionError") {
      const hint = (error as { hint?: unknown }).hint;
      throw new CliError(error.message, typeof hint === "string" ? { hint } : {});
    }
    const message = errorMessage(error);
    throw new CliError(`${file} failed to load: ${message}`, {
      hint: loadHint(message),
      cause: error,
    });
  } finally {
    g[LOADING] = undefined;
  }
  return choose(file, module, state.registered, choice);
}

/** The exports of a module compiled to CommonJS (`module.default` holds them all), or null for an ES module. */
function commonJsExports(module: Record<string, unknown>): Record<string, unknown> | null {
  const inner = module.default;
  if (typeof inner !== "object" || inner === null || isPipeline(inner)) return null;
  return Object.values(inner).some(isPipeline) ? (inner as Record<string, unknown>) : null;
}

/**
 * The pipeline a file stands for: the one `--pipeline` names, else its default export, else the one
 * pipeline it declares. Several and no default: list them and ask for `--pipeline ID`.
 */
function choose(
  file: string,
  loaded: Record<string, unknown>,
  registered: readonly Pipeline[],
  choice: string | undefined,
): Pipeline {
  // A .ts file in a CommonJS project is compiled to CommonJS: its exports arrive as `default`.
  const module = commonJsExports(loaded) ?? loaded;
  const all = [module.default, ...registered, ...Object.values(module)].filter(isPipeline);
  const byId = new Map(all.map((p) => [p.id, p]));
  const ids = [...byId.keys()];
  if (choice !== undefined) {
    const chosen = byId.get(choice);
    if (chosen) return chosen;
    throw new CliError(`${file} declares no pipeline "${choice}"`, {
      hint: ids.length ? `${didYouMean(choice, ids)}it declares: ${ids.join(", ")}` : NO_PIPELINE_HINT,
    });
  }
  if (isPipeline(module.default)) return module.default;
  if (ids.length === 0) throw new CliError(`${file} declares no pipeline`, { hint: NO_PIPELINE_HINT });
  if (ids.length > 1)
    throw new CliError(`${file} declares ${ids.length} pipelines and no default export: ${ids.join(", ")}`, {
      hint: `choose one with --pipeline ${ids[0]}, or export the usual one as default`,
    });
  return all[0]!;
}

/** `updraft plan --json` prints `{ plan, params, paramSources }`: either that or a bare Plan is accepted. */
function unwrap(data: unknown): unknown {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return data;
  const keys = Object.keys(data).sort().join(",");
  return ["plan", "params,plan", "paramSources,params,plan"].includes(keys) ? (data as { plan: unknown }).plan : data;
}

/**
 * Load and validate a pipeline file (.ts, .mts, .cts, .js, .mjs, .cjs) or a Plan JSON file;
 * `options.pipeline` picks one pipeline of a file that declares several. With `options.cacheDir`,
 * a Plan JSON file once validated by this build is not validated again (see executors/local/skip/cache/plan-cache.ts).
 *
 * @example
 * ```ts
 * const { plan } = await loadPlan("pipelines/rwkv.ts");
 * ```
 */
export async function loadPlan(
  file: string,
  options: { pipeline?: string; cacheDir?: string } = {},
): Promise<LoadedPlan> {
  if (!existsSync(file))
    throw new CliError(`no such file: ${file}`, { hint: "give the path of a pipeline file (.ts) or a plan (.json)" });
  if (file.endsWith(".json")) {
    const notJson = (message: string) =>
      new CliError(`${file} is not valid JSON: ${firstLine(message)}`, {
        hint: "write the plan with updraft plan --json, or fix the JSON",
      });
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw notJson((error as Error).message);
    }
    const result = cachedPlanFromJson(bytes, options.cacheDir ?? null, (text) => {
      const read = parseJson(text.toString("utf8"));
      if (!read.ok) throw notJson(read.message);
      return unwrap(read.data);
    });
    if (!result.ok) throw invalid(file, result.problems);
    printWarnings(result.warnings);
    return { plan: result.plan, file };
  }
  const pipeline = await importPipeline(file, options.pipeline);
  return { plan: planOrThrow(pipeline, file), file };
}
