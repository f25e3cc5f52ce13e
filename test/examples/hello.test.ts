import { execa } from "execa";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/executors/local/run-plan.js";
import type { Plan } from "../../src/plan/schema.js";
import { ROOT, tempDir } from "./rwkv-demo/helpers.js";

describe("examples/hello, the smallest useful pipeline", () => {
  it("GIVEN its plan WHEN run by the local executor THEN it writes the greeting and reads it back", async () => {
    const json = await execa(
      process.execPath,
      ["--import", "tsx", "src/cli/bin.ts", "plan", "examples/hello/pipeline.ts", "--json"],
      { cwd: ROOT },
    );
    const plan = (JSON.parse(String(json.stdout)) as { plan: Plan }).plan;
    const dir = tempDir("hello-");
    const manifest = await runPlan(
      plan,
      { who: "Ada" },
      { cwd: dir, runsDir: path.join(dir, "runs"), gpus: 0, output: "silent" },
    );
    expect(manifest.status).toBe("success");
    expect(manifest.stages.map((s) => [s.id, s.status])).toEqual([
      ["write", "success"],
      ["read", "success"],
    ]);
    expect(readFileSync(path.join(dir, "out/hello.txt"), "utf8")).toBe("hello, Ada\n");
    const log = manifest.stages[1]!.attempts[0]!.log!;
    expect(readFileSync(path.join(dir, "runs", manifest.runId, log), "utf8")).toContain("hello, Ada");
  });
});
