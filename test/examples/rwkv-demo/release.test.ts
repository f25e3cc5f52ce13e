import { execa } from "execa";
import { createHash } from "node:crypto";
import { appendFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, DATA, evaluate, prepare, tempDir, tool, train, VOCAB_SHA256, type ToolResult } from "./helpers.js";

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

interface ReleaseManifest {
  release: string;
  lineage: {
    dataset: { version: string; input: string; tokens: number; tokenizer: Record<string, string> };
    run: { id: string | null; run_name: string };
    artefacts: { path: string; sha256: string; bytes: number }[];
  };
}

describe("release", () => {
  const dir = tempDir();
  const out = path.join(dir, "release");
  let run: ToolResult;
  beforeAll(async () => {
    expect((await prepare(dir)).code).toBe(0);
    expect((await train(dir)).code).toBe(0);
    expect((await evaluate(dir)).map((r) => r.code)).toEqual([0, 0]);
    run = await tool(
      "release",
      [
        "--profile",
        "demo",
        "--run-name",
        "t1",
        "--model",
        path.join(dir, "proj/rwkv-final.pth"),
        "--base-model",
        BASE,
        "--data",
        path.join(dir, "data"),
        "--summary",
        path.join(dir, "eval/summary.json"),
        "--out",
        out,
      ],
      { UPDRAFT_RUN_ID: "run-42" },
    );
  }, 600_000); // the tools start Python and tsx: slow on a busy shared machine

  it("GIVEN a trained and evaluated model WHEN released THEN sha256sum -c verifies every file SHA256SUMS lists", async () => {
    expect(run.code).toBe(0);
    const check = await execa("sha256sum", ["-c", "SHA256SUMS"], { cwd: out, reject: false });
    expect(check.exitCode).toBe(0);
    expect(String(check.stdout).split("\n").sort()).toEqual([
      "dataset-metrics.json: OK",
      "dataset/train_text_document.bin: OK",
      "dataset/train_text_document.idx: OK",
      "eval-summary.json: OK",
      "model-card.md: OK",
      "release-manifest.json: OK",
      "rwkv-t1.pth: OK",
      "rwkv_vocab_v20230424.txt: OK",
      "tokenizer.json: OK",
    ]);
  });

  it("GIVEN the release manifest WHEN read THEN it links the dataset version to the run id to the artefact hashes", () => {
    const m = JSON.parse(readFileSync(path.join(out, "release-manifest.json"), "utf8")) as ReleaseManifest;
    expect(m.release).toBe("rwkv-t1");
    expect(m.lineage.dataset.version).toBe(sha256(path.join(DATA, "train.jsonl")));
    expect(m.lineage.run).toMatchObject({ id: "run-42", run_name: "t1" });
    const weights = m.lineage.artefacts.find((a) => a.path === "rwkv-t1.pth");
    expect(weights?.sha256).toBe(sha256(path.join(dir, "proj/rwkv-final.pth")));
    const card = readFileSync(path.join(out, "model-card.md"), "utf8");
    expect(card).toContain("an n-gram model over RWKV World ids, not RWKV");
    expect(card).toContain(`vocabulary sha256 ${VOCAB_SHA256}`);
    expect(m.lineage.dataset.tokenizer).toEqual({
      name: "RWKV World (rwkv_vocab_v20230424.txt)",
      vocab: "rwkv_vocab_v20230424.txt",
      vocab_sha256: VOCAB_SHA256,
    });
    expect(sha256(path.join(out, "rwkv_vocab_v20230424.txt"))).toBe(VOCAB_SHA256);
    expect(card).toContain("`run-42`");
    expect(card).toContain(`sha256 \`${weights?.sha256}\``);
  });

  it("GIVEN a released file changed afterwards WHEN verified THEN sha256sum -c fails on it", async () => {
    appendFileSync(path.join(out, "tokenizer.json"), " ");
    const check = await execa("sha256sum", ["-c", "SHA256SUMS"], { cwd: out, reject: false });
    expect(check.exitCode).toBe(1);
    expect(String(check.stdout)).toContain("tokenizer.json: FAILED");
  });
});
