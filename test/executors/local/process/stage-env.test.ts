/**
 * What a stage process gets: params as UPDRAFT_PARAM_*, the run's UPDRAFT_* variables, its env on
 * top of the parent's, argv without a shell, scripts through bash, logs interleaved per attempt.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { param } from "../../../../src/dsl/params.js";
import { pipeline } from "../../../../src/dsl/pipeline.js";
import { sh, t } from "../../../../src/dsl/template.js";
import { planOf, run, stageOf, tempDir } from "../helpers.js";

describe("stage environment", () => {
  it("GIVEN params and env WHEN a shell stage runs THEN it sees every param, the UPDRAFT_* variables, its env and the parent env", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline(
        "envy",
        { params: { who: param.string({ default: "Ada Lovelace" }), ctx_len: param.int({ default: 512 }) } },
        ({ stage, params: p }) => {
          stage("show", {
            command: sh`{ echo "who=${p.who}"; echo "ctx=$UPDRAFT_PARAM_CTX_LEN"; echo "run=$UPDRAFT_RUN_ID"; echo "dir=$UPDRAFT_RUN_DIR"; echo "stage=$UPDRAFT_STAGE attempt=$UPDRAFT_ATTEMPT"; echo "mine=$MINE"; echo "parent=$PARENT_VAR"; [ -n "$BASH_VERSION" ] && echo "bash=yes"; } > env.txt`,
            env: { MINE: t`hello ${p.who}` },
            outputs: ["env.txt"],
          });
        },
      ),
    );
    const m = await run(
      plan,
      dir,
      { who: "Ada Lovelace", ctx_len: 512 },
      { env: { ...process.env, PARENT_VAR: "from-parent" } },
    );
    expect(readFileSync(path.join(dir, "env.txt"), "utf8").split("\n")).toEqual([
      "who=Ada Lovelace",
      "ctx=512",
      `run=${m.runId}`,
      `dir=${path.join(dir, "runs", m.runId)}`,
      "stage=show attempt=1",
      "mine=hello Ada Lovelace",
      "parent=from-parent",
      "bash=yes",
      "",
    ]);
  });

  it("GIVEN an argv command WHEN it runs THEN no shell reads its arguments", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("argv", { params: { x: param.string({ default: "$HOME; echo pwned" }) } }, ({ stage, params: p }) => {
        stage("raw", { command: ["bash", "-c", 'printf "%s|" "$@" > args.txt', "-", p.x, "$(id)", "*"] });
      }),
    );
    await run(plan, dir, { x: "$HOME; echo pwned" });
    expect(readFileSync(path.join(dir, "args.txt"), "utf8")).toBe("$HOME; echo pwned|$(id)|*|");
  });

  it("GIVEN a stage writing to stdout and stderr WHEN it runs THEN both are interleaved in its attempt's log", async () => {
    const dir = tempDir();
    const plan = planOf(
      pipeline("logs", {}, ({ stage }) => {
        stage("talk", { command: sh`echo one; echo two >&2; echo three` });
      }),
    );
    const m = await run(plan, dir);
    const log = readFileSync(path.join(dir, "runs", m.runId, stageOf(m, "talk").attempts[0]!.log!), "utf8");
    expect(log).toBe("one\ntwo\nthree\n");
  });
});
