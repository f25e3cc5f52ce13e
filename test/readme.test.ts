import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../src/dsl/pipeline.js";
import { plan } from "../src/planner/plan.js";
import { ROOT, updraft } from "./cli/helpers.js";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The fenced block that follows an HTML comment marker in the README. */
function blockAfter(marker: RegExp): { arg: string; body: string } {
  const m = new RegExp(`${marker.source}\\s*\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no block after ${marker}`);
  return { arg: m[1] ?? "", body: m[2] ?? "" };
}

describe("README", () => {
  it("prints the example pipeline exactly as the file a test runs", () => {
    const { arg, body } = blockAfter(/<!-- readme-example: (\S+) -->/);
    expect(body).toBe(readFileSync(path.join(ROOT, arg), "utf8"));
  });

  it("shows commands that work as their comments say", async () => {
    const { body } = blockAfter(/<!-- readme-commands -->()/);
    const runs = mkdtempSync(path.join(os.tmpdir(), "updraft-readme-"));
    const lines = body.split("\n").filter((l) => l.trim() !== "");
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      const command = line.replace(/\s+#.*$/, "");
      const expected = /exit (\d+)/.exec(line)?.[1] ?? "0";
      const r = await execa("bash", ["-c", command], {
        cwd: ROOT,
        reject: false,
        env: { UPDRAFT_RUNS_DIR: runs, NO_COLOR: "1", UPDRAFT_LOCK_DIR: runs },
      });
      expect({ command, exit: r.exitCode, stderr: r.exitCode === Number(expected) ? "" : r.stderr }).toEqual({
        command,
        exit: Number(expected),
        stderr: "",
      });
    }
    // Five commands of 2-3 s each on a quiet machine, 10-15 s each on a loaded 2-core one.
  }, 300_000);

  it("prints the error sample as updraft plan prints that problem", async () => {
    // GIVEN the README's sample and a Plan JSON (from another tool: a cycle cannot be written in the DSL)
    // with train and eval depending on each other, declared at pipelines/rwkv.ts:4
    const { body } = blockAfter(/<!-- readme-error -->()/);
    const built = plan(
      pipeline("rwkv", {}, ({ stage }) => {
        const train = stage("train", { command: ["true"] });
        stage("eval", { command: ["true"], dependsOn: [train] });
      }),
    );
    if (!built.ok) throw new Error("the two-stage pipeline does not plan");
    const json = JSON.parse(JSON.stringify(built.plan)) as { stages: { dependsOn: string[]; source: unknown }[] };
    json.stages[0]!.dependsOn = ["eval"];
    for (const s of json.stages) s.source = { file: "pipelines/rwkv.ts", line: 4 };
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "updraft-readme-")), "cycle.json");
    writeFileSync(file, JSON.stringify(json));
    // WHEN updraft plan reads it THEN it exits 2 and prints that very problem
    const r = await updraft(["plan", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(body.trimEnd());
  });

  it("lists every folder of src/ in its layout, and only those", () => {
    const { body } = blockAfter(/<!-- readme-layout -->()/);
    const listed = body.split("\n").flatMap((l) => /^(src\/\S+)/.exec(l)?.[1] ?? []);
    const folders = readdirSync(path.join(ROOT, "src"))
      .filter((f) => statSync(path.join(ROOT, "src", f)).isDirectory())
      .map((f) => `src/${f}`);
    expect(listed.sort()).toEqual(folders.sort());
    // AND the executors it names are the folders of src/executors
    const executors = readdirSync(path.join(ROOT, "src/executors")).filter((f) =>
      statSync(path.join(ROOT, "src/executors", f)).isDirectory(),
    );
    const line = body.split("\n").find((l) => l.startsWith("src/executors"))!;
    for (const e of executors) expect(line).toMatch(new RegExp(`\\b${e}\\b`));
  });

  it("names only npm scripts that exist", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
        .scripts,
    );
    for (const [, name] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(name);
  });
});
