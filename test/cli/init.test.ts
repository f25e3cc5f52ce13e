/**
 * `updraft init` in a real directory, then the result planned and run by the real CLI. The project
 * gets `updraft` as a package that stands for the installed one: its sources, linked.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliEnv, tempDir } from "../executors/local/helpers.js";
import { ROOT } from "./helpers.js";

/** `node_modules/updraft` resolving to this repository's sources (tsx compiles them). */
function linkUpdraft(dir: string): void {
  const pkg = path.join(dir, "node_modules/updraft");
  mkdirSync(pkg, { recursive: true });
  symlinkSync(path.join(ROOT, "src"), path.join(pkg, "src"));
  writeFileSync(
    path.join(pkg, "package.json"),
    JSON.stringify({ name: "updraft", type: "module", exports: { ".": "./src/index.ts" } }),
  );
}

const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

describe("updraft init", () => {
  it("GIVEN an empty directory WHEN init runs THEN the starter it writes plans and runs, and git ignores the records", async () => {
    const dir = tempDir();
    const env = cliEnv(dir, { UPDRAFT_RUNS_DIR: "", UPDRAFT_GPUS: "0" });
    const init = await cli(["init"], dir, env);
    expect(init).toEqual({
      code: 0,
      output: [
        "wrote pipeline.ts",
        'wrote package.json ("type": "module", scripts pipeline:plan, pipeline:run)',
        "wrote .gitignore (.updraft/)",
        "",
        "next:",
        "  npm install updraft zod",
        "  npx updraft plan pipeline.ts",
        "  npx updraft run pipeline.ts",
        "",
      ].join("\n"),
    });
    expect(json(path.join(dir, "package.json")).scripts).toEqual({
      "pipeline:plan": "updraft plan pipeline.ts",
      "pipeline:run": "updraft run pipeline.ts",
    });
    linkUpdraft(dir);

    const plan = await cli(["plan", "pipeline.ts"], dir, env);
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("4 stages in 4 levels; critical path: prepare -> data_ok -> train -> release");
    const run = await cli(["run", "pipeline.ts"], dir, env);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/^run \S+: success in \S+ \(4 success\)$/m);
    expect(existsSync(path.join(dir, "out/release.txt"))).toBe(true);

    execFileSync("git", ["init", "-q"], { cwd: dir });
    const ignored = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(ignored).toContain("pipeline.ts");
    expect(ignored).not.toContain(".updraft");
  }, 180_000);

  it("GIVEN a CommonJS project with its own scripts and .gitignore WHEN init runs THEN it adds without overwriting, and the starter loads there too", async () => {
    const dir = tempDir();
    const env = cliEnv(dir);
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "my-app", type: "commonjs", scripts: { test: "echo t", "pipeline:run": "mine" } }),
    );
    writeFileSync(path.join(dir, ".gitignore"), "node_modules");
    linkUpdraft(dir);
    const init = await cli(["init"], dir, env);
    expect(init.code).toBe(0);
    expect(init.output).toContain("package.json: added scripts pipeline:plan\n.gitignore: added .updraft/\n");
    expect(init.output).not.toContain("npm install");
    expect(json(path.join(dir, "package.json"))).toEqual({
      name: "my-app",
      type: "commonjs",
      scripts: { test: "echo t", "pipeline:run": "mine", "pipeline:plan": "updraft plan pipeline.ts" },
    });
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe(
      "node_modules\n# updraft run records and caches\n.updraft/\n",
    );
    const plan = await cli(["plan", "pipeline.ts"], dir, env);
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("dry-run: pipeline my-app from pipeline.ts");

    const again = await cli(["init"], dir, env);
    expect(again).toEqual({
      code: 2,
      output:
        "error: pipeline.ts already exists; updraft init does not overwrite it\nhint: give another name: updraft init --file pipelines/starter.ts\n",
    });
  }, 180_000);
});
