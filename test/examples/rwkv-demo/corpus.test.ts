import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TARGET_SHARES } from "../../../examples/rwkv-demo/src/categories.js";
import { BASE, DATA, tempDir, tool } from "./helpers.js";

const FILES = ["train.jsonl", "heldout.jsonl", "bad.jsonl", "general-train.jsonl", "general-heldout.jsonl"];

describe("the shipped corpus and base model", () => {
  it("GIVEN the seeded generators WHEN run again THEN they write the committed files byte for byte", async () => {
    const out = tempDir();
    expect((await tool("make-corpus", ["--out", out])).code).toBe(0);
    for (const f of FILES)
      expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(DATA, f))), f).toBe(true);
    const base = path.join(out, "base.pth");
    expect((await tool("make-base", ["--input", path.join(out, "general-train.jsonl"), "--out", base])).code).toBe(0);
    expect(readFileSync(base).equals(readFileSync(BASE))).toBe(true);
  });

  it("GIVEN train.jsonl and heldout.jsonl WHEN counted THEN both follow the team's category shares exactly", () => {
    for (const [file, n] of [
      ["train.jsonl", 400],
      ["heldout.jsonl", 60],
    ] as const) {
      const rows = readFileSync(path.join(DATA, file), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { category: keyof typeof TARGET_SHARES });
      expect(rows).toHaveLength(n);
      for (const [category, share] of Object.entries(TARGET_SHARES))
        expect(rows.filter((r) => r.category === category).length).toBe(Math.round(n * share));
    }
  });
});
