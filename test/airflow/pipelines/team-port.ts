/**
 * A team's hand-written DAG, ported as such a team writes it (issue 14's acceptance): the run name
 * from the conf, else the team's environment variable, else a default; paths derived from it;
 * optional flags; a dataset manifest that records its own checksum, judged by a gate with a bound
 * from a parameter and "the path matches, or the checksum does"; a GPU pool with the team's name,
 * owner and start date declared in the pipeline. Hostile values: an unknown conf key, numbers and
 * bools given as text, the environment fallback.
 */
import { z } from "zod";
import { optional, param, pipeline, sh, t } from "../../../src/index.js";
import { ok, upstreamFailed, type Fixture } from "../suite.js";

const WRITE_ARGS = "import sys; open(sys.argv[1], 'w', encoding='utf-8').write('\\n'.join(sys.argv[2:]) + '\\n')";

export const teamPort = pipeline(
  "uf_team_port",
  {
    description: "A team's nightly data check and training, ported from a hand-written DAG.",
    tags: ["team-nlp"],
    airflow: { startDate: "2024-01-15", owner: "data-eng", gpuPool: "nlp_a100" },
    params: {
      run_name: param.string({ env: "UF_PORT_RUN_NAME", default: "nightly" }),
      data_dir: param.path({ default: (p) => t`data/processed/${p.run_name!}` }),
      min_rows: param.int({ default: 3, description: "fewest rows the data check accepts" }),
      tamper: param.bool({ default: false, description: "test only: change the data after its manifest" }),
      wandb: param.string({ default: "" }),
      resume: param.bool({ default: false }),
    },
  },
  ({ stage, qualityGate, params: p }) => {
    const prepare = stage("prepare", {
      command: sh`mkdir -p ${p.data_dir} && printf 'a\nb\nc\nd\n' > ${p.data_dir}/train.bin
sum=$(sha256sum ${p.data_dir}/train.bin | cut -c1-64)
printf '{"rows": 4, "path": "/mnt/legacy/train.bin", "sha256": "%s"}\n' "$sum" > ${p.data_dir}/manifest.json
if [ ${p.tamper} = true ]; then echo e >> ${p.data_dir}/train.bin; fi`,
      outputs: [t`${p.data_dir}/train.bin`, t`${p.data_dir}/manifest.json`],
    });
    const dataOk = qualityGate("data_ok", {
      after: [prepare],
      metrics: t`${p.data_dir}/manifest.json`,
      schema: z.object({ rows: z.number(), path: z.string(), sha256: z.string() }),
      rules: (r) => [
        r.metric("rows").gte(p.min_rows),
        r.anyOf(r.metric("path").eq("data/train.bin"), r.file(t`${p.data_dir}/train.bin`).sha256(r.metric("sha256"))),
      ],
      record: t`runs/${p.run_name}/gates/data_ok.json`,
    });
    stage("train", {
      command: [
        "python3",
        "-c",
        WRITE_ARGS,
        t`runs/${p.run_name}/train.args`,
        "--data",
        t`${p.data_dir}/train.bin`,
        optional("--wandb", p.wandb),
        optional("--resume", p.resume),
      ],
      gpu: 1,
      dependsOn: [dataOk],
      outputs: [t`runs/${p.run_name}/train.args`],
    });
  },
);
export default teamPort;

const HOSTILE = `team "{{ ds }}" $HOME ✓`;
const gateFailed = { status: "failed", attempts: ["failed"], gate: "FAIL" } as const;
const blocked = { status: "blocked", attempts: [] } as const;

export const fixture: Fixture = {
  cases: [
    {
      name: "port-env-fallback",
      env: { UF_PORT_RUN_NAME: HOSTILE },
      recorded: {
        run_name: HOSTILE,
        data_dir: `data/processed/${HOSTILE}`,
        min_rows: 3,
        tamper: false,
        wandb: "",
        resume: false,
      },
      sources: { run_name: "UF_PORT_RUN_NAME", data_dir: "default", min_rows: "default" },
      stages: {
        prepare: ok,
        data_ok: { ...ok, gate: "PASS" },
        train: { ...ok, outputs: [`runs/${HOSTILE}/train.args`] },
      },
      files: { [`runs/${HOSTILE}/train.args`]: `--data\ndata/processed/${HOSTILE}/train.bin\n` },
      gateRecords: { [`runs/${HOSTILE}/gates/data_ok.json`]: "data_ok" },
    },
    {
      name: "port-conf-as-text",
      env: { UF_PORT_RUN_NAME: "the environment loses" },
      params: { run_name: "conf", min_rows: "4", wandb: "proj x", resume: "true" },
      recorded: {
        run_name: "conf",
        data_dir: "data/processed/conf",
        min_rows: 4,
        tamper: false,
        wandb: "proj x",
        resume: true,
      },
      sources: { run_name: "given", data_dir: "default", min_rows: "given", resume: "given" },
      stages: { prepare: ok, data_ok: { ...ok, gate: "PASS" }, train: ok },
      files: { "runs/conf/train.args": "--data\ndata/processed/conf/train.bin\n--wandb\nproj x\n--resume\n" },
      gateRecords: { "runs/conf/gates/data_ok.json": "data_ok" },
    },
    {
      name: "port-bound-from-conf",
      params: { min_rows: "5" },
      recorded: {
        run_name: "nightly",
        data_dir: "data/processed/nightly",
        min_rows: 5,
        tamper: false,
        wandb: "",
        resume: false,
      },
      stages: { prepare: ok, data_ok: gateFailed, train: blocked },
      files: { "runs/nightly/train.args": null },
      gateRecords: { "runs/nightly/gates/data_ok.json": "data_ok" },
    },
    {
      name: "port-checksum-mismatch",
      params: { run_name: "tampered", tamper: true },
      stages: { prepare: ok, data_ok: gateFailed, train: blocked },
      files: { "runs/tampered/train.args": null },
    },
    {
      name: "port-unknown-conf-key",
      params: { min_rowz: 3 },
      rejected: 'sets "min_rowz", which the pipeline does not declare',
      stages: { prepare: { status: "failed", attempts: [] }, data_ok: upstreamFailed, train: upstreamFailed },
    },
  ],
};
