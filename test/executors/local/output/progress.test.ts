/**
 * A real stage that draws progress with `\r` (as tqdm does) and no newline until it is done: with
 * --verbose its updates are printed while it runs, not all at once when it ends.
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { planOf, run, tempDir } from "../helpers.js";

const tqdmLike = planOf(
  pipeline("progress", {}, ({ stage }) => {
    stage("train", { command: sh`for i in 1 2 3; do printf 'step %s/3\r' "$i"; sleep 1.5; done; echo done` });
  }),
);

describe("\\r progress of a stage", () => {
  it("GIVEN a stage that redraws one line for 4.5 s WHEN it runs with --verbose THEN each update is printed as it comes", async () => {
    const seen: { text: string; ms: number }[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const text of String(chunk).split("\n")) if (text) seen.push({ text, ms: Date.now() });
        done();
      },
    });
    const m = await run(tqdmLike, tempDir(), {}, { output: "plain", verbose: true, stream });
    expect(m.status).toBe("success");
    const when = (re: RegExp) => seen.find((s) => re.test(s.text))?.ms ?? NaN;
    const [first, last, done] = [when(/\[train\] step 1\/3$/), when(/\[train\] step 3\/3$/), when(/\[train\] done$/)];
    // Printed 3 s and 4.5 s apart; an event may wait for a manifest write, so allow a second and more.
    // Read all at once at the end (no \n before "done"), they would arrive together.
    expect(last - first).toBeGreaterThanOrEqual(1_500);
    expect(done - first).toBeGreaterThanOrEqual(3_000);
  }, 60_000);
});
