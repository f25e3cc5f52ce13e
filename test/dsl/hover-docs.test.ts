/**
 * What an editor shows on hover: every option a pipeline file names has documentation, read through
 * the TypeScript language service as an editor reads it.
 */
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../cli/helpers.js";

const FILE = path.join(ROOT, "test/dsl/__hover__.ts");
const SOURCE = `import { pipeline, sh } from "../../src/index.js";
export default pipeline("p", {}, ({ stage, qualityGate }) => {
  const prep = stage("prep", { command: ["true"], cwd: "data", env: { A: "1" }, secretEnv: ["HF_TOKEN"], outputs: ["x"] });
  const train = stage("train", { command: sh\`true\`, dependsOn: [prep], timeout: "1h", retry: { retries: 1 }, gpu: 1, inputs: ["x"], description: "d" });
  qualityGate("gate", { after: [train], metrics: "m.json", rules: (r) => [r.metric("loss").lte(1), r.file("x").exists()], severity: "warn" });
});
`;

function service(): ts.LanguageService {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    types: ["node"],
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [FILE],
    getScriptVersion: () => "1",
    getScriptSnapshot: (f) => {
      const text = f === FILE ? SOURCE : ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => ROOT,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === FILE || ts.sys.fileExists(f),
    readFile: (f) => (f === FILE ? SOURCE : ts.sys.readFile(f)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host);
}

describe("hover documentation", () => {
  it("GIVEN a pipeline file WHEN each builder call and option is hovered THEN the editor shows its documentation", () => {
    const ls = service();
    const hovered = [
      ["stage(", "stage"],
      ["qualityGate(", "qualityGate"],
      ["dependsOn:", "dependsOn"],
      ["timeout:", "timeout"],
      ["retry:", "retry"],
      ["retries:", "retries"],
      ["cwd:", "cwd"],
      ["env:", "env"],
      ["secretEnv:", "secretEnv"],
      ["outputs:", "outputs"],
      ["inputs:", "inputs"],
      ["gpu:", "gpu"],
      ["description:", "description"],
      ["after:", "after"],
      ["metrics:", "metrics"],
      ["rules:", "rules"],
      ["severity:", "severity"],
      ["metric(", "metric"],
      ["lte(", "lte"],
      ["file(", "file"],
      ["exists(", "exists"],
    ] as const;
    const undocumented = hovered.flatMap(([needle, name]) => {
      const at = SOURCE.indexOf(needle, SOURCE.indexOf("=> {"));
      const info = ls.getQuickInfoAtPosition(FILE, at);
      const doc = ts.displayPartsToString(info?.documentation);
      return doc.trim() === "" ? [name] : [];
    });
    expect(undocumented).toEqual([]);
  });
});
