/**
 * The stat cache gives the same answers as hashing every time: random sequences of edits,
 * same-content rewrites, touches, deletes, renames, pauses and param changes give the same
 * fingerprints (so the same skip decisions) with a persistent stat cache (saved to stat.jsonl and
 * read back at every step) as without one. Also: what is in stat.jsonl, and what happens to a
 * stat cache of an older updraft or a corrupt one.
 * Reproducible: the seed is printed, and FC_SEED=<seed> replays a failure.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh, t } from "../../../../src/dsl/template.js";
import { STAT_FILE, StatCache } from "../../../../src/executors/local/skip/cache/stat-cache.js";
import { FileHasher, NotRegularFile } from "../../../../src/executors/local/skip/file-hash.js";
import { fingerprint } from "../../../../src/executors/local/skip/fingerprint.js";
import { resolveStage } from "../../../../src/executors/local/resolve-stage.js";
import { planOf, run, tempDir } from "../helpers.js";

const plan = planOf(
  pipeline("props", { params: { n: param.int({ default: 1 }) } }, ({ stage, params: p }) => {
    stage("s", {
      command: sh`cat in.txt data/* > out${p.n}`,
      inputs: ["in.txt", "data", "data/*.txt"],
      outputs: [t`out${p.n}`],
    });
  }),
);
const stage = plan.stages[0]!;

type Op =
  | { op: "edit" | "rewrite"; file: number; text: string }
  | { op: "touch" | "delete"; file: number }
  | { op: "rename"; file: number; to: number }
  | { op: "pause" }
  | { op: "param"; n: number };

const FILES = ["in.txt", "data/a.txt", "data/b.txt", "data/c.bin"];
const file = fc.integer({ min: 0, max: FILES.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("edit" as const), file, text: fc.constantFrom("a", "b", "ab", "ba", "") }),
  fc.record({ op: fc.constant("rewrite" as const), file, text: fc.constant("") }),
  fc.record({ op: fc.constantFrom("touch" as const, "delete" as const), file }),
  fc.record({ op: fc.constant("rename" as const), file, to: file }),
  fc.record({ op: fc.constant("pause" as const) }),
  fc.record({ op: fc.constant("param" as const), n: fc.integer({ min: 1, max: 3 }) }),
);

async function apply(dir: string, o: Op, state: { n: number; contents: Map<number, string> }): Promise<void> {
  const at = (i: number) => path.join(dir, FILES[i]!);
  if (o.op === "edit") (writeFileSync(at(o.file), o.text), state.contents.set(o.file, o.text));
  if (o.op === "rewrite" && existsSync(at(o.file))) writeFileSync(at(o.file), state.contents.get(o.file) ?? "");
  if (o.op === "touch" && existsSync(at(o.file))) utimesSync(at(o.file), new Date(), new Date());
  if (o.op === "delete") rmSync(at(o.file), { force: true });
  if (o.op === "rename" && existsSync(at(o.file)) && o.file !== o.to) {
    renameSync(at(o.file), at(o.to));
    state.contents.set(o.to, state.contents.get(o.file) ?? "");
  }
  if (o.op === "pause") await sleep(40);
  if (o.op === "param") state.n = o.n;
}

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;

describe("the stat cache", () => {
  it("GIVEN random edits, rewrites, touches, deletes, renames and param changes WHEN fingerprints are taken with and without a stat cache THEN they are always equal", async () => {
    console.log(`stat cache property: FC_SEED=${seed}`);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const dir = tempDir();
        mkdirSync(path.join(dir, "data"));
        FILES.forEach((f) => writeFileSync(path.join(dir, f), "a"));
        const state = { n: 1, contents: new Map(FILES.map((_, i) => [i, "a"])) };
        const file = path.join(dir, "cache", STAT_FILE);
        for (const o of ops) {
          await apply(dir, o, state);
          // A short racy window, as a fast local file system allows; the default is longer.
          const stats = StatCache.open(file, 20);
          const resolved = resolveStage(stage, { n: state.n }, dir);
          const plain = await fingerprint(stage, resolved, { n: state.n }, new FileHasher());
          const cached = await fingerprint(stage, resolved, { n: state.n }, new FileHasher(stats));
          stats.save();
          expect(stats.warnings).toEqual([]);
          expect(cached.fp).toBe(plain.fp);
        }
      }),
      { seed, numRuns: 40 },
    );
  });

  it("GIVEN a file hashed well after it last changed WHEN it is hashed again by a new run THEN it is not read again", async () => {
    const dir = tempDir();
    const big = path.join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(1024 * 1024, 7));
    await sleep(50);
    const stats = StatCache.memory(20);
    const first = new FileHasher(stats);
    const second = new FileHasher(stats);
    const a = await first.hash(big);
    expect(await second.hash(big)).toEqual(a);
    expect([first.filesRead, second.filesRead]).toEqual([1, 0]);
  });
});

/** The sha256 of a file's bytes. */
const sha = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** The header line and the directories' entries of a stat cache file. */
function readStatFile(file: string): { head: unknown; dirs: Record<string, unknown[]> } {
  const [head, ...lines] = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  const dirs = lines.map((l) => [JSON.parse(l.slice(0, l.indexOf("\t"))), JSON.parse(l.slice(l.indexOf("\t") + 1))]);
  return { head: JSON.parse(head!), dirs: Object.fromEntries(dirs) as Record<string, unknown[]> };
}

