/**
 * What can go wrong around a local run, as small named errors. A `RunSetupError` is found before
 * anything runs (the CLI exits 2 with its hint); the others describe how one stage ended.
 */
import { HintedError } from "../../common/errors.js";

/**
 * The run cannot start: a missing secret, no GPU for a GPU stage, an unknown stage name, a bad
 * manifest to resume. Nothing was run.
 *
 * @example
 * ```ts
 * throw new RunSetupError("no GPU found", "give --gpus N or set UPDRAFT_GPUS");
 * ```
 */
export class RunSetupError extends HintedError {
  declare readonly hint: string;
  constructor(message: string, hint: string, options: { cause?: unknown } = {}) {
    super(message, hint, options);
  }
}

/**
 * A stage's working directory does not exist when the stage starts.
 *
 * @example
 * ```ts
 * new MissingCwd("work/run1").message; // "working directory does not exist: work/run1"
 * ```
 */
export class MissingCwd extends Error {
  constructor(readonly path: string) {
    super(`working directory does not exist: ${path}`);
    this.name = "MissingCwd";
  }
}

/**
 * updraft could not write its own records (a run directory, a lock file): the disk is full, the
 * folder is read-only, permission is denied. The message names the path and the cause, the hint
 * the fix; what was written before stays valid (every record is replaced atomically).
 *
 * @example
 * ```ts
 * new StorageError("cannot write /p/.updraft/runs/ID/manifest.json: the disk is full", "free space ...");
 * ```
 */
export class StorageError extends HintedError {
  declare readonly hint: string;
  constructor(message: string, hint: string, options: { cause?: unknown } = {}) {
    super(message, hint, options);
  }
}
