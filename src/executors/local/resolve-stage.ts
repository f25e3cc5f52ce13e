/**
 * A stage of the Plan with its templates filled in: the program to start, its working directory,
 * its own environment, and its input and output paths.
 */
import path from "node:path";
import type { Stage } from "../../plan/schema.js";
import { paramEnvName, renderShell, resolveArgv, resolveTemplate, type ParamValue } from "../../planner/template.js";

/** A path as the stage names it, and where it is. */
export interface StagePath {
  /** As declared, with parameters filled in (relative to the stage's working directory). */
  readonly declared: string;
  readonly absolute: string;
  /** The directory `declared` is relative to (the stage's working directory). */
  readonly base: string;
  /** Relative to the directory the run started in (absolute when outside it): what records store. */
  readonly shown: string;
}

/** What a task stage runs, resolved. */
export interface ResolvedStage {
  readonly file: string;
  readonly args: readonly string[];
  /** The command as data, for the fingerprint. */
  readonly command: { kind: "argv"; argv: string[] } | { kind: "shell"; script: string };
  readonly cwd: StagePath;
  /** The stage's env entries and one `UPDRAFT_PARAM_<NAME>` per parameter (not the parent's env). */
  readonly env: Readonly<Record<string, string>>;
  readonly inputs: readonly StagePath[];
  readonly outputs: readonly StagePath[];
}

function stagePath(declared: string, base: string, root: string): StagePath {
  const absolute = path.resolve(base, declared);
  const rel = path.relative(root, absolute);
  const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel;
  return { declared, absolute, base, shown };
}

/**
 * The last resolution of each stage: the path check before a run and the stage itself ask for the
 * same one, and a plan's stages and a run's values are never changed once made.
 */
const resolutions = new WeakMap<Stage, { values: object; root: string; resolved: ResolvedStage }>();

/**
 * Fill in a stage's templates. `root` is the directory the run started in.
 *
 * @example
 * ```ts
 * resolveStage(plan.stages[0], { who: "Ada" }, process.cwd()).args; // ["-c", "echo \"${UPDRAFT_PARAM_WHO}\""]
 * ```
 */
export function resolveStage(stage: Stage, values: Readonly<Record<string, ParamValue>>, root: string): ResolvedStage {
  const last = resolutions.get(stage);
  if (last !== undefined && last.values === values && last.root === root) return last.resolved;
  const resolved = resolveAnew(stage, values, root);
  resolutions.set(stage, { values, root, resolved });
  return resolved;
}

function resolveAnew(stage: Stage, values: Readonly<Record<string, ParamValue>>, root: string): ResolvedStage {
  const fill = (t: Stage["inputs"][number]) => resolveTemplate(t, values);
  const cwd = stagePath(stage.cwd === null ? "." : fill(stage.cwd), root, root);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) env[paramEnvName(name)] = String(value);
  for (const [name, t] of Object.entries(stage.env)) env[name] = fill(t);
  const c = stage.command;
  let command: ResolvedStage["command"];
  let file: string;
  let args: string[];
  if (c === null) throw new Error(`stage "${stage.id}" has no command`);
  if (c.kind === "argv") {
    const argv = resolveArgv(c.argv, values);
    command = { kind: "argv", argv };
    [file, ...args] = argv as [string, ...string[]];
  } else {
    const script = renderShell(c.script);
    command = { kind: "shell", script };
    file = "bash";
    args = ["-c", script];
  }
  return {
    file,
    args,
    command,
    cwd,
    env,
    inputs: stage.inputs.map((t) => stagePath(fill(t), cwd.absolute, root)),
    outputs: stage.outputs.map((t) => stagePath(fill(t), cwd.absolute, root)),
  };
}
