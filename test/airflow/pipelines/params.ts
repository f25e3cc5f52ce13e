/**
 * Run parameters of every type, reaching commands only through the environment: a shell script,
 * argv templates, env templates; a GPU stage (pool slot, CUDA_VISIBLE_DEVICES) and a secret.
 */
import { param, pipeline, sh, t } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

const WRITE_ARGS = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('\\n'.join(sys.argv[2:]) + '\\n')";

export const params = pipeline(
  "uf_params",
  {
    description: "Parameters reach commands through the environment.",
    params: {
      who: param.string({ default: "world", description: "whom to greet" }),
      n: param.int({ default: 3 }),
      ratio: param.number({ default: 0.5 }),
      flag: param.bool({ default: false }),
      mode: param.enum(["fast", "full"], { default: "fast" }),
    },
  },
  ({ stage, params: p }) => {
    const shell = stage("shell", {
      command: sh`mkdir -p out && printf '%s|%s|%s|%s|%s\n' ${p.who} ${p.n} ${p.ratio} ${p.flag} ${p.mode} > out/shell.txt`,
      outputs: ["out/shell.txt"],
    });
    stage("argv", {
      command: ["python3", "-c", WRITE_ARGS, "out/argv.txt", t`who=${p.who}`, t`n=${p.n}`, t`flag=${p.flag}`],
      dependsOn: [shell],
    });
    stage("env", {
      command: sh`printf '%s\n' "$GREETING" "$UPDRAFT_STAGE" "$UPDRAFT_ATTEMPT" "$CUDA_VISIBLE_DEVICES" > out/env.txt`,
      env: { GREETING: t`hi ${p.who} (${p.mode})` },
      gpu: 1,
      dependsOn: [shell],
    });
    stage("secret", { command: sh`echo "token=$UF_TOKEN"`, secretEnv: ["UF_TOKEN"] });
    // Declares no secret, yet prints another stage's: masked all the same, on both executors.
    stage("leak", { command: sh`echo "leaked $UF_TOKEN"` });
  },
);
export default params;

const TOKEN = "s3cr3t-t0ken-value";
const MULTILINE = "line-one-part\nline-two-part";
const HOSTILE_WHO = `Ada O'Neil "{{ run_id }}" {% raw %} $HOME \\ ✓`;

export const fixture: Fixture = {
  cases: [
    {
      name: "params-default",
      env: { UF_TOKEN: TOKEN },
      stages: { shell: ok, argv: ok, env: ok, secret: ok, leak: ok },
      files: {
        "out/shell.txt": "world|3|0.5|false|fast\n",
        "out/argv.txt": "who=world\nn=3\nflag=false\n",
        "out/env.txt": "hi world (fast)\nenv\n1\n0\n",
      },
      logs: { "secret.1": "token=***\n", "leak.1": "leaked ***\n" },
      hidden: [TOKEN],
    },
    {
      name: "params-multiline-secret",
      env: { UF_TOKEN: MULTILINE },
      // Another n than params-default's, so that `updraft run` does not skip shell as up to date.
      params: { n: 4 },
      stages: { shell: ok, argv: ok, env: ok, secret: ok, leak: ok },
      logs: { "secret.1": "token=***\n", "leak.1": "leaked ***\n" },
      hidden: [MULTILINE, "line-one-part", "line-two-part"],
    },
    {
      name: "params-override",
      env: { UF_TOKEN: TOKEN },
      params: { who: HOSTILE_WHO, n: 7, ratio: 0.25, flag: true, mode: "full" },
      stages: { shell: ok, argv: ok, env: ok, secret: ok, leak: ok },
      files: {
        "out/shell.txt": `${HOSTILE_WHO}|7|0.25|true|full\n`,
        "out/argv.txt": `who=${HOSTILE_WHO}\nn=7\nflag=true\n`,
        "out/env.txt": `hi ${HOSTILE_WHO} (full)\nenv\n1\n0\n`,
      },
    },
  ],
};
