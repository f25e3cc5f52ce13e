/**
 * The stat cache gives the same answers as hashing every time: random sequences of edits,
 * same-content rewrites, touches, deletes, renames, pauses and param changes give the same
 * fingerprints (so the same skip decisions) with a persistent stat cache as without one.
 * Reproducible: the seed is printed, and FC_SEED=<seed> replays a failure.
 */
import { existsSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh, t } from "../../../../src/dsl/template.js";
import { StatCache } from "../../../../src/executors/local/skip/cache/stat-cache.js";
import { FileHasher } from "../../../../src/executors/local/skip/file-hash.js";
import { fingerprint } from "../../../../src/executors/local/skip/fingerprint.js";
import { resolveStage } from "../../../../src/executors/local/resolve-stage.js";
import { planOf, tempDir } from "../helpers.js";

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
        // A short racy window, as a fast local file system allows; the default is longer.
        const stats = StatCache.memory(20);
        for (const o of ops) {
          await apply(dir, o, state);
          const resolved = resolveStage(stage, { n: state.n }, dir);
          const plain = await fingerprint(stage, resolved, { n: state.n }, new FileHasher());
          const cached = await fingerprint(stage, resolved, { n: state.n }, new FileHasher(stats));
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
