/**
 * Declared paths as ML data has them: globs, directory trees with names that are not UTF-8, missing
 * inputs found before anything runs, and FIFOs or devices refused without being opened.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh } from "../../../../src/dsl/template.js";
import { RunSetupError } from "../../../../src/executors/local/errors.js";
import { counter, planOf, run, tempDir } from "../helpers.js";

const globbed = planOf(
  pipeline("globbed", {}, ({ stage }) => {
    stage("merge", {
      command: sh`echo x >> merge.count; cat data/*.csv > all.csv`,
      inputs: ["data/*.csv"],
      outputs: ["all.csv"],
    });
  }),
);

describe("declared inputs and outputs", () => {
  it("GIVEN a glob input WHEN a matching file is added THEN the stage reruns", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "data"));
    writeFileSync(path.join(dir, "data", "a.csv"), "a\n");
    await run(globbed, dir);
    expect((await run(globbed, dir)).stages[0]!.status).toBe("up_to_date");
    writeFileSync(path.join(dir, "data", "x.csv"), "x\n");
    const after = await run(globbed, dir);
    expect(after.stages[0]!.status).toBe("success");
    expect(counter(path.join(dir, "merge.count"))).toBe(2);
  });

  it("GIVEN a directory output holding a file whose name is not UTF-8 WHEN it is edited or deleted THEN the stage reruns", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "src"));
    const name = Buffer.from([0x66, 0xff, 0xfe]);
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, "src") + "/"), name]), "one\n");
    const plan = planOf(
      pipeline("bytes", {}, ({ stage }) => {
        stage("copy", { command: sh`rm -rf out; cp -r src out`, inputs: ["src"], outputs: ["out"] });
      }),
    );
    const odd = Buffer.concat([Buffer.from(path.join(dir, "out") + "/"), name]);
    const status = async () => (await run(plan, dir)).stages[0]!.status;
    expect(await status()).toBe("success");
    expect(await status()).toBe("up_to_date");
    writeFileSync(odd, "two\n");
    expect(await status()).toBe("success");
    rmSync(odd);
    expect(await status()).toBe("success");
    expect(await status()).toBe("up_to_date");
  });

  it("GIVEN an input that does not exist and no upstream output WHEN the run starts THEN it is refused naming stage and path", async () => {
    const dir = tempDir();
    const error = await run(globbed, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunSetupError);
    expect((error as RunSetupError).message).toBe(
      `stage "merge": input data/*.csv does not exist (looked for ${path.join(dir, "data/*.csv")})`,
    );
    expect((error as RunSetupError).hint).toMatch(/declare it as an output of a stage this one depends on/);
  });

  it("GIVEN an input an upstream stage declares as output WHEN the run starts THEN it is accepted", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("chain", {}, ({ stage }) => {
        const a = stage("a", { command: sh`mkdir -p gen; echo 1 > gen/a.csv`, outputs: ["gen"] });
        stage("b", { command: sh`cat gen/*.csv > b.txt`, inputs: ["gen/*.csv"], outputs: ["b.txt"], dependsOn: [a] });
      }),
    );
    expect((await run(plan, dir)).status).toBe("success");
  });

  it("GIVEN a FIFO input and a /dev/zero link WHEN the run starts THEN both are refused at once, never opened", async () => {
    const dir = tempDir();
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    symlinkSync("/dev/zero", path.join(dir, "zero"));
    const plan = planOf(
      pipeline("special", {}, ({ stage }) => {
        stage("read", { command: sh`true`, inputs: ["pipe", "zero"], outputs: ["x"] });
      }),
    );
    const started = Date.now();
    const error = (await run(plan, dir).catch((e: unknown) => e)) as RunSetupError;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.message.split("\n")).toEqual([
      'stage "read": input pipe is a FIFO (named pipe), not a regular file or directory; updraft never opens it',
      'stage "read": input zero is a character device, not a regular file or directory; updraft never opens it',
    ]);
  });

  it("GIVEN a stage that leaves a FIFO as its output WHEN it ends THEN it fails naming the output, without hanging", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("fifo-out", {}, ({ stage }) => {
        stage("make", { command: sh`mkfifo out.pipe`, outputs: ["out.pipe"] });
      }),
    );
    const m = await run(plan, dir);
    expect(m.stages[0]).toMatchObject({
      status: "failed",
      reason: "missing output: out.pipe (a FIFO (named pipe), not a regular file or directory)",
    });
  });
});
