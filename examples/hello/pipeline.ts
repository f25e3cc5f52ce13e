/**
 * The smallest useful pipeline: two stages, a parameter, a retry.
 *
 *   tsx examples/hello/pipeline.ts --dry-run
 *   tsx examples/hello/pipeline.ts --param who=Ada
 */
import { param, pipeline, runCli, sh } from "updraft";

export const hello = pipeline(
  "hello",
  {
    description: "Write a greeting, then read it back.",
    params: { who: param.string({ default: "world", description: "whom to greet" }) },
    defaults: { retry: { retries: 1, delay: "1s" } },
  },
  ({ stage, params: p }) => {
    const write = stage("write", {
      command: sh`mkdir -p out && printf 'hello, %s\n' ${p.who} > out/hello.txt`,
      outputs: ["out/hello.txt"],
    });
    stage("read", { command: ["cat", "out/hello.txt"], inputs: ["out/hello.txt"], dependsOn: [write], timeout: "30s" });
  },
);

export default hello;
await runCli(hello);
