import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../../scripts/embed-python.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the Python package embedded as generated TypeScript", () => {
  it("GIVEN python/updraft_airflow WHEN the embed script would regenerate THEN the committed files are identical (else run npm run python:embed)", () => {
    for (const g of generate()) {
      expect({ file: g.file, text: readFileSync(path.join(ROOT, g.file), "utf8") }).toEqual(g);
    }
  });

  it("GIVEN src/ WHEN searching TypeScript files that are not generated THEN none holds Python module text", () => {
    const files = readdirRecursive(path.join(ROOT, "src")).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".generated.ts"),
    );
    const withPython = files.filter((f) => /String\.raw`(def |import |class )/.test(readFileSync(f, "utf8")));
    expect(withPython).toEqual([]);
  });
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? readdirRecursive(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}
