/**
 * The Python twin (python/updraft_airflow/gates) run by a real python3 on the shared vectors and on generated
 * inputs: same verdicts, reasons and actual values as the TypeScript evaluator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { jsonSafe } from "../../src/gates/format.js";
import { parseMetricsBytes } from "../../src/gates/metrics-json.js";
import { runGate } from "../../src/gates/run-gate.js";
import { comparable, loadVectors, writeVectorFiles } from "./vector-files.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const driver = path.join(here, "driver.py");
/** The Python package the DAG files embed (python/updraft_airflow). */
const PACKAGE_DIR = path.join(here, "..", "..", "python");
const vectors = loadVectors();
let root = "";

/** Ask the Python module, through the driver, for one answer per request item. */
async function python(request: object): Promise<unknown[]> {
  const { stdout } = await execa("python3", [driver, PACKAGE_DIR], { input: JSON.stringify(request) });
  return JSON.parse(stdout) as unknown[];
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "updraft-gates-py-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the Python gate evaluator", () => {
  it("gives the same results as the TypeScript one on every shared vector", async () => {
    // GIVEN every case's files on disk
    const dirs = vectors.map((v, i) => {
      const dir = path.join(root, `case-${i}`);
      writeVectorFiles(v, dir);
      return dir;
    });

    // WHEN both evaluators judge every case
    const gates = vectors.map((v, i) => ({ id: `gate_${i}`, gate: v.gate, params: v.params ?? {}, cwd: dirs[i] }));
    const fromPython = (await python({ gates })) as Record<string, unknown>[];
    const fromTs = await Promise.all(vectors.map((v, i) => runGate(`gate_${i}`, v.gate, v.params ?? {}, dirs[i]!)));

    // THEN Python matches the vectors, and both agree on everything but the time
    vectors.forEach((v, i) => {
      const py = fromPython[i]!;
      expect({ name: v.name, ...(comparable(py) as object) }).toEqual({ name: v.name, ...v.expected });
      const { time: pyTime, ...pyRest } = py;
      const { time: _tsTime, ...tsRest } = JSON.parse(JSON.stringify(fromTs[i])) as Record<string, unknown>;
      expect(pyRest).toEqual(tsRest);
      expect(pyTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
  });

  it("prints numbers exactly as JavaScript does", async () => {
    // GIVEN awkward doubles: boundaries of the exponent notation, subnormals, huge and tiny values
    const fixed = [
      0,
      1,
      -1,
      0.1,
      1e21,
      1e20,
      1e-6,
      1e-7,
      123e-20,
      5e-324,
      Number.MAX_VALUE,
      2 ** 53,
      2 ** 53 + 2,
      0.1 + 0.2,
      1 / 3,
    ];
    const random = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 3000 * inject("fcNumRunsFactor"));
    const numbers = [...fixed, ...random];

    // WHEN Python formats them THEN each reads as String(n)
    expect(await python({ numbers })).toEqual(numbers.map(String));
  });

  it("reads metrics bytes exactly as the TypeScript loader does, NaN tokens and errors included", async () => {
    // GIVEN texts made of JSON fragments (mostly invalid) and valid JSON with Python's NaN tokens
    const token = fc.constantFrom(
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      " ",
      '"a"',
      '"NaN"',
      '"x\\"NaN"',
      "NaN",
      "-NaN",
      "Infinity",
      "-Infinity",
      "+Infinity",
      "nan",
      "1",
      "-0.5e3",
      "1e400",
      "true",
      "null",
      "-",
      '"',
      "\\",
      "\ufeff",
      "\u00e9",
      "\n",
    );
    const fragments = fc.sample(
      fc.array(token, { maxLength: 12 }).map((t) => t.join("")),
      1500 * inject("fcNumRunsFactor"),
    );
    const special = fc.constantFrom("NaN", "Infinity", "-Infinity");
    const valid = fc.sample(
      fc.tuple(fc.jsonValue(), special).map(([v, s]) => JSON.stringify({ v, s: 0 }).replace(/0}$/, `${s}}`)),
      300 * inject("fcNumRunsFactor"),
    );
    const texts = [...fragments, ...valid, '{"a": NaN}', "[NaN, Infinity, -Infinity]", "{NaN: 1}"];
    const hex = texts.map((t) => Buffer.from(t, "utf8").toString("hex"));

    // WHEN both parse them THEN they agree on every value and every error
    const fromPython = await python({ metrics: hex });
    const fromTs = hex.map((h) => jsonSafe(parseMetricsBytes(Buffer.from(h, "hex"))));
    texts.forEach((text, i) =>
      expect({ text, got: fromPython[i] }).toEqual({ text, got: JSON.parse(JSON.stringify(fromTs[i])) }),
    );
    expect(fromTs.filter((r) => "value" in (r as object)).length).toBeGreaterThan(300);
  });
});
