/**
 * A full disk or a read-only runs folder, for real (a small tmpfs, mounted as root): a clear error
 * naming the path and the cause, never a stack trace; no half-written file left; resume works
 * once there is space again.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cli, cliEnv, FIXTURES, tempDir } from "../helpers.js";

const root = process.getuid?.() === 0;
const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync("umount", ["-l", dir]);
});

function tmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  mounted.push(dir);
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}

const FILLER = path.join(FIXTURES, "disk-filler.ts");

describe.skipIf(!root)("disks that refuse writes", () => {
  it("GIVEN a full disk under the runs dir WHEN a run starts THEN it says which path and that the disk is full, and leaves nothing behind", async () => {
    const dir = tempDir();
    const runs = path.join(dir, "runs");
    tmpfs(runs, "size=64k");
    try {
      writeFileSync(path.join(runs, "fill"), Buffer.alloc(1024 * 1024));
    } catch {
      // Full now.
    }
    const r = await cli(["run", FILLER], dir, cliEnv(dir));
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(new RegExp(`cannot write ${runs}/\\S+: the disk is full`));
    expect(r.output).toContain("free space on the disk holding");
    expect(r.output).not.toMatch(/internal error|ENOSPC|    at /);
    expect(files(runs).filter((f) => f !== "fill" && !f.startsWith(".locks"))).toEqual([]);
    expect(files(runs).filter((f) => f.includes(".tmp") || /\.lock\.\d+\./.test(f))).toEqual([]);
  });

  it("GIVEN a disk that fills during a run WHEN the run ends THEN it names the manifest and the cause, keeps the last whole manifest, and resume finishes the run once there is space", async () => {
    const dir = tempDir();
    const runs = path.join(dir, "runs");
    tmpfs(runs, "size=256k");
    const r = await cli(["run", FILLER], dir, cliEnv(dir));
    expect(r.code, r.output).toBe(1);
    const runId = readdirSync(runs).find((n) => /^\d{8}T/.test(n))!;
    expect(r.output).toContain(`cannot write ${path.join(runs, runId, "manifest.json")}: the disk is full`);
    expect(r.output).toContain(`updraft run --resume ${runId}`);
    expect(r.output).not.toMatch(/internal error|    at /);
    expect(files(runs).filter((f) => f.includes(".tmp"))).toEqual([]);
    JSON.parse(execFileSync("cat", [path.join(runs, runId, "manifest.json")]).toString());
    rmSync(path.join(runs, "fill"));
    const resumed = await cli(["run", "--resume", runId], dir, cliEnv(dir));
    expect(resumed.code, resumed.output).toBe(0);
  });

  it("GIVEN a read-only runs folder WHEN a run starts THEN it says the file system is read-only and names the folder", async () => {
    const dir = tempDir();
    const ro = path.join(dir, "ro");
    tmpfs(ro, "size=64k,ro");
    const runs = path.join(ro, "runs");
    const r = await cli(["run", FILLER], dir, cliEnv(dir, { UPDRAFT_RUNS_DIR: runs }));
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(new RegExp(`cannot write ${runs}/\\S+: the file system is read-only`));
    expect(r.output).toContain(`make ${ro} writable`);
    expect(r.output).not.toMatch(/internal error|ENOENT|EROFS|    at /);
  });
});
