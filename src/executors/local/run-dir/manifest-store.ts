/**
 * The live manifest of a run and its writer. Every state change is applied to the in-memory
 * manifest and written atomically; changes made close together share one write (a long chain of
 * quick stages would otherwise spend its time rewriting the file), and writes happen off the
 * event loop, so stages keep starting while the disk syncs. A change is announced (printed) only
 * after the write that records it: whatever the user has seen is on disk, and a `kill -9` at any
 * moment leaves a manifest that is true, if a few milliseconds behind.
 */
import type { Manifest, StageRecord } from "../../../records/manifest.js";
import { writeFileAtomic, writeFileAtomicAsync } from "./run-dir.js";

const NEXT_FIRST = Buffer.from("\n    ");
const NEXT = Buffer.from(",\n    ");
const END = Buffer.from("\n  ]\n}\n");

/** Options of the writer. */
export interface StoreOptions {
  /** Least time between two writes; changes within it are written together. */
  readonly minGapMs?: number;
}

/**
 * Holds the manifest being written and writes it on change.
 *
 * @example
 * ```ts
 * const store = new ManifestStore("run/manifest.json", manifest, (events) => events.forEach(print));
 * store.flush(); // before anything runs
 * store.change("train", (s) => { s.status = "running"; }, { type: "started" });
 * await store.close(); // at the end of the run
 * ```
 */
export class ManifestStore<E> {
  private readonly byId = new Map<string, StageRecord>();
  private readonly cache = new Map<string, Buffer>();
  private readonly dirty = new Set<string>();
  private changed = true;
  private pending: E[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private lastWriteEnd = 0;
  private lastWriteMs = 0;
  private readonly minGapMs: number;
  /** Number of writes so far (for benchmarks and tests). */
  writes = 0;

  constructor(
    private readonly file: string,
    readonly manifest: Manifest,
    private readonly announce: (events: readonly E[]) => void,
    options: StoreOptions = {},
  ) {
    this.minGapMs = options.minGapMs ?? 50;
    for (const stage of manifest.stages) {
      this.byId.set(stage.id, stage);
      this.dirty.add(stage.id);
    }
  }

  /** The record of stage `id`. Change it only through `change`. */
  stage(id: string): StageRecord {
    const record = this.byId.get(id);
    if (!record) throw new Error(`no stage "${id}" in the manifest`);
    return record;
  }

  /** Change stage `id` (or the run, when `id` is null) and queue `events` to announce once written. */
  change(id: string | null, mutate: (stage: StageRecord, manifest: Manifest) => void, ...events: E[]): void {
    if (id === null) mutate(undefined as never, this.manifest);
    else {
      mutate(this.stage(id), this.manifest);
      this.dirty.add(id);
    }
    this.changed = true;
    this.pending.push(...events);
    this.schedule();
  }

  /** Queue events that change nothing in the manifest, to be announced in order with the rest. */
  announceLater(...events: E[]): void {
    // With nothing unwritten before them, there is nothing to wait for.
    if (!this.changed && this.pending.length === 0 && this.writing === null) {
      this.announce(events);
      return;
    }
    this.pending.push(...events);
    this.schedule();
  }

  /** Write now, synchronously, then announce what was queued (no write may be in flight). */
  flush(): void {
    if (this.writing) throw new Error("a manifest write is in flight; await close() instead");
    this.cancelTimer();
    const events = this.take();
    writeFileAtomic(this.file, this.serialize());
    this.writes++;
    if (events.length > 0) this.announce(events);
  }

  /**
   * Finish: wait for a write in flight, then write the whole manifest once more. A write in flight
   * that failed has kept its changes for this one; only this write's failure is reported, and no
   * write is left scheduled after it, so the file on disk never changes once close has settled.
   */
  async close(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
    this.cancelTimer();
    this.flush();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private take(): E[] {
    const events = this.pending;
    this.pending = [];
    this.changed = false;
    return events;
  }

  private schedule(): void {
    if (this.timer || this.writing) return;
    // Keep writing to a small share of the time, however large the manifest grows.
    const gap = Math.max(this.minGapMs, 4 * this.lastWriteMs);
    const wait = Math.max(0, this.lastWriteEnd + gap - performance.now());
    this.timer = setTimeout(() => void this.writeInBackground(), wait);
  }

  private async writeInBackground(): Promise<void> {
    this.timer = null;
    const started = performance.now();
    const events = this.take();
    const parts = this.serialize();
    this.writing = writeFileAtomicAsync(this.file, parts);
    let failed = false;
    try {
      await this.writing;
      this.writes++;
    } catch {
      // A full or failing disk: keep everything for the next write (close() reports the error).
      failed = true;
      this.changed = true;
      this.pending = [...events, ...this.pending];
    } finally {
      this.writing = null;
      this.lastWriteEnd = performance.now();
      this.lastWriteMs = Math.max(this.lastWriteEnd - started, failed ? 250 : 0);
    }
    if (!failed && events.length > 0) this.announce(events);
    if (this.changed || this.pending.length > 0) this.schedule();
  }

  /**
   * The manifest as JSON, in pieces: run fields indented, then one line per stage. Only changed
   * stages are encoded again, so a write of a large manifest allocates little.
   */
  private serialize(): Buffer[] {
    for (const id of this.dirty) this.cache.set(id, Buffer.from(JSON.stringify(this.byId.get(id))));
    this.dirty.clear();
    const { stages, ...run } = this.manifest;
    const head = JSON.stringify(run, null, 2).replace(/\n}$/, "");
    const parts: Buffer[] = [Buffer.from(`${head},\n  "stages": [`)];
    stages.forEach((s, i) =>
      parts.push(i === 0 ? NEXT_FIRST : NEXT, this.cache.get(s.id) ?? Buffer.from(JSON.stringify(s))),
    );
    parts.push(END);
    return parts;
  }
}
