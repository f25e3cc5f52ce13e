/**
 * Running pipelines/rwkv.ts as people do: a real process from the repository root.
 */
import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ManifestSchema, type Manifest } from "../../src/records/manifest.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tsx pipelines/rwkv.ts ARGS`, without colours; never throws on a non-zero exit. */
export async function rwkv(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  const r = await execa(process.execPath, ["--import", "tsx", "pipelines/rwkv.ts", ...args], {
    cwd: ROOT,
    reject: false,
    env: { NO_COLOR: "1", ...env },
    extendEnv: true,
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A fresh temporary directory. */
export function tempDir(prefix = "rwkv-pipeline-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The manifest of the only run recorded under `runsDir`. */
export function onlyManifest(runsDir: string): Manifest {
  const runs = readdirSync(runsDir).filter((d) => !d.startsWith("."));
  if (runs.length !== 1) throw new Error(`expected one run in ${runsDir}, found ${runs.join(", ") || "none"}`);
  return ManifestSchema.parse(JSON.parse(readFileSync(path.join(runsDir, runs[0]!, "manifest.json"), "utf8")));
}
