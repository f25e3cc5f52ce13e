import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bashComment, bashWord, bashWords } from "../../../src/executors/slurm/bash.js";

/** What bash makes of each word: one line of JSON per argument, printed by node. */
function throughBash(words: readonly string[]): string[] {
  const script = `node -e 'for (const a of process.argv.slice(1)) console.log(JSON.stringify(a))' ${bashWords(words)}`;
  return execFileSync("bash", ["-c", script])
    .toString()
    .trimEnd()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string);
}

describe("bash quoting", () => {
  it("GIVEN safe text WHEN quoted THEN it stays bare; other text is single-quoted", () => {
    expect(bashWord("train-1.sh")).toBe("train-1.sh");
    expect(bashWord("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(bashWord("")).toBe("''");
  });

  it("GIVEN hostile strings WHEN passed through bash THEN each arrives as one word, byte for byte", () => {
    const words = fc.sample(
      fc.string({ unit: "binary", minLength: 1 }).filter((s) => !s.includes("\0")),
      60,
    );
    words.push(`q' q" q\` {{ x }} \${#arr[@]} $HOME $(id) back\\slash \n tab\t ünï ✓ 🚀 %s`, "-n", "--", "!x", "#c");
    expect(throughBash(words)).toEqual(words);
  });

  it("GIVEN text with line breaks and control characters WHEN made a comment THEN every line is a comment", () => {
    expect(bashComment("one\ntwo\r\nthree \u001b[31m")).toBe("# one\n# two\n# three ?[31m");
  });
});
