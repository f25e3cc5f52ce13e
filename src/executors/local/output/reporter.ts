/**
 * How a run shows itself: a live status on a terminal, timestamped lines elsewhere (CI, pipes),
 * nothing but the outcome with `quiet`, stage output prefixed with `[stage]` with `verbose` (its `\r`
 * progress updates live: in the status block on a terminal, a line a second elsewhere).
 */
import pc from "picocolors";
import type { StageRecord } from "../../../records/manifest.js";
import { eventText, type RunEvent } from "./events.js";
import { LiveView } from "./live-view.js";
import { summarize } from "./summary.js";

/** Output modes: `auto` picks `tty` when the stream is a terminal, else `plain`. */
export type OutputMode = "auto" | "tty" | "plain" | "quiet" | "silent";

/** Receives every event of a run. */
export interface Reporter {
  event(e: RunEvent): void;
  close(): void;
}

/**
 * Where a run's text goes: `process.stderr`, a file stream, anything with `write`. Declared here
 * rather than as Node's stream type, so that the package's types need no `@types/node`.
 */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Where and how to report. */
export interface ReporterOptions {
  readonly mode: OutputMode;
  readonly verbose: boolean;
  /** Print why each stage that starts runs (`run --explain`; implied by verbose). */
  readonly explain?: boolean;
  /** Progress goes here (default: stderr). */
  readonly stream?: TextStream;
  /** The final summary goes here (default: stdout). */
  readonly summaryStream?: TextStream;
}

/** Plain output prints a stage's `\r` progress updates this far apart at most. */
const PROGRESS_EVERY_MS = 1000;

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

function painter(enabled: boolean): (status: StageRecord["status"], text: string) => string {
  const c = pc.createColors(enabled);
  return (status, text) => {
    if (status === "success" || status === "up_to_date") return c.green(text);
    if (status === "failed" || status === "blocked" || status === "upstream_failed") return c.red(text);
    if (status === "cancelled") return c.yellow(text);
    return c.dim(text);
  };
}

function safeWrite(stream: TextStream, text: string): void {
  try {
    stream.write(text);
  } catch {
    // A closed terminal or pipe must not stop the run.
  }
}

/**
 * A reporter for `options.mode`.
 *
 * @example
 * ```ts
 * const reporter = createReporter({ mode: "auto", verbose: false });
 * ```
 */
export function createReporter(options: ReporterOptions): Reporter {
  const stream = options.stream ?? process.stderr;
  const out = options.summaryStream ?? process.stdout;
  // A reader that went away (`updraft run ... | head`) must not stop the run: its stages go on.
  for (const s of [stream, out]) (s as { on?: (event: string, f: () => void) => void }).on?.("error", () => undefined);
  const tty = options.mode === "tty" || (options.mode === "auto" && stream.isTTY === true);
  const mode = options.mode === "auto" ? (tty ? "tty" : "plain") : options.mode;
  if (mode === "silent") return { event: () => undefined, close: () => undefined };
  const colors = tty && !process.env.NO_COLOR;
  const live = mode === "tty" ? new LiveView(stream, colors) : null;
  const progressShown = new Map<string, number>();
  const print = (line: string) => (live ? live.print(line) : safeWrite(stream, `${line}\n`));
  return {
    event(e) {
      live?.track(e);
      if (e.type === "run-end") {
        live?.stop();
        const { details, outcome } = summarize(
          e.manifest,
          e.runDir,
          painter(colors && (out as { isTTY?: boolean }).isTTY === true),
        );
        safeWrite(out, `${(mode === "quiet" ? outcome : [...details, "", ...outcome]).join("\n")}\n`);
        return;
      }
      if (mode === "quiet" || (e.type === "output" && !options.verbose)) return;
      if (e.type === "why" && !options.verbose && !options.explain) return;
      if (e.type === "output" && e.progress) {
        // A terminal shows the latest update in the live block; elsewhere one line a second at most.
        if (live) return live.progress(e.stage, e.line);
        if (e.at - (progressShown.get(e.stage) ?? -Infinity) < PROGRESS_EVERY_MS) return;
        progressShown.set(e.stage, e.at);
      }
      const text = eventText(e);
      if (text !== null) print(mode === "plain" ? `${clock(e.at)} ${text}` : text);
    },
    close() {
      live?.stop();
    },
  };
}
