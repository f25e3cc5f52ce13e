/**
 * Two `updraft run` processes on one machine share the GPU pool: with one slot, their GPU stages
 * never overlap, over several trials.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, exitOf, FIXTURES, startCli, tempDir } from "../helpers.js";

interface Span {
  owner: string;
  start: number;
  end: number;
  device: string;
}

function spans(file: string): Span[] {
  const lines = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(" "));
  const starts = new Map(
    lines.filter((l) => l[0] === "start").map((l) => [`${l[1]} ${l[2]}`, { start: Number(l[3]), device: l[4] ?? "" }]),
  );
  return lines
    .filter((l) => l[0] === "end")
    .map((l) => {
      const owner = `${l[1]} ${l[2]}`;
      return { owner, start: starts.get(owner)!.start, end: Number(l[3]), device: starts.get(owner)!.device };
    });
}

describe("concurrent runs", () => {
  it("GIVEN two runner processes and one GPU slot WHEN both run two GPU stages THEN no two GPU stages ever overlap (3 trials)", async () => {
    let crossWaits = 0;
    for (let trial = 0; trial < 3; trial++) {
      const dir = tempDir();
      const times = path.join(dir, "times.txt");
      // One lock directory, two runs directories: only the machine-wide leases are shared.
      const runners = ["r1", "r2"].map((name) =>
        startCli(
          [
            "run",
            path.join(FIXTURES, "gpu-slot.ts"),
            "--gpus",
            "1",
            "--runs-dir",
            path.join(dir, name),
            "-p",
            `times=${times}`,
            "-p",
            "hold=0.5",
          ],
          dir,
          cliEnv(dir),
        ),
      );
      const codes = await Promise.all(runners.map(async (r) => (await exitOf(r)).code));
      expect(codes, runners.map((r) => r.output()).join("\n")).toEqual([0, 0]);
      const all = spans(times).sort((a, b) => a.start - b.start);
      expect(all).toHaveLength(4);
      expect(new Set(all.map((s) => s.device))).toEqual(new Set(["0"]));
      for (let i = 1; i < all.length; i++) {
        expect(
          all[i]!.start,
          `${all[i - 1]!.owner} and ${all[i]!.owner} overlap in trial ${trial}`,
        ).toBeGreaterThanOrEqual(all[i - 1]!.end);
      }
      const ids = runners.map((r) => /run (\S+): pipeline/.exec(r.output())?.[1]);
      if (
        runners[0]!.output().includes(`held by run ${ids[1]}`) ||
        runners[1]!.output().includes(`held by run ${ids[0]}`)
      )
        crossWaits++;
    }
    // The runs really competed: at least once a stage waited for the other process's run.
    expect(crossWaits).toBeGreaterThan(0);
  }, 240_000); // six CLI starts: minutes on a loaded 2-core machine
});
