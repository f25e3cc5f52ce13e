/**
 * The manifest writer: changes close together share one write, a change is announced only after
 * the write that records it, and the file always parses as a manifest.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ManifestSchema, type Manifest } from "../../../../src/records/manifest.js";
import { ManifestStore } from "../../../../src/executors/local/run-dir/manifest-store.js";
import { tempDir } from "../helpers.js";

function manifest(n: number): Manifest {
  return {
    version: 1,
    runId: "r",
    pipelineId: "p",
    planHash: "h",
    executor: "local",
    params: { who: '"quoted"\n' },
    git: null,
    user: "u",
    host: "h",
    pid: 1,
    trigger: "manual",
    resumeOf: null,
    selection: { only: [], from: [], force: false },
    start: new Date(0).toISOString(),
    end: null,
    status: "running",
    stages: Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      kind: "task" as const,
      status: "pending" as const,
      reason: null,
      attempts: [],
      outputs: [],
      gate: null,
      fingerprint: null,
      inputs: [],
    })),
  };
}

const onDisk = (file: string) => ManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));

describe("ManifestStore", () => {
  it("GIVEN many changes in one tick WHEN they are made THEN one background write records them all, and events come after it", async () => {
    const file = path.join(tempDir(), "manifest.json");
    const seen: { events: string[]; statuses: string[] }[] = [];
    const store = new ManifestStore<string>(file, manifest(100), (events) =>
      seen.push({ events: [...events], statuses: onDisk(file).stages.map((s) => s.status) }),
    );
    store.flush();
    for (let i = 0; i < 100; i++)
      store.change(
        `s${i}`,
        (s) => {
          s.status = "success";
        },
        `done ${i}`,
      );
    expect(store.writes).toBe(1);
    // Wait for the background write however long a busy disk takes (up to 10 s), not a fixed 150 ms.
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(store.writes).toBe(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.events).toHaveLength(100);
    expect(seen[0]!.statuses.every((s) => s === "success")).toBe(true);
  });

  it("GIVEN changes spread over time WHEN each is announced THEN the file on disk already holds it", async () => {
    const file = path.join(tempDir(), "manifest.json");
    const checks: boolean[] = [];
    const store = new ManifestStore<number>(
      file,
      manifest(5),
      (events) => {
        for (const i of events) checks.push(onDisk(file).stages[i]!.status === "running");
      },
      { minGapMs: 5 },
    );
    for (let i = 0; i < 5; i++) {
      store.change(
        `s${i}`,
        (s) => {
          s.status = "running";
        },
        i,
      );
      await new Promise((r) => setTimeout(r, 8));
    }
    await store.close();
    expect(checks).toEqual([true, true, true, true, true]);
    expect(onDisk(file)).toEqual(store.manifest);
  });

  it("GIVEN a write that keeps the disk busy WHEN changes go on THEN they wait for the next write, none is lost", async () => {
    const file = path.join(tempDir(), "manifest.json");
    const announced: number[] = [];
    const store = new ManifestStore<number>(file, manifest(50), (events) => announced.push(...events), { minGapMs: 0 });
    store.flush();
    for (let i = 0; i < 50; i++) {
      store.change(
        `s${i}`,
        (s) => {
          s.status = "success";
        },
        i,
      );
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    await store.close();
    expect(announced).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(onDisk(file).stages.every((s) => s.status === "success")).toBe(true);
  });

  it("GIVEN nothing pending WHEN an event without a change is announced THEN it is delivered at once", () => {
    const file = path.join(tempDir(), "manifest.json");
    const got: string[] = [];
    const store = new ManifestStore<string>(file, manifest(1), (events) => got.push(...events));
    store.flush();
    store.announceLater("line");
    expect(got).toEqual(["line"]);
  });
  it("GIVEN a background write that fails while the store closes WHEN it closes THEN it writes the final state itself, and nothing is written after", async () => {
    const file = path.join(tempDir(), "manifest.json");
    const store = new ManifestStore<string>(file, manifest(1), () => undefined, { minGapMs: 0 });
    store.flush();
    // The next background write opens this FIFO and waits for a reader; fsync on a FIFO then fails.
    const tmp = `${file}.tmp-${process.pid}`;
    execFileSync("mkfifo", [tmp]);
    store.change("s0", (s) => {
      s.status = "running";
    });
    await sleep(50);
    store.change(null, (_, m) => {
      m.status = "success";
    });
    const closing = store.close();
    await readFile(tmp);
    await closing;
    expect(onDisk(file).status).toBe("success");
    const writes = store.writes;
    // A write the failed one scheduled would come after its retry gap (at least 1 s).
    await sleep(1300);
    expect(store.writes).toBe(writes);
    expect(onDisk(file).stages[0]!.status).toBe("running");
  });
});
