import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE, DATA, hasStack, tempDir, tool } from "./helpers.js";

const PYTHON_DIR = path.join(DATA, "..", "python");

/** check_setup as the pipeline runs it, with the given environment. */
const checkSetup = (env: Record<string, string>) =>
  tool(
    "check-setup",
    ["--profile", "demo", "--input", path.join(DATA, "train.jsonl"), "--base-model", BASE, "--ctx-len", "512"].concat([
      "--micro-bsz",
      "16",
    ]),
    env,
  );

describe("the tokenizer's Python environment, made by the demo itself", () => {
  it("GIVEN an empty cache WHEN check_setup runs twice THEN the first run makes the venv from the pinned requirements and the second reuses it", async () => {
    const cache = tempDir("rwkv-venv-");
    const first = await checkSetup({ UPDRAFT_CACHE_DIR: cache });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("check-setup: creating the tokenizer's Python environment (once)");
    const python = /RWKV World tokenizer environment: (\S+)/.exec(first.stdout)![1]!;
    expect(python.startsWith(path.join(cache, "rwkv-tokenizer-venvs"))).toBe(true);
    const info = spawnSync(python, [path.join(PYTHON_DIR, "world_tokens.py"), "info"], { encoding: "utf8" });
    const pinned = readFileSync(path.join(PYTHON_DIR, "requirements.txt"), "utf8");
    const { encoder, reference } = JSON.parse(info.stdout) as { encoder: string; reference: string };
    expect(pinned).toContain(`${encoder.replace(" ", "==")}\n`);
    expect(pinned).toContain(`${reference.split(" ").slice(0, 2).join("==")}\n`);

    const second = await checkSetup({ UPDRAFT_CACHE_DIR: cache });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain("creating");
    expect(second.stdout).toContain(`RWKV World tokenizer environment: ${python}`);
  }, 900_000);

  it("GIVEN no Python WHEN check_setup runs THEN it says Python 3.10+ is needed and how to get it, exit 4, no stack", async () => {
    const r = await checkSetup({ UPDRAFT_PYTHON: "/nowhere/python3" });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      "check-setup: error: the RWKV World tokenizer runs in Python 3.10 or newer; /nowhere/python3: not found",
    );
    expect(r.stderr).toContain("check-setup: hint: install Python 3.10 or newer with its venv module");
    expect(hasStack(r.stderr)).toBe(false);
  });

  it("GIVEN a Python older than 3.10 WHEN check_setup runs THEN it names the version it found, exit 4", async () => {
    const old = path.join(tempDir(), "python3.8");
    writeFileSync(old, "#!/bin/sh\necho 'Python 3.8.10'\n");
    chmodSync(old, 0o755);
    const r = await checkSetup({ UPDRAFT_PYTHON: old, UPDRAFT_CACHE_DIR: tempDir() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`Python 3.10 or newer; ${old}: Python 3.8`);
  });
});
