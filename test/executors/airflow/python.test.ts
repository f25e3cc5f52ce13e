import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { GATE_SOURCES } from "../../../src/gates/python-sources.generated.js";
import { RUNTIME_SOURCES } from "../../../src/executors/airflow/runtime-sources.generated.js";
import {
  pyComment,
  pyIdentifier,
  pyLiteral,
  pyModuleText,
  pyNumber,
  pyString,
  type PyData,
} from "../../../src/executors/airflow/python.js";

/** Evaluate Python literals with the real interpreter; returns them as JSON text (lone surrogates escaped). */
function python(literals: readonly string[]): unknown[] {
  const program = `import ast, json, sys\nprint(json.dumps([${literals.join(", ")}]))`;
  // The program on stdin: with FC_NUM_RUNS_FACTOR=20 it outgrows a command-line argument (E2BIG).
  return JSON.parse(execFileSync("python3", ["-"], { input: program, encoding: "utf8" })) as unknown[];
}

const HOSTILE = [
  "",
  `it's "quoted" \`back\` '''triple''' """triple"""`,
  "{{ x }} {% raw %} {# c #} {% endraw %} ${#arr[@]} $HOME $(id)",
  "back\\slash \\n \\x00 \\u1234 \\N{DASH} trailing\\",
  "new\nline\r\ncr\ttab\u000bvt\u000cff\u0000nul\u007fdel\u0085nel",
  "ünïcødé ✓ 日本語 🚀 \u200b zero-width \u2028 ls \u2029 ps \ufeff bom",
  "lone \ud800 high and \udc00 low surrogates",
  "%s %d {0} {name} f'{x}'",
];

describe("pyString", () => {
  it("GIVEN hostile strings WHEN written as Python literals THEN python3 reads back exactly the same text", () => {
    expect(python(HOSTILE.map(pyString))).toEqual(HOSTILE);
  });

  it("GIVEN random strings (any UTF-16, lone surrogates too) WHEN written as literals THEN they round-trip through python3", () => {
    const samples = fc.sample(fc.string({ unit: "binary", maxLength: 40 }), {
      numRuns: 400 * inject("fcNumRunsFactor"),
    });
    expect(python(samples.map(pyString))).toEqual(samples);
  });

  it("GIVEN a string WHEN quoted THEN the literal is one line of printable text", () => {
    for (const s of HOSTILE) expect(pyString(s)).not.toMatch(/[\n\r\u2028\u2029\x00]/);
    expect(pyString(`a"b\\c\nd`)).toBe(String.raw`"a\"b\\c\nd"`);
  });
});

describe("pyIdentifier", () => {
  it("GIVEN stage ids WHEN made identifiers THEN each is a valid, non-keyword, distinct Python name", () => {
    const ids = [
      "prepare-data",
      "prepare.data",
      "prepare_data",
      "1st",
      "class",
      "match",
      "_",
      "données",
      "a".repeat(250),
    ];
    const taken = new Set(["dag"]);
    const names = ids.map((id) => pyIdentifier(id, taken));
    expect(names.slice(0, 7)).toEqual([
      "prepare_data",
      "prepare_data_2",
      "prepare_data_3",
      "_1st",
      "_class",
      "_match",
      "__",
    ]);
    expect(new Set(names).size).toBe(names.length);
    const check = `import keyword\nprint(all(n.isidentifier() and not keyword.iskeyword(n) and not keyword.issoftkeyword(n) for n in ${pyLiteral(names)}))`;
    expect(execFileSync("python3", ["-c", check], { encoding: "utf8" }).trim()).toBe("True");
  });

  it("GIVEN a reserved name WHEN a stage is called that THEN it gets another name", () => {
    expect(pyIdentifier("dag", new Set(["dag"]))).toBe("dag_2");
  });
});

describe("pyLiteral and pyNumber", () => {
  it("GIVEN nested plan data WHEN written THEN python3 reads the same data back", () => {
    const data: PyData = { a: [1, -2.5, 1e21, 1.5e-7, 0, true, false, null], "b\n": { "{{ x }}": "y" }, c: [], d: {} };
    const text = pyLiteral(data, "", 20);
    expect(text).toContain("\n");
    expect(python([text])).toEqual([data]);
  });

  it("GIVEN numbers WHEN written THEN integers stay integers and others are Python floats", () => {
    expect([3, -0, 0.5, 1e21, 1.5e-7].map(pyNumber)).toEqual(["3", "0", "0.5", "1e+21", "1.5e-7"]);
    expect(() => pyNumber(Number.NaN)).toThrow("cannot write NaN as a Python number");
  });
});

describe("pyComment", () => {
  it("GIVEN text with line breaks and control characters WHEN written as a comment THEN code after it still runs", () => {
    const comment = pyComment("first\nsecond\r\nthird\u2028fourth\x00\x0c");
    expect(comment.split("\n")).toHaveLength(4);
    expect(execFileSync("python3", ["-c", `${comment}\nprint("after")`], { encoding: "utf8" }).trim()).toBe("after");
  });
});

describe("pyModuleText", () => {
  it("GIVEN module texts, readable or not WHEN written THEN python3 reads each back exactly", () => {
    const modules = [...Object.values(GATE_SOURCES), ...Object.values(RUNTIME_SOURCES)];
    const texts = [
      ...modules,
      "x = '''a'''\n",
      "ends with a backslash \\",
      "quote \\' inside",
      "ends with '",
      "cr\r\nnul\x00",
    ];
    for (const m of modules) expect(pyModuleText(m).startsWith("r'''")).toBe(true);
    expect(python(texts.map(pyModuleText))).toEqual(texts);
  });
});
