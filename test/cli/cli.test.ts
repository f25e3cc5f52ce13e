import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { hasStack, ROOT, runFile, updraft } from "./helpers.js";

describe("updraft CLI", () => {
  it("prints its version and help, exit 0", async () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(await updraft(["--version"])).toMatchObject({ code: 0, stdout: pkg.version });
    const help = await updraft(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["plan", "run", "export", "graph", "history", "show", "advise", "report", "gc"])
      expect(help.stdout).toContain(c);
    expect(help.stdout).toContain(
      "Exit codes: 0 success, 1 a stage or gate failed, 2 invalid pipeline or usage, 130 interrupted.",
    );
    expect((await updraft(["plan", "--help"])).stdout).toContain("--json");
  });

  it("dry-runs a pipeline file and writes nothing", async () => {
    const r = await updraft(["plan", "examples/hello/pipeline.ts", "--param", "who=Ada Lovelace"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dry-run: pipeline hello from examples/hello/pipeline.ts");
    expect(r.stdout).toContain(`printf 'hello, %s\\n' "Ada Lovelace" > out/hello.txt`);
    const cwd = mkdtempSync(path.join(os.tmpdir(), "updraft-dry-"));
    const file = path.join(ROOT, "examples/hello/pipeline.ts");
    for (const args of [
      ["plan", file],
      ["run", "--dry-run", file],
    ]) {
      const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
      const dry = await execa(process.execPath, ["--import", tsx, path.join(ROOT, "src/cli/bin.ts"), ...args], {
        cwd,
        reject: false,
        env: { TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json") },
      });
      expect(dry.exitCode).toBe(0);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });

  it("prints the Plan as JSON, which `plan FILE.json` accepts as a plan", async () => {
    const r = await updraft(["plan", "examples/hello/pipeline.ts", "--json"]);
    const plan = (JSON.parse(r.stdout) as { plan: { hash: string; version: number } }).plan;
    expect(plan.version).toBe(1);
    const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-cli-"));
    const file = path.join(dir, "plan.json");
    writeFileSync(file, r.stdout);
    const again = await updraft(["plan", file, "--json"]);
    expect((JSON.parse(again.stdout) as { plan: unknown }).plan).toEqual(plan);
  });

  it("GIVEN --json WHEN run parameters are given THEN they are validated like plan's and printed beside the Plan", async () => {
    const bad = await updraft(["plan", "examples/readme/pipeline.ts", "--json", "--param", "rows=abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatchInlineSnapshot(`
      "✖ parameter "rows" from --param is "abc", not a whole number [invalid-param-value]
        hint: give a value of type int: write it in decimal digits, such as 42 or -3
      error: invalid run parameters for readme"
    `);
    const ok = await updraft(["plan", "examples/readme/pipeline.ts", "--json", "--param", "rows=7"]);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { params: unknown }).params).toEqual({ run: "r1", rows: 7 });
  });

  it("GIVEN a misspelt metric name WHEN updraft check runs the compiler on the file THEN it says where, exit 2", async () => {
    const bad = await updraft(["check", "test/fixtures/uncompilable/gate-typo.ts"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatchInlineSnapshot(`
      "test/fixtures/uncompilable/gate-typo.ts(17,16): error TS2345: Argument of type '"row"' is not assignable to parameter of type '"label" | "rows" | "empty_share" | "extra" | \`extra.\${string}\`'.
      test/fixtures/uncompilable/gate-typo.ts(18,25): error TS2339: Property 'gte' does not exist on type 'MetricRules<string>'.
      error: test/fixtures/uncompilable/gate-typo.ts does not compile: 2 errors
      hint: fix the errors above; a misspelt stage or metric name shows here before a run does"
    `);
  }, 600_000);

  it("reports every problem of an invalid pipeline with its location, exit 2, no stack", async () => {
    const r = await updraft(["plan", "test/fixtures/cli/cycle.ts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "✖ stage id "bad id!" is not a valid Airflow task id  (test/fixtures/cli/cycle.ts:6) [invalid-stage-id]
        hint: use 1 to 250 letters, digits, '_', '.' or '-'
      ✖ stage "train" depends on itself through "eval"  (test/fixtures/cli/cycle.ts:4) [dependency-cycle]
        cycle: train -> eval -> train
        hint: remove one dependency of the loop
      ✖ stage "bad id!" has an empty command  (test/fixtures/cli/cycle.ts:6) [empty-command]
        hint: give it a command: ["program", "arg"] or sh\`script\`
      error: test/fixtures/cli/cycle.ts: 3 problems; nothing was run"
    `);
  });

  it("reports a pipeline file that throws while loading with its name, exit 2, no stack", async () => {
    const r = await updraft(["plan", "test/fixtures/cli/throws.ts"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: test/fixtures/cli/throws.ts failed to load: ");
    expect(hasStack(r.stderr)).toBe(false);
  });

  it("explains a missing file, a file without a pipeline, and bad JSON, exit 2", async () => {
    const missing = await updraft(["plan", "nope.ts"]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "error: no such file: nope.ts\nhint: give the path of a pipeline file (.ts) or a plan (.json)",
    ]);
    const none = await updraft(["graph", "test/fixtures/cli/no-pipeline.ts"]);
    expect([none.code, none.stderr.split("\n")[0]]).toEqual([
      2,
      "error: test/fixtures/cli/no-pipeline.ts declares no pipeline",
    ]);
    const json = await updraft(["plan", "tsconfig.json"]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain("[invalid-plan-shape]");
    expect(hasStack(missing.stderr + none.stderr + json.stderr)).toBe(false);
  });

  it("rejects unknown commands, options and bad parameters with exit 2", async () => {
    expect((await updraft(["fly"])).code).toBe(2);
    expect((await updraft(["plan", "examples/hello/pipeline.ts", "--bogus"])).code).toBe(2);
    const bad = await updraft(["plan", "examples/hello/pipeline.ts", "--param", "whom=x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--param sets "whom", which the pipeline does not declare');
    const env = await updraft(["plan", "examples/hello/pipeline.ts"], { UPDRAFT_PARAM_WHO: "from env" });
    expect(env.stdout).toContain('who = "from env"');
  });

  it("prints the graph as Mermaid or DOT", async () => {
    expect((await updraft(["graph", "examples/hello/pipeline.ts"])).stdout).toBe(
      'flowchart TD\n  s0["write"]\n  s1["read"]\n  s0 --> s1',
    );
    const dot = await updraft(["graph", "examples/hello/pipeline.ts", "--format", "dot"]);
    expect(dot.stdout).toContain('"write" -> "read";');
    expect((await updraft(["graph", "examples/hello/pipeline.ts", "--format", "png"])).code).toBe(2);
  });

  it("stops quietly when its reader closes the pipe early", async () => {
    // The reader exits before the CLI has started, so every write meets a closed pipe.
    const r = await execa("bash", ["-c", "node --import tsx src/cli/bin.ts --help | true; exit ${PIPESTATUS[0]}"], {
      cwd: ROOT,
      reject: false,
    });
    expect([r.exitCode, r.stderr]).toEqual([0, ""]);
  });

  it("respects NO_COLOR", async () => {
    const colored = await updraft(["plan", "test/fixtures/cli/cycle.ts"], { FORCE_COLOR: "1", NO_COLOR: "" });
    const plain = await updraft(["plan", "test/fixtures/cli/cycle.ts"], { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(colored.stderr).toContain("\u001b[");
    expect(plain.stderr).not.toContain("\u001b[");
  });
});

describe("a pipeline file run directly (runCli)", () => {
  it("takes --dry-run and the same commands as updraft", async () => {
    const dry = await runFile("examples/hello/pipeline.ts", ["--dry-run", "--param", "who=you"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('who = "you"');
    const json = await runFile("examples/hello/pipeline.ts", ["plan", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ plan: { pipeline: { id: "hello" } }, params: { who: "world" } });
    const graph = await runFile("examples/hello/pipeline.ts", ["graph", "--format", "dot"]);
    expect(graph.stdout).toContain("digraph");
  });

  it("reports its own problems with exit 2", async () => {
    const r = await runFile("test/fixtures/cli/cycle.ts", ["--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cycle: train -> eval -> train");
  });
});
