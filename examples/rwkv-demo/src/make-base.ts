/**
 * Builds the demo's stand-in base model (stand-in: an n-gram model over World ids, not RWKV) from general
 * Russian prose, the way a real base model comes from general pre-training:
 *
 *   tsx examples/rwkv-demo/src/make-base.ts [--input data/general-train.jsonl] [--out base/rwkv-base.pth]
 *
 * The result is committed, so the demo needs no step of its own for it; the retention eval
 * compares the fine-tuned model against it on general text.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeBinidx } from "./binidx.js";
import { readDataset } from "./dataset.js";
import { magicPrime } from "./magic-prime.js";
import { trainStandIn } from "./stand-in-train.js";
import { documentIds, encodeTexts } from "./tokens/world.js";
import { EXIT, options, runTool, ToolError } from "./tool.js";

const CTX_LEN = 512;

await runTool("make-base", () => {
  const here = path.join(import.meta.dirname, "..");
  const o = options(process.argv.slice(2), ["input", "out"]);
  const input = o.optionalString("input") ?? path.join(here, "data", "general-train.jsonl");
  const out = o.optionalString("out") ?? path.join(here, "base", "rwkv-base.pth");
  const texts = readDataset(input)
    .rows.filter((r) => !r.empty)
    .map((r) => r.text);
  const docs = encodeTexts(texts).encoded.map(documentIds);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "rwkv-base-"));
  try {
    const tokens = writeBinidx(path.join(tmp, "general"), docs);
    const magic = magicPrime(tokens, CTX_LEN);
    if (!magic.ok) throw new ToolError(magic.reason, EXIT.data, magic.hint);
    const final = trainStandIn({
      dataPrefix: path.join(tmp, "general"),
      projDir: path.join(tmp, "proj"),
      baseModel: "0",
      ctxLen: CTX_LEN,
      magicPrime: magic.magicPrime,
      myExitTokens: tokens,
      microBsz: 16,
      epochSave: 1000,
      nLayer: 0,
      nEmbd: 0,
      lrInit: 1e-5,
      lrFinal: 1e-5,
    });
    mkdirSync(path.dirname(out), { recursive: true });
    copyFileSync(final, out);
    process.stdout.write(`make-base: ${out} from ${docs.length} documents, ${tokens} tokens\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
