/**
 * The live status block on a terminal: a line per running stage (attempt, elapsed time, GPUs), a
 * line per stage waiting for a GPU (and for whom), and a done/total line. Event lines scroll above it.
 */
import pc from "picocolors";
import { describeHolders, shortDuration, type RunEvent } from "./events.js";
import type { TextStream } from "./reporter.js";

interface Running {
  attempt: number;
  max: number;
  since: number;
  gpus: readonly number[];
}

const FINAL = new Set(["success", "failed", "upstream_failed", "blocked", "up_to_date", "cancelled", "not_selected"]);

/**
 * Draws and redraws the block below the scrolling lines.
 *
 * @example
 * ```ts
 * const view = new LiveView(process.stderr, true);
 * view.track(event); view.print("a line");
 * view.stop();
 * ```
 */
export class LiveView {
  private readonly running = new Map<string, Running>();
  private readonly waiting = new Map<string, string>();
  /** Stages between attempts: the next attempt number, of how many, and when it starts. */
  private readonly retrying = new Map<string, { next: number; max: number; at: number }>();
  /** The latest `\r` progress update of each running stage (with --verbose). */
  private readonly updates = new Map<string, string>();
  private total = 0;
  private done = 0;
  private drawn = 0;
  private readonly ticker: NodeJS.Timeout;
  private readonly c: ReturnType<typeof pc.createColors>;

  constructor(
    private readonly stream: TextStream,
    colors: boolean,
  ) {
    this.c = pc.createColors(colors);
    this.ticker = setInterval(() => this.redraw([]), 1000);
    this.ticker.unref();
  }

  track(e: RunEvent): void {
    switch (e.type) {
      case "run-start":
        this.total = e.stages;
        this.done = e.notSelected;
        break;
      case "gpu-wait":
        this.waiting.set(e.stage, describeHolders(e.holders));
        break;
      case "attempt-start":
        this.waiting.delete(e.stage);
        this.retrying.delete(e.stage);
        this.running.set(e.stage, { attempt: e.attempt, max: e.max, since: e.at, gpus: e.gpus });
        break;
      case "attempt-end":
        this.running.delete(e.stage);
        this.updates.delete(e.stage);
        if (e.retryInMs !== null)
          this.retrying.set(e.stage, { next: e.attempt + 1, max: e.max, at: e.at + e.retryInMs });
        break;
      case "stage-end":
        this.running.delete(e.stage);
        this.updates.delete(e.stage);
        this.waiting.delete(e.stage);
        this.retrying.delete(e.stage);
        if (FINAL.has(e.status)) this.done++;
        break;
      default:
        break;
    }
  }

  print(line: string): void {
    this.redraw([line]);
  }

  /** Show `text` under the stage's running line until its next update or the end of the attempt. */
  progress(stage: string, text: string): void {
    this.updates.set(stage, text);
    this.redraw([]);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.write(this.erase());
    this.drawn = 0;
  }

  private erase(): string {
    return this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : "";
  }

  private redraw(lines: readonly string[]): void {
    const columns = this.stream.columns || 100;
    // Truncate the text itself: colour codes take no room on the screen.
    const row = (mark: string, text: string) =>
      `  ${mark} ${text.length > columns - 5 ? `${text.slice(0, columns - 6)}…` : text}`;
    const now = Date.now();
    const block: string[] = [];
    for (const [id, r] of this.running) {
      const gpu = r.gpus.length ? `  GPU ${r.gpus.join(",")}` : "";
      block.push(row(this.c.cyan("▶"), `${id}  attempt ${r.attempt}/${r.max}  ${shortDuration(now - r.since)}${gpu}`));
      const update = this.updates.get(id);
      if (update !== undefined) block.push(this.c.dim(row(" ", `[${id}] ${update}`)));
    }
    for (const [id, who] of this.waiting) block.push(row(this.c.yellow("…"), `${id} waiting for a GPU: ${who}`));
    for (const [id, r] of this.retrying)
      block.push(
        row(this.c.yellow("↻"), `${id}  attempt ${r.next}/${r.max} in ${shortDuration(Math.max(0, r.at - now))}`),
      );
    block.push(
      this.c.dim(
        `  ${this.done}/${this.total} done, ${this.running.size} running${this.waiting.size ? `, ${this.waiting.size} waiting for a GPU` : ""}`,
      ),
    );
    this.write(`${this.erase()}${lines.map((l) => `${l}\n`).join("")}${block.join("\n")}\n`);
    this.drawn = block.length;
  }

  private write(text: string): void {
    try {
      this.stream.write(text);
    } catch {
      // The terminal went away; keep running.
    }
  }
}
