/**
 * Running the demo tools as the pipeline does: real processes from the repository root.
 */
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DATA = path.join(ROOT, "examples/rwkv-demo/data");
export const BASE = path.join(ROOT, "examples/rwkv-demo/base/rwkv-base.pth");
/** sha256 of rwkv_vocab_v20230424.txt as the rwkv package (0.8.32) ships it. */
export const VOCAB_SHA256 = "8324476023347dec2964625ccb2075c864d250a9c6d9a74f36daba628de8c008";

export interface ToolResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `examples/rwkv-demo/src/<name>.ts` with `args`; never throws on failure. */
export async function tool(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ToolResult> {
  const r = await execa(process.execPath, ["--import", "tsx", `examples/rwkv-demo/src/${name}.ts`, ...args], {
    cwd: ROOT,
    reject: false,
    env,
    extendEnv: true,
  });
  return { code: r.exitCode ?? null, signal: r.signal ?? null, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A fresh temporary directory. */
export function tempDir(prefix = "rwkv-demo-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** True when the text looks like a stack trace. */
export const hasStack = (text: string) => /\n\s+at .+:\d+:\d+/.test(text);

/** prepare_dataset on a JSONL file into `<dir>/data`. */
export function prepare(dir: string, input = path.join(DATA, "train.jsonl"), ctxLen = 512): Promise<ToolResult> {
  return tool("prepare", [
    "--input",
    input,
    "--heldout",
    path.join(DATA, "heldout.jsonl"),
    "--out",
    path.join(dir, "data"),
    "--ctx-len",
    String(ctxLen),
    "--proj-dir",
    path.join(dir, "proj"),
  ]);
}

/** The demo's train stage on `<dir>/data` into `proj` (default `<dir>/proj`). */
export function train(
  dir: string,
  extra: readonly string[] = [],
  proj = path.join(dir, "proj"),
  env: Record<string, string> = {},
): Promise<ToolResult> {
  return tool(
    "train",
    [
      "--profile",
      "demo",
      "--data",
      path.join(dir, "data"),
      "--proj-dir",
      proj,
      "--base-model",
      BASE,
      "--ctx-len",
      "512",
      ...extra,
    ],
    env,
  );
}

/** eval_artefacts then evaluate on the model in `<dir>/proj`, into `<dir>/eval`. */
export async function evaluate(dir: string): Promise<[ToolResult, ToolResult]> {
  const artefacts = await tool("eval-artefacts", [
    "--profile",
    "demo",
    "--model",
    path.join(dir, "proj/rwkv-final.pth"),
    "--base-model",
    BASE,
    "--heldout",
    path.join(DATA, "heldout.jsonl"),
    "--general",
    path.join(DATA, "general-heldout.jsonl"),
    "--out",
    path.join(dir, "eval"),
  ]);
  const summary = await tool("evaluate", [
    "--losses",
    path.join(dir, "eval/losses.json"),
    "--out",
    path.join(dir, "eval/summary.json"),
    "--domain-min-gain",
    "0.3",
    "--retention-max-regression",
    "0.1",
  ]);
  return [artefacts, summary];
}
