/**
 * The end of the failed stage's log, for the report page: what a reader looks at first.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import path from "node:path";
import type { RunView } from "../run-view.js";

/** The last lines of one attempt's log. */
export interface LogTail {
  stage: string;
  attempt: number;
  /** The log file, relative to the run directory. */
  log: string;
  /** The last lines, at most `maxLines`; `truncated` when the file holds more. */
  text: string;
  truncated: boolean;
}

const MAX_BYTES = 64 * 1024;

function readEnd(file: string): { text: string; cut: boolean } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, MAX_BYTES);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    return { text: buf.toString("utf8"), cut: size > length };
  } finally {
    closeSync(fd);
  }
}

/**
 * The tail of the log of the last attempt of a failed run's failed stage; null when the run did not
 * fail, the stage kept no log (a gate), or the file cannot be read.
 *
 * @example
 * ```ts
 * failedLogTail(run)?.text; // "Traceback (most recent call last): ..."
 * ```
 */
export function failedLogTail(run: RunView, maxLines = 40): LogTail | null {
  if (run.status !== "failed" || run.failedStage === null) return null;
  const stage = run.stages.find((s) => s.id === run.failedStage);
  const last = stage?.attempts.findLast((a) => a.log !== null);
  if (!stage || !last?.log) return null;
  try {
    const { text, cut } = readEnd(path.join(run.dir, last.log));
    const lines = text.replace(/\n$/, "").split("\n");
    const kept = lines.slice(cut ? Math.max(1, lines.length - maxLines) : -maxLines);
    return {
      stage: stage.id,
      attempt: last.attempt,
      log: last.log,
      text: kept.join("\n"),
      truncated: cut || lines.length > maxLines,
    };
  } catch {
    return null;
  }
}
