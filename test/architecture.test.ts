import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");

/**
 * The layer a file belongs to: `executors/<name>` for executors (`executors/local/<concern>` inside
 * the local executor's subfolders), else the first folder under src/.
 */
function layer(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts.length === 1) return parts[0] ?? "";
  if (parts[0] !== "executors") return parts[0] ?? "";
  if (parts[1] === "local" && parts.length > 3) return `executors/local/${parts[2]}`;
  return `executors/${parts[1]}`;
}

const LOCAL_BASE = ["plan", "planner", "gates", "records", "executors/local"];

/** What each layer may import besides `common`, as docs/architecture.md states it. */
const ALLOWED: Record<string, readonly string[]> = {
  common: [],
  plan: [],
  dsl: ["plan"],
  planner: ["plan", "dsl"],
  gates: ["plan", "planner", "records"],
  records: ["plan", "planner"],
  "executors/dry-run": ["plan", "planner"],
  "executors/graph": ["plan", "planner"],
  "executors/airflow": ["plan", "planner", "gates", "records"],
  "executors/slurm": ["plan", "planner", "gates"],
  "executors/local": [
    ...LOCAL_BASE,
    ...["process", "gpu", "run-dir", "schedule", "skip", "output"].map((c) => `executors/local/${c}`),
  ],
  "executors/local/process": LOCAL_BASE,
  "executors/local/gpu": [...LOCAL_BASE, "executors/local/process"],
  "executors/local/run-dir": [...LOCAL_BASE, "executors/local/process"],
  "executors/local/skip": LOCAL_BASE,
  "executors/local/output": [...LOCAL_BASE, "executors/local/gpu"],
  "executors/local/schedule": [
    ...LOCAL_BASE,
    ...["process", "gpu", "run-dir", "skip", "output"].map((c) => `executors/local/${c}`),
  ],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\(\s*)"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1] ?? "");
  return specs.map((s) => path.resolve(path.dirname(file), s));
}

describe("the layers of src/", () => {
  it("GIVEN every import under src/ WHEN its layers are compared THEN each arrow is one docs/architecture.md allows", () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layer(file);
      const allowed = ALLOWED[from];
      if (allowed === undefined) continue; // cli and index.ts wire everything together
      for (const target of importsOf(file)) {
        const to = layer(target);
        if (to !== from && to !== "common" && !allowed.includes(to))
          wrong.push(`${path.relative(ROOT, file)} -> ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("GIVEN the tree WHEN folders are counted THEN none under src/ holds more than 12 files", () => {
    const crowded: string[] = [];
    const walk = (dir: string): void => {
      const entries = readdirSync(dir, { withFileTypes: true });
      const files = entries.filter((e) => e.isFile()).length;
      if (files > 12) crowded.push(`${path.relative(ROOT, dir)} (${files})`);
      for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
    };
    walk(SRC);
    expect(crowded).toEqual([]);
  });

  it("GIVEN docs/architecture.md WHEN its map is read THEN it names every folder under src/ and no other", () => {
    const doc = readFileSync(path.join(ROOT, "docs/architecture.md"), "utf8");
    // Rows of folders only (a row such as `src/*.ts` names files).
    const named = new Set([...doc.matchAll(/^\| `(src\/[^`*]+)` \|/gm)].map((m) => m[1]));
    const folders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (!e.isDirectory() || e.name === "commands") continue;
        folders.push(path.relative(ROOT, path.join(dir, e.name)));
        walk(path.join(dir, e.name));
      }
    };
    walk(SRC);
    expect([...named].sort()).toEqual(folders.filter((f) => f !== "src/executors").sort());
  });
});

/** The modules Node loads for `file` before running it: its static imports, not `import type`, followed through src/. */
function staticClosure(file: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (f: string) => {
    if (found.has(f)) return;
    const text = readFileSync(f, "utf8");
    const statement = /^(?:import|export)\s+(?!type\b)(?:[\w$*{},\s]+?\s+from\s+)?"([^"]+)";/gm;
    const specs = [...text.matchAll(statement)].map((m) => m[1]!);
    found.set(f, specs);
    for (const s of specs) if (s.startsWith(".")) visit(path.resolve(path.dirname(f), s).replace(/\.js$/, ".ts"));
  };
  visit(file);
  return found;
}

describe("what `updraft run` loads before it starts", () => {
  it("GIVEN the static imports of the run command WHEN followed THEN only src/common/zod.ts imports zod, and the DSL is not among them", () => {
    const modules = staticClosure(path.join(SRC, "cli/commands/run.ts"));
    const zodUsers = [...modules].filter(([, specs]) => specs.some((s) => s === "zod" || s.startsWith("zod/")));
    // npm run build bundles the parts of zod that src/common/zod.ts's importers use (scripts/bundle.ts);
    // any other import of "zod" would load the project's zod, 95 modules, at every start.
    expect(zodUsers.map(([f]) => path.relative(ROOT, f))).toEqual(["src/common/zod.ts"]);
    expect([...modules.keys()].map((f) => path.relative(ROOT, f)).filter((f) => f.startsWith("src/dsl/"))).toEqual([
      "src/dsl/types.ts",
      "src/dsl/metric-check.ts",
      "src/dsl/params.ts",
    ]);
  });
});
