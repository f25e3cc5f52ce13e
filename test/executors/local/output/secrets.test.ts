/**
 * Secrets: read from the environment at run time, a missing one stops the run before anything
 * runs, and their values never reach the manifest or the logs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import { planOf, run, stageOf, tempDir } from "../helpers.js";

const SECRET = "s3cr3t-Token-ÄÖ-42";

const leaky = planOf(
  pipeline("leaky", {}, ({ stage }) => {
    stage("leak", {
      secretEnv: ["HF_TOKEN"],
      // Prints the token whole, split across two writes, and on stderr.
      command: sh`echo "token=$HF_TOKEN"; printf %s "$HF_TOKEN" | head -c 5; sleep 0.05; printf %s "$HF_TOKEN" | tail -c +6; echo; echo "err $HF_TOKEN" >&2; echo "$HF_TOKEN" > token.txt`,
      outputs: ["token.txt"],
    });
  }),
);

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe("secrets", () => {
  it("GIVEN a stage that needs a secret WHEN the secret is not set THEN the run fails before anything runs", async () => {
    const dir = tempDir();
    const env = { ...process.env };
    delete env.HF_TOKEN;
    const error = await run(leaky, dir, {}, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunSetupError);
    expect((error as Error).message).toBe("missing secret environment variable: HF_TOKEN (needed by leak)");
    expect(existsSync(path.join(dir, "runs"))).toBe(false);
  });

  it("GIVEN a stage that prints its secret WHEN it runs THEN the stage got the value, but no log, manifest or streamed line holds it", async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const stream = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
    const m = await run(
      leaky,
      dir,
      {},
      { env: { ...process.env, HF_TOKEN: SECRET }, verbose: true, output: "plain", stream, summaryStream: stream },
    );
    expect(stageOf(m, "leak").status).toBe("success");
    expect(readFileSync(path.join(dir, "token.txt"), "utf8")).toBe(`${SECRET}\n`);
    const runDir = path.join(dir, "runs", m.runId);
    const log = readFileSync(path.join(runDir, "logs/leak.1.log"), "utf8");
    expect(log.split("\n").sort()).toEqual(["", "err ***", "token=***", "***"].sort());
    for (const file of allFiles(runDir)) expect(readFileSync(file, "utf8"), file).not.toContain(SECRET);
    expect(lines.join("")).toContain("[leak] token=***");
    expect(lines.join("")).not.toContain(SECRET);
  });

  it("GIVEN a metrics file holding a secret WHEN a gate compares it THEN no gate record, manifest or terminal line holds the secret", async () => {
    const dir = tempDir();
    const secret = 'hunter2-"quoted"-ÄÖ';
    const gated = planOf(
      pipeline("gated_secret", {}, ({ stage, qualityGate }) => {
        const write = stage("write", {
          secretEnv: ["API_TOKEN"],
          command: sh`node -e 'require("fs").writeFileSync("metrics.json", JSON.stringify({ token: process.env.API_TOKEN }))'`,
          outputs: ["metrics.json"],
        });
        qualityGate("token_gate", {
          after: [write],
          metrics: "metrics.json",
          rules: (r) => [r.metric("token").eq("x")],
        });
      }),
    );
    const lines: string[] = [];
    const stream = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
    const env = { ...process.env, API_TOKEN: secret };
    const m = await run(gated, dir, {}, { env, output: "plain", stream, summaryStream: stream });
    const gate = stageOf(m, "token_gate");
    expect(gate.gate?.verdict).toBe("FAIL");
    expect(gate.gate?.reason).toContain("***");
    const runDir = path.join(dir, "runs", m.runId);
    const escaped = JSON.stringify(secret).slice(1, -1);
    for (const file of allFiles(runDir)) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toContain(secret);
      expect(text, file).not.toContain(escaped);
      expect(text, file).not.toContain("hunter2");
    }
    expect(lines.join("")).toContain("token_gate failed: FAIL");
    expect(lines.join("")).not.toContain("hunter2");
  });
});
