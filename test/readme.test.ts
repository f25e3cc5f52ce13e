import { execa } from "execa";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./cli/helpers.js";

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
  });

  it("names only npm scripts that exist", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
        .scripts,
    );
    for (const [, name] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(name);
  });
});
