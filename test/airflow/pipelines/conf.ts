/**
 * Run parameters as a team's DAG takes them: conf > UPDRAFT_PARAM_<NAME> > the parameter's own
 * variable > default, a default derived from another parameter, text converted by one rule, and the
 * run refused before any stage runs for an unknown key, a wrong type or a missing value.
 */
import { param, pipeline, sh, t } from "../../../src/index.js";
import { ok, type Fixture } from "../suite.js";

export const conf = pipeline(
  "uf_conf",
  {
    description: "Parameters from the conf, the worker's environment and derived defaults.",
    params: {
      run_name: param.string({ env: "UF_TEAM_RUN_NAME", description: "the team's run name" }),
      data_dir: param.path({ default: (p) => t`data/processed/${p.run_name!}` }),
      n: param.int({ default: 3 }),
      ratio: param.number({ default: 0.5 }),
      flag: param.bool({ default: false }),
      mode: param.enum(["fast", "full"], { default: "fast" }),
    },
  },
  ({ stage, params: p }) => {
    const first = stage("first", {
      command: sh`mkdir -p out && printf '%s|%s|%s|%s|%s|%s\n' ${p.run_name} ${p.data_dir} ${p.n} ${p.ratio} ${p.flag} ${p.mode} > out/conf.txt`,
      outputs: ["out/conf.txt"],
    });
    stage("second", { command: sh`cp out/conf.txt out/second.txt`, dependsOn: [first] });
  },
);
export default conf;

const refused = { status: "failed", attempts: [] } as const;
const notRun = { status: "upstream_failed", attempts: [] } as const;
const HOSTILE = `Ada "{{ run_id }}" $HOME ✓`;

export const fixture: Fixture = {
  cases: [
    {
      name: "conf-env-fallback",
      // Only in the worker's environment: the parameter's own variable, and UPDRAFT_PARAM_<NAME> as text.
      env: { UF_TEAM_RUN_NAME: HOSTILE, UPDRAFT_PARAM_N: "12" },
      // Text from the conf converts by the --param rule; a conf value wins over the environment.
      params: { ratio: "0.25", flag: "yes", mode: "full" },
      recorded: {
        run_name: HOSTILE,
        data_dir: `data/processed/${HOSTILE}`,
        n: 12,
        ratio: 0.25,
        flag: true,
        mode: "full",
      },
      sources: {
        run_name: "UF_TEAM_RUN_NAME",
        data_dir: "default",
        n: "UPDRAFT_PARAM_N",
        ratio: "given",
        flag: "given",
        mode: "given",
      },
      stages: { first: ok, second: ok },
      files: { "out/conf.txt": `${HOSTILE}|data/processed/${HOSTILE}|12|0.25|true|full\n` },
    },
    {
      name: "conf-precedence",
      env: { UF_TEAM_RUN_NAME: "team", UPDRAFT_PARAM_RUN_NAME: "updraft", UPDRAFT_PARAM_N: "12" },
      params: { n: 5, data_dir: "elsewhere" },
      recorded: { run_name: "updraft", data_dir: "elsewhere", n: 5, ratio: 0.5, flag: false, mode: "fast" },
      sources: { run_name: "UPDRAFT_PARAM_RUN_NAME", data_dir: "given", n: "given", ratio: "default" },
      stages: { first: ok, second: ok },
      files: { "out/conf.txt": "updraft|elsewhere|5|0.5|false|fast\n" },
    },
    {
      name: "conf-unknown-key",
      env: { UF_TEAM_RUN_NAME: "team" },
      params: { n: 4, bogus: "x" },
      rejected: 'sets "bogus", which the pipeline does not declare',
      stages: { first: refused, second: notRun },
    },
    {
      name: "conf-wrong-type",
      env: { UF_TEAM_RUN_NAME: "team" },
      params: { n: "0x10" },
      rejected: 'is "0x10", not a whole number',
      stages: { first: refused, second: notRun },
    },
    {
      name: "conf-env-wrong-type",
      env: { UF_TEAM_RUN_NAME: "team", UPDRAFT_PARAM_RATIO: "1_000" },
      rejected: 'parameter "ratio" from UPDRAFT_PARAM_RATIO is "1_000", not a number',
      stages: { first: refused, second: notRun },
    },
    {
      name: "conf-missing-required",
      rejected: 'parameter "run_name" is required and has no value',
      stages: { first: refused, second: notRun },
    },
  ],
};
