/**
 * The dry-run applies the declared-path rules of `updraft run`: an input that does not exist (and no
 * upstream stage writes) and a FIFO are named as warnings, and the plan is still shown.
 */
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { pipeline, plan, sh } from "../../src/index.js";
import { ROOT } from "./helpers.js";

function planFile(dir: string): string {
  const p = plan(
    pipeline("paths", {}, ({ stage }) => {
      const prep = stage("prep", { command: sh`mkdir -p data && echo 1 > data/a.csv`, outputs: ["data"] });
      stage("train", {
        command: sh`cat data/*.csv raw/*.csv`,
        inputs: ["data/*.csv", "raw/*.csv", "pipe.in"],
        outputs: ["model.bin"],
        dependsOn: [prep],
      });
    }),
  );
  if (!p.ok) throw new Error("plan");
  const file = path.join(dir, "plan.json");
  writeFileSync(file, JSON.stringify(p.plan));
  return file;
}

const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

const updraftIn = async (cwd: string, args: string[]) => {
  const r = await execa(process.execPath, ["--import", TSX, path.join(ROOT, "src/cli/bin.ts"), ...args], {
    cwd,
    reject: false,
    env: { NO_COLOR: "1" },
  });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
};

describe("the dry-run's path checks", () => {
  it("GIVEN a missing input no upstream stage writes and a FIFO input WHEN dry-run THEN both are warned about and the plan is shown", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-dry-paths-"));
    const file = planFile(dir);
    execFileSync("mkfifo", [path.join(dir, "pipe.in")]);
    for (const args of [
      ["plan", file],
      ["run", "--dry-run", file],
    ]) {
      const r = await updraftIn(dir, args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("dry-run: pipeline paths");
      expect(r.stderr.replaceAll(dir, "<dir>")).toBe(
        [
          "warning: updraft run here would refuse to start:",
          '✖ stage "train": input raw/*.csv does not exist (looked for <dir>/raw/*.csv)',
          "  hint: create it, correct the path in the pipeline, or declare it as an output of a stage this one depends on",
          '✖ stage "train": input pipe.in is a FIFO (named pipe), not a regular file or directory; updraft never opens it',
          "  hint: declare the regular file or directory the stage reads instead",
        ].join("\n"),
      );
    }
    // WHEN the input exists as a regular file THEN nothing is said
    mkdirSync(path.join(dir, "raw"));
    writeFileSync(path.join(dir, "raw", "b.csv"), "2\n");
    execFileSync("rm", [path.join(dir, "pipe.in")]);
    writeFileSync(path.join(dir, "pipe.in"), "x\n");
    expect((await updraftIn(dir, ["plan", file])).stderr).toBe("");
  });
});