/** A stat cache file's text: a header line, then a line per directory. */
const statText = (head: unknown, dirs: Record<string, unknown[]>) =>
  [JSON.stringify(head), ...Object.entries(dirs).map(([d, e]) => `${JSON.stringify(d)}\t${JSON.stringify(e)}`)]
    .map((l) => `${l}\n`)
    .join("");

const HEAD = { kind: "updraft-stat-cache", v: 3 };

describe("stat.jsonl", () => {
  /** A directory with a file hashed long enough after it changed that the cache trusts it. */
  async function trusted(): Promise<{ dir: string; file: string; cache: string }> {
    const dir = tempDir();
    mkdirSync(path.join(dir, "data"));
    writeFileSync(path.join(dir, "data", "a.txt"), "a");
    await sleep(50);
    const cache = path.join(dir, STAT_FILE);
    const stats = StatCache.open(cache, 20);
    await new FileHasher(stats).hash(path.join(dir, "data"));
    stats.save();
    return { dir, file: path.join(dir, "data", "a.txt"), cache };
  }

  it("GIVEN a directory whose names are not all UTF-8, and a link, WHEN hashed THEN the hash covers each file's hash and relative bytes in byte order, as before stat.json version 2", async () => {
    const dir = tempDir();
    const names = [Buffer.from("b.txt"), Buffer.from([0x66, 0xff, 0xfe]), Buffer.from("é.txt"), Buffer.from("A")];
    mkdirSync(path.join(dir, "d", "sub"), { recursive: true });
    names.forEach((n, i) => writeFileSync(Buffer.concat([Buffer.from(path.join(dir, "d", "sub") + "/"), n]), `${i}`));
    writeFileSync(path.join(dir, "d", "top"), "top");
    symlinkSync("top", path.join(dir, "d", "link"));
    const expected = createHash("sha256");
    expected.update("link top  link\n");
    const inSub = [...names.keys()].sort((a, b) => Buffer.compare(names[a]!, names[b]!));
    for (const i of inSub)
      expected
        .update(`${sha(String(i))}  sub/`)
        .update(names[i]!)
        .update("\n");
    expected.update(`${sha("top")}  top\n`);
    // Hashed 50 ms after the writes, so that the entries are trusted when read back.
    await sleep(50);
    const stats = StatCache.open(path.join(dir, STAT_FILE), 20);
    const got = await new FileHasher(stats).hash(path.join(dir, "d"));
    expect(got).toEqual({ size: 1 + 1 + 1 + 1 + 3, sha256: expected.digest("hex") });
    stats.save();
    // Read back from the file, the same hash, now without reading a file.
    const again = new FileHasher(StatCache.open(path.join(dir, STAT_FILE), 0));
    expect(await again.hash(path.join(dir, "d"))).toEqual(got);
    expect(again.filesRead).toBe(0);
  });

  it("GIVEN a hashed directory WHEN the file is read THEN a header line, then a line per directory: its name, a tab, and its entries with names relative to it, numbers as numbers", async () => {
    const { dir, cache } = await trusted();
    const { head, dirs } = readStatFile(cache);
    expect(head).toEqual(HEAD);
    expect(Object.keys(dirs)).toEqual([`${path.join(dir, "data")}/`]);
    const entries = dirs[`${path.join(dir, "data")}/`]!;
    expect(entries).toHaveLength(8);
    expect(entries[0]).toBe("a.txt");
    expect(entries.slice(1, 6).every((x) => typeof x === "number")).toBe(true);
    expect(entries[6]).toBe(sha("a"));
  });

  it("GIVEN two directories WHEN a run looks up only one and adds a file to it THEN the other's line is written back byte for byte, and both still answer", async () => {
    const { dir, cache } = await trusted();
    mkdirSync(path.join(dir, "other"));
    writeFileSync(path.join(dir, "other", "o.txt"), "o");
    await sleep(50);
    const both = StatCache.open(cache, 20);
    await new FileHasher(both).hash(path.join(dir, "other"));
    both.save();
    const otherLine = readFileSync(cache, "utf8").split("\n")[2]!;
    writeFileSync(path.join(dir, "data", "b.txt"), "b");
    await sleep(50);
    const one = StatCache.open(cache, 20);
    await new FileHasher(one).hash(path.join(dir, "data"));
    one.save();
    expect(readFileSync(cache, "utf8").split("\n")).toContain(otherLine);
    const hasher = new FileHasher(StatCache.open(cache, 20));
    await hasher.hash(path.join(dir, "data"));
    await hasher.hash(path.join(dir, "other"));
    expect(hasher.filesRead).toBe(0);
  });

  it.each([
    ["version 1", { kind: "updraft-stat-cache", v: 1, entries: {} }],
    ["version 2", { kind: "updraft-stat-cache", v: 2, dirs: {} }],
  ])(
    "GIVEN a stat cache of %s WHEN opened THEN it is ignored without a warning, files are read again and it is rewritten as version 3",
    async (_, old) => {
      const { file, cache } = await trusted();
      writeFileSync(cache, JSON.stringify(old));
      const stats = StatCache.open(cache, 20);
      const hasher = new FileHasher(stats);
      expect(await hasher.hash(file)).toEqual({ size: 1, sha256: sha("a") });
      expect([stats.warnings, hasher.filesRead]).toEqual([[], 1]);
      stats.save();
      expect(readStatFile(cache).head).toEqual(HEAD);
    },
  );

  it("GIVEN the stat.json an older updraft kept beside it WHEN the new file is written THEN the old one is removed", async () => {
    const { dir, cache } = await trusted();
    const old = path.join(dir, "stat.json");
    writeFileSync(old, JSON.stringify({ kind: "updraft-stat-cache", v: 2, dirs: {} }));
    const stats = StatCache.open(cache, 20);
    writeFileSync(path.join(dir, "data", "b.txt"), "b");
    await new FileHasher(stats).hash(path.join(dir, "data"));
    stats.save();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(cache)).toBe(true);
  });

  it.each([
    ["not JSON", () => "{"],
    ["null", () => "null"],
    ["of a newer version", (e: unknown[]) => statText({ ...HEAD, v: 4 }, { d: e })],
    ["another kind", () => statText({ ...HEAD, kind: "something" }, {})],
    ["a line without a tab", (e: unknown[]) => statText(HEAD, { d: e }).replace("\t", " ")],
    ["a directory that is not a string", (e: unknown[]) => statText(HEAD, { d: e }).replace('"d"', "7")],
    ["a truncated line", (e: unknown[]) => statText(HEAD, { d: e }).slice(0, -30)],
    ["a short entry", (e: unknown[]) => statText(HEAD, { d: e.slice(1) })],
    ["a time as a string", (e: unknown[]) => statText(HEAD, { d: e.map((x, i) => (i === 4 ? String(x) : x)) })],
    [
      "a hash that is not hex",
      (e: unknown[]) => statText(HEAD, { d: e.map((x, i) => (i === 6 ? "z".repeat(64) : x)) }),
    ],
  ])(
    "GIVEN a corrupt stat cache (%s) WHEN opened THEN nothing in it is trusted, a warning says so and it is rewritten",
    async (_, corrupt) => {
      const { dir, file, cache } = await trusted();
      const entries = readStatFile(cache).dirs[`${path.join(dir, "data")}/`]!;
      // The other fields still match the file: a loader that trusted what it could parse would answer "wrong".
      const text = corrupt(entries.map((x, i) => (i === 6 ? "0".repeat(64) : x))).replace(
        '"d"',
        JSON.stringify(`${path.join(dir, "data")}/`),
      );
      writeFileSync(cache, text);
      const stats = StatCache.open(cache, 20);
      const hasher = new FileHasher(stats);
      expect(await hasher.hash(file)).toEqual({ size: 1, sha256: sha("a") });
      expect(hasher.filesRead).toBe(1);
      expect(stats.warnings).toEqual([
        expect.stringMatching(
          /^ignored the stat cache .*stat\.jsonl: .*; (its )?files are hashed again and it is rewritten$/,
        ),
      ]);
      stats.save();
      expect(StatCache.open(cache, 20).warnings).toEqual([]);
    },
  );

  it("GIVEN a corrupt line for the directory a run reads WHEN the run looks it up THEN the run prints the warning, reads the files again and the cache is rewritten", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "data"));
    writeFileSync(path.join(dir, "data", "a.txt"), "a");
    const reads = planOf(
      pipeline("reads", {}, ({ stage }) => {
        stage("s", { command: sh`cat data/a.txt > out`, inputs: ["data"], outputs: ["out"] });
      }),
    );
    await run(reads, dir);
    const cache = path.join(dir, "cache", STAT_FILE);
    const key = `${path.join(dir, "data")}/`;
    writeFileSync(cache, statText(HEAD, { [key]: ["a.txt", 1, 2] }));
    let printed = "";
    const m = await run(reads, dir, {}, { output: "plain", stream: { write: (text: string) => (printed += text) } });
    expect(m.stages[0]!.status).toBe("up_to_date");
    expect(printed).toContain(`ignored the stat cache ${cache}: bad entries for ${JSON.stringify(key)}`);
    expect(readStatFile(cache).dirs[key]).toHaveLength(8);
  });

  it("GIVEN entries of two files, one since deleted, WHEN pruned (gc --cache) THEN only the deleted file's entry goes", async () => {
    const { dir, cache } = await trusted();
    writeFileSync(path.join(dir, "data", "b.txt"), "b");
    await sleep(50);
    const first = StatCache.open(cache, 20);
    await new FileHasher(first).hash(path.join(dir, "data"));
    first.save();
    rmSync(path.join(dir, "data", "b.txt"));
    const stats = StatCache.open(cache, 20);
    expect(stats.prune((f) => existsSync(Buffer.from(f, "latin1")))).toBe(1);
    stats.save();
    const { dirs } = readStatFile(cache);
    expect(dirs[`${path.join(dir, "data")}/`]![0]).toBe("a.txt");
    expect(dirs[`${path.join(dir, "data")}/`]).toHaveLength(8);
    const hasher = new FileHasher(StatCache.open(cache, 20));
    expect(await hasher.hash(path.join(dir, "data", "a.txt"))).toEqual({ size: 1, sha256: sha("a") });
    expect(hasher.filesRead).toBe(0);
  });
});

describe("directory hashes", () => {
  it("GIVEN a directory holding a FIFO WHEN it is hashed THEN NotRegularFile names the FIFO, without opening it", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "d"));
    writeFileSync(path.join(dir, "d", "a.txt"), "a");
    execFileSync("mkfifo", [path.join(dir, "d", "pipe")]);
    const error = await new FileHasher(StatCache.memory()).hash(path.join(dir, "d")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotRegularFile);
    expect((error as NotRegularFile).file).toBe(path.join(dir, "d", "pipe"));
    expect((error as NotRegularFile).what).toBe("a FIFO (named pipe)");
  });
});
