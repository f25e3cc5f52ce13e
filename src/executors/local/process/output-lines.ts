/**
 * Stage output cut into what a terminal would show: lines ended by `\n` (a `\r\n` is one end), and
 * progress updates ended by a lone `\r` (tqdm, curl, pip), which a terminal draws over each other.
 */

/** One piece of output: a whole line, or a progress update that the next one replaces. */
export interface OutputPiece {
  readonly text: string;
  readonly progress: boolean;
}

/**
 * Cuts a stream of text into pieces as it arrives. An update ended by `\r` is given at once, even
 * when the chunk ends there; should the next chunk start with `\n`, that `\r\n` ended a line, and the
 * same text is given again as a line.
 *
 * @example
 * ```ts
 * const cut = new OutputCutter();
 * cut.push(" 10%\r 50%\r"); // [{ text: " 10%", progress: true }, { text: " 50%", progress: true }]
 * cut.push("\ndone");       // [{ text: " 50%", progress: false }]
 * cut.end();                // [{ text: "done", progress: false }]
 * ```
 */
export class OutputCutter {
  private rest = "";
  /** The text of an update whose `\r` ended the last chunk: a `\n` next makes it a line. */
  private heldUpdate: string | null = null;

  push(text: string): OutputPiece[] {
    const pieces: OutputPiece[] = [];
    if (this.heldUpdate !== null && text !== "") {
      if (text.startsWith("\n")) pieces.push({ text: this.heldUpdate, progress: false });
      if (text.startsWith("\n")) text = text.slice(1);
      this.heldUpdate = null;
    }
    const all = this.rest + text;
    const ends = /\r\n|\n|\r/g;
    let from = 0;
    for (let m = ends.exec(all); m !== null; m = ends.exec(all)) {
      const piece = all.slice(from, m.index);
      from = m.index + m[0].length;
      if (m[0] !== "\r") pieces.push({ text: piece, progress: false });
      else if (piece !== "") {
        pieces.push({ text: piece, progress: true });
        if (from === all.length) this.heldUpdate = piece;
      }
    }
    this.rest = all.slice(from);
    return pieces;
  }

  /** What is left once the stream has ended: its last line, if it had no end. */
  end(): OutputPiece[] {
    const last = this.rest;
    this.rest = "";
    this.heldUpdate = null;
    return last === "" ? [] : [{ text: last, progress: false }];
  }
}
