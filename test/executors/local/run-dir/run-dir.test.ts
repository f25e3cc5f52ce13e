/**
 * Run directories: sortable run ids, atomic writes, manifests read with clear reasons, and the
 * run a --resume picks by default.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Manifest } from "../../../../src/records/manifest.js";
import { effectiveStatus, findResumeTarget } from "../../../../src/executors/local/run-dir/previous-runs.js";
import {
  listRunIds,
  newRunId,
  readManifest,
  writeFileAtomic,
} from "../../../../src/executors/local/run-dir/run-dir.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import os from "node:os";
import { tempDir } from "../helpers.js";

function readManifestOk(file: string): Manifest {
  const got = readManifest(file);
  if (!got.ok) throw new Error(got.reason);
  return got.value;
}

function write(runsDir: string, runId: string, over: Partial<Manifest>): void {
  const m: Manifest = {
    version: 1,
    runId,
    pipelineId: "p",
    planHash: "h",
    executor: "local",
    params: {},
    git: null,
    user: "u",
    host: os.hostname(),
    pid: null,
    trigger: "manual",
    resumeOf: null,
    selection: { only: [], from: [], force: false },
    start: "2025-01-01T00:00:00.000Z",
    end: null,
    status: "failed",
    stages: [],
    ...over,
  };
  mkdirSync(path.join(runsDir, runId), { recursive: true });
  writeFileSync(path.join(runsDir, runId, "manifest.json"), JSON.stringify(m));
}

describe("run directories", () => {
  it("GIVEN run ids made at increasing times WHEN sorted as text THEN they sort by time", () => {
    const ids = [0, 1, 1000, 86_400_000].map((ms) => newRunId(new Date(Date.UTC(2025, 0, 1) + ms)));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^20250101T000000\.000Z-[0-9a-f]{6}$/);
  });

  it("GIVEN an atomic write WHEN it finishes THEN the file holds the new text and no temp file is left", () => {
    const dir = tempDir();
    const file = path.join(dir, "m.json");
    writeFileAtomic(file, "one");
    writeFileAtomic(file, "two");
    expect(readdirSync(dir)).toEqual(["m.json"]);
    expect(readManifest(file)).toMatchObject({ ok: false, reason: expect.stringContaining("not valid JSON") });
  });

  it("GIVEN failed, successful, interrupted and live runs WHEN --resume picks a run THEN it takes the newest failed, cancelled or interrupted one", () => {
    const runs = tempDir();
    write(runs, "20250101T000001.000Z-aaaaaa", { status: "failed" });
    write(runs, "20250101T000002.000Z-bbbbbb", { status: "running", pid: 2 ** 22 + 12345 });
    write(runs, "20250101T000003.000Z-cccccc", { status: "success" });
    write(runs, "20250101T000004.000Z-dddddd", {
      status: "running",
      pid: process.pid,
      start: new Date().toISOString(),
    });
    write(runs, "20250101T000005.000Z-eeeeee", { status: "failed", pipelineId: "other" });
    expect(listRunIds(runs)).toHaveLength(5);
    expect(findResumeTarget(runs, "p", null).manifest.runId).toBe("20250101T000002.000Z-bbbbbb");
    expect(findResumeTarget(runs, "p", "20250101T000001").manifest.runId).toBe("20250101T000001.000Z-aaaaaa");
    expect(() => findResumeTarget(runs, "p", "20250101T000004.000Z-dddddd")).toThrow(/still running/);
    expect(() => findResumeTarget(runs, "p", "2025")).toThrow(/matches 5 runs/);
    expect(() => findResumeTarget(runs, "q", null)).toThrow(RunSetupError);
  });

  it("GIVEN a running run whose pid now belongs to a younger process WHEN --resume picks a run THEN the run counts as interrupted", () => {
    const runs = tempDir();
    // This test process started after 2001, so it cannot be the runner of a run that started then.
    write(runs, "20010101T000000.000Z-aaaaaa", {
      status: "running",
      pid: process.pid,
      start: "2001-01-01T00:00:00.000Z",
    });
    expect(findResumeTarget(runs, "p", null).manifest.runId).toBe("20010101T000000.000Z-aaaaaa");
    expect(effectiveStatus(readManifestOk(path.join(runs, "20010101T000000.000Z-aaaaaa", "manifest.json")))).toBe(
      "interrupted",
    );
  });

  it("GIVEN a newer corrupt manifest WHEN --resume picks a run THEN it is skipped with a warning", () => {
    const runs = tempDir();
    write(runs, "20250101T000001.000Z-aaaaaa", { status: "cancelled" });
    mkdirSync(path.join(runs, "20250101T000002.000Z-bbbbbb"));
    writeFileSync(path.join(runs, "20250101T000002.000Z-bbbbbb", "manifest.json"), '{"version": 1, "runId"');
    const found = findResumeTarget(runs, "p", null);
    expect(found.manifest.runId).toBe("20250101T000001.000Z-aaaaaa");
    expect(found.warnings).toEqual([
      expect.stringMatching(
        /^skipped run 20250101T000002\.000Z-bbbbbb: its manifest\.json cannot be used: it is not valid JSON/,
      ),
    ]);
  });
});
