/**
 * The run cache, kept apart from run directories (`.updraft/cache/`, which `gc --keep` never
 * touches): every successful execution of a stage, filed under its fingerprint with the hashes of
 * the outputs it wrote (`runs/<fp[0:2]>/<fp>/<outputs-hash>.json`), and the fingerprint details of
 * each stage's latest execution (`last/<pipeline>/<stage>.json`) for "why does this run?". Entries
 * are written atomically; one that is corrupt or foreign is ignored with a warning, never trusted.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import * as z from "../../../../common/zod.js";
import { readJsonFile } from "../../../../common/json-file.js";
import { canonicalJson, sha256 } from "../../../../planner/hash.js";
import { OutputRecordSchema, type OutputRecord } from "../../../../records/manifest.js";
import { writeJsonAtomic } from "./atomic.js";
import { OutputStore } from "./output-store.js";

const EntrySchema = z.object({
  kind: z.literal("updraft-run-cache"),
  v: z.literal(1),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  pipeline: z.string(),
  stage: z.string(),
  runId: z.string(),
  at: z.string(),
  /** The directory the run started in: output paths are relative to it. */
  root: z.string(),
  outputs: z.array(OutputRecordSchema),
});

const LastSchema = z.object({
  kind: z.literal("updraft-last-run"),
  v: z.literal(1),
  fingerprint: z.string(),
  runId: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** One recorded successful execution. */
export type CacheEntry = z.output<typeof EntrySchema>;
/** The latest execution of a stage: what its fingerprint was made of. */
export type LastRun = z.output<typeof LastSchema>;

const name = (s: string) => encodeURIComponent(s);

/**
 * The run cache under `dir`.
 *
 * @example
 * ```ts
 * const cache = new RunCache(".updraft/cache");
 * cache.entries(fp); // newest first
 * ```
 */
export class RunCache {
  /** Entries ignored as corrupt or foreign; the caller shows them as warnings. */
  readonly warnings: string[] = [];

  /** Outputs kept by content for stages with `cache: true` (`objects/`); see output-store.ts. */
  readonly store: OutputStore;

  /** The fingerprint in each `last` file this run read or wrote (null: none), so it is read once. */
  private readonly lastFingerprint = new Map<string, string | null>();

  constructor(readonly dir: string) {
    this.store = new OutputStore(path.join(dir, "objects"), this.warnings);
  }

  private fpDir(fp: string): string {
    return path.join(this.dir, "runs", fp.slice(0, 2), fp);
  }

  /** The valid entries recorded for fingerprint `fp`, newest first. */
  entries(fp: string): CacheEntry[] {
    let files: string[];
    try {
      files = readdirSync(this.fpDir(fp)).filter((f) => f.endsWith(".json"));
    } catch {
      return [];
    }
    const found: CacheEntry[] = [];
    for (const f of files) {
      const file = path.join(this.fpDir(fp), f);
      const got = readJson(file, EntrySchema);
      if (!got.ok) this.warnings.push(`ignored run cache entry ${file}: ${got.reason}`);
      else if (got.value.fingerprint !== fp)
        this.warnings.push(`ignored run cache entry ${file}: it is filed under another fingerprint`);
      else found.push(got.value);
    }
    return found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }

  /** Record a successful execution. */
  record(entry: Omit<CacheEntry, "kind" | "v" | "at">): void {
    const outputsKey = sha256(canonicalJson(entry.outputs.map((o: OutputRecord) => [o.path, o.sha256]))).slice(0, 24);
    const file = path.join(this.fpDir(entry.fingerprint), `${outputsKey}.json`);
    writeJsonAtomic(file, { kind: "updraft-run-cache", v: 1, at: new Date().toISOString(), ...entry });
  }

  /** The latest execution of `stage` of `pipeline`, or null. */
  last(pipeline: string, stage: string): LastRun | null {
    const file = path.join(this.dir, "last", name(pipeline), `${name(stage)}.json`);
    const got = readJson(file, LastSchema);
    this.lastFingerprint.set(file, got.ok ? got.value.fingerprint : null);
    if (got.ok) return got.value;
    if (got.reason !== "missing") this.warnings.push(`ignored ${file}: ${got.reason}`);
    return null;
  }

  /**
   * The fingerprint a `last` file holds, without validating the rest: a file that holds this run's
   * fingerprint is left as it is (a broken one is reported, and rewritten, when `last` reads it).
   */
  private lastFingerprintOf(file: string): string | null {
    const read = readJsonFile(file);
    const fp = read.ok ? (read.data as { fingerprint?: unknown } | null)?.fingerprint : null;
    return typeof fp === "string" ? fp : null;
  }

  /**
   * Remember what the latest execution of `stage` was made of. Unchanged when the recorded one has
   * the same fingerprint (a stage found up to date), so a no-op run writes nothing here.
   */
  setLast(pipeline: string, stage: string, run: Omit<LastRun, "kind" | "v">): void {
    const file = path.join(this.dir, "last", name(pipeline), `${name(stage)}.json`);
    const known = this.lastFingerprint.has(file) ? this.lastFingerprint.get(file) : this.lastFingerprintOf(file);
    if (known === run.fingerprint) return;
    writeJsonAtomic(file, { kind: "updraft-last-run", v: 1, ...run });
    this.lastFingerprint.set(file, run.fingerprint);
  }

  /** Every entry file with its parsed content (null when unusable), for gc. */
  allEntries(): { file: string; entry: CacheEntry | null }[] {
    const out: { file: string; entry: CacheEntry | null }[] = [];
    const list = (d: string) => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    };
    for (const a of list(path.join(this.dir, "runs")))
      for (const fp of list(path.join(this.dir, "runs", a)))
        for (const f of list(path.join(this.dir, "runs", a, fp))) {
          const file = path.join(this.dir, "runs", a, fp, f);
          const got = readJson(file, EntrySchema);
          out.push({ file, entry: got.ok && got.value.fingerprint === fp ? got.value : null });
        }
    return out;
  }
}

type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

function readJson<T>(file: string, schema: z.ZodType<T>): Read<T> {
  const read = readJsonFile(file);
  if (!read.ok)
    return { ok: false, reason: read.failure === "invalid" ? "not valid JSON (a torn or foreign file)" : "missing" };
  const parsed = schema.safeParse(read.data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: "not an updraft run cache record" };
}
