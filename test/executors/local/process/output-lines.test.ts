/**
 * Stage output cut as a terminal shows it: `\n` and `\r\n` end lines, a lone `\r` ends a progress
 * update, given at once; however the bytes are split into chunks, the lines are the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutputCutter, type OutputPiece } from "../../../../src/executors/local/process/output-lines.js";

/** Feed `chunks` one by one, as the pipe delivers them, then end. */
function feed(chunks: readonly string[]): OutputPiece[] {
  const cut = new OutputCutter();
  return [...chunks.flatMap((c) => cut.push(c)), ...cut.end()];
}

/**
 * Drop an update that a piece of the same text follows at once: the terminal shows the same thing
 * either way. A `\r\n` split between chunks gives its text as an update, then as a line; an update
 * of the same text just before it (`%\r%\r` + `\n`) is then such a repeat too (FC_SEED=-295970728).
 */
const settled = (pieces: OutputPiece[]) => pieces.filter((p, i) => !(p.progress && pieces[i + 1]?.text === p.text));

describe("OutputCutter", () => {
  it("GIVEN tqdm-style updates, CRLF lines and a last line without an end THEN each is its own piece", () => {
    expect(feed([" 10%|#   |\r 50%|##  |\r100%|####|\ndone\r\nlast"])).toEqual([
      { text: " 10%|#   |", progress: true },
      { text: " 50%|##  |", progress: true },
      { text: "100%|####|", progress: false },
      { text: "done", progress: false },
      { text: "last", progress: false },
    ]);
  });

  it("GIVEN an update whose \\r ends the chunk THEN it is given at once; a \\n next makes it a line", () => {
    const cut = new OutputCutter();
    expect(cut.push("step 1\r")).toEqual([{ text: "step 1", progress: true }]);
    expect(cut.push("step 2\r")).toEqual([{ text: "step 2", progress: true }]);
    expect(cut.push("")).toEqual([]);
    expect(cut.push("\nnext\n")).toEqual([
      { text: "step 2", progress: false },
      { text: "next", progress: false },
    ]);
    expect(cut.push("\n")).toEqual([{ text: "", progress: false }]);
    expect(cut.end()).toEqual([]);
  });

  it("GIVEN any output split into any chunks THEN the lines and updates equal those of the whole", () => {
    const text = fc.stringMatching(/^[ab%\r\n]{0,40}$/);
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 6 }), (whole, cuts) => {
        const at = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((x, y) => x - y);
        const chunks = [0, ...at].map((from, i) => whole.slice(from, [...at, whole.length][i]));
        expect(settled(feed(chunks))).toEqual(settled(feed([whole])));
      }),
    );
  });
});
