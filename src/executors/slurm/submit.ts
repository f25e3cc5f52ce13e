/**
 * submit.sh: the bash script that submits one run of a plan to Slurm with sbatch. Each stage
 * attempt is a job; the run's start job (held until everything is submitted) and end job frame
 * them. Every Plan value reaches the script through `bash.ts`.
 */
import type { Plan, Stage } from "../../plan/schema.js";
import { needsGpu } from "../../planner/params.js";
import { bashComment, bashWord, bashWords, gpuRef, jobRef } from "./bash.js";
import { attemptsOf } from "./spec.js";
import { plural } from "../../common/plural.js";

/** What the script is rendered from besides the plan. */
export interface SubmitInput {
  readonly plan: Plan;
  /** Slurm license standing for a cluster-wide GPU pool, or null. */
  readonly gpuLicense: string | null;
  /** Lines of the export report, for the header. */
  readonly report: readonly string[];
  readonly reexport: string;
}

/** Seconds an attempt may need beyond its own timeout: the kill's grace period and a margin. */
const OUTER_MARGIN_SECONDS = 65;

const PRELUDE = String.raw`set -Eeuo pipefail
here=$(cd "$(dirname "${"$"}{BASH_SOURCE[0]}")" && pwd)
run=$("${"$"}{UPDRAFT_PYTHON:-python3}" "$here/updraft_slurm.py" open "$@") || exit 2
declare -A job=()
all=()
trap 'cancel_all' ERR
cancel_all() {
  [[ ${"$"}{#all[@]} -eq 0 ]] || scancel "${"$"}{all[@]}" || true
  echo "submit.sh: submission failed; cancelled the ${"$"}{#all[@]} job(s) already submitted" >&2
  exit 1
}
# submit STAGE N DEPENDENCY [sbatch option]... -- ARGUMENT...: one job of job.sh; its id goes to
# job[STAGE#N] and to the run's slurm/jobs.tsv (read by later attempts and by updraft slurm status).
submit() {
  local stage=$1 n=$2 dependency=$3 options=() id
  shift 3
  while [[ $1 != -- ]]; do options+=("$1"); shift; done
  shift
  id=$(sbatch --parsable --kill-on-invalid-dep=yes --chdir="$run" --job-name="$name${"$"}{stage:+.$stage.$n}" \
    --output="slurm/${"$"}{stage:-run}.$n.out" ${"$"}{dependency:+"--dependency=$dependency"} "${"$"}{options[@]}" \
    "$here/job.sh" "$here" "$@")
  id=${"$"}{id%%;*}
  job["$stage#$n"]=$id
  all+=("$id")
  printf '%s\t%s\t%s\n' "$stage" "$n" "$id" >>"$run/slurm/jobs.tsv"
}`;

/** The key of the job whose success means the stage succeeded. */
function doneKey(stage: Stage): string {
  return attemptsOf(stage) === 1 ? `${stage.id}#1` : `${stage.id}#ok`;
}

function upstream(stage: Stage, byId: ReadonlyMap<string, Stage>): string {
  if (stage.dependsOn.length === 0) return `afterok:${jobRef("#start")}`;
  return stage.dependsOn
    .map((id) => {
      const d = byId.get(id)!;
      const warn = d.kind === "gate" && d.gate?.severity === "warn";
      return `${warn ? "afterany" : "afterok"}:${jobRef(doneKey(d))}`;
    })
    .join(",");
}

/** A stage's sbatch options as bash words; a GPU count from a parameter is the one submit.sh read. */
function options(stage: Stage, gpuLicense: string | null): string {
  const out: string[] = [];
  const count = (prefix: string) =>
    typeof stage.gpu === "number" ? bashWord(`${prefix}${stage.gpu}`) : `${bashWord(prefix)}"${gpuRef(stage.id)}"`;
  if (needsGpu(stage)) out.push(count("--gres=gpu:"));
  if (needsGpu(stage) && gpuLicense !== null) out.push(count(`--licenses=${gpuLicense}:`));
  if (stage.timeoutSeconds !== null)
    out.push(bashWord(`--time=${Math.ceil((stage.timeoutSeconds + OUTER_MARGIN_SECONDS) / 60)}`));
  return out.map((w) => `${w} `).join("");
}

/** Lines that read the GPU counts parameters give (`gpus[stage]`), once the run's parameters are resolved. */
function gpuCountLines(plan: Plan): string[] {
  if (plan.stages.every((s) => typeof s.gpu === "number")) return [];
  return [
    "# GPU counts given by run parameters, as this run resolved them.",
    "declare -A gpus=()",
    'counts=$("${UPDRAFT_PYTHON:-python3}" "$here/updraft_slurm.py" gpus "$run") || exit 2',
    "while IFS=$'\\t' read -r stage count; do gpus[$stage]=$count; done <<<\"$counts\"",
    "",
  ];
}

function stageLines(stage: Stage, byId: ReadonlyMap<string, Stage>, gpuLicense: string | null): string[] {
  const n = attemptsOf(stage);
  const up = upstream(stage, byId);
  const opts = options(stage, gpuLicense);
  const what = stage.kind === "gate" ? `${stage.gate!.severity} gate` : `${plural(n, "attempt")}`;
  const lines = [bashComment(`${stage.id}: ${what}`)];
  if (stage.kind === "gate") {
    lines.push(
      `submit ${bashWords([stage.id, "1"])} "${up}" ${opts}${bashWords(["--", "gate"])} "$run" ${bashWord(stage.id)}`,
    );
    return lines;
  }
  for (let k = 1; k <= n; k++) {
    const dep = k === 1 ? up : `${up},afternotok:${jobRef(`${stage.id}#${k - 1}`)}`;
    const args = `"$run" ${bashWords([stage.id, String(k)])}`;
    lines.push(`submit ${bashWords([stage.id, String(k)])} "${dep}" ${opts}${bashWords(["--", "attempt"])} ${args}`);
  }
  if (n > 1) {
    // Only "?" in this expression: Slurm documents one separator per dependency expression.
    const any = Array.from({ length: n }, (_, i) => `afterok:${jobRef(`${stage.id}#${i + 1}`)}`).join("?");
    lines.push(`submit ${bashWords([stage.id, "ok"])} "${any}" -- noop`);
  }
  return lines;
}

/**
 * The text of submit.sh for a plan.
 *
 * @example
 * ```ts
 * submitScript({ plan, gpuLicense: null, report: [], reexport: "updraft export slurm p.ts --out slurm" });
 * ```
 */
export function submitScript(input: SubmitInput): string {
  const { plan } = input;
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const singleton = plan.pipeline.maxActiveRuns === 1;
  const header = [
    `Submit one run of ${plan.pipeline.id} to Slurm (plan ${plan.hash}).`,
    "Generated by updraft; do not edit. Export again with:",
    `  ${input.reexport}`,
    "",
    "  bash submit.sh [--param name=value]...",
    "",
    "Needs sbatch, scontrol and scancel here; this directory and the project directory at the same",
    "path on every node (a shared filesystem); python3 on every node. Secrets are read from the",
    "environment submit.sh runs in (sbatch passes it to the jobs).",
    ...(input.report.length > 0
      ? ["", "Where Slurm differs from updraft run:", ...input.report.map((r) => `- ${r}`)]
      : []),
  ];
  const start = singleton ? ["--hold", "--dependency=singleton"] : ["--hold"];
  return [
    "#!/usr/bin/env bash",
    bashComment(header.join("\n")),
    PRELUDE,
    `name=${bashWord(plan.pipeline.id)}`,
    "",
    ...gpuCountLines(plan),
    singleton
      ? "# The run starts once every earlier run of this pipeline has ended (max active runs 1)."
      : "# The run's start job: held until every job is submitted.",
    `submit '' start '' ${bashWords([...start, "--", "noop"])}`,
    "",
    ...plan.stages.flatMap((s) => [...stageLines(s, byId, input.gpuLicense), ""]),
    "# The run's end job: ends after every other job of the run (the next run's start waits for it).",
    `submit '' end "afterany:$(IFS=:; echo "\${all[*]}")" -- noop`,
    `scontrol release ${jobRef("#start")}`,
    'printf \'submitted %s: %d jobs\\nrun directory: %s\\n\' "${run##*/}" "${#all[@]}" "$run"',
    "",
  ].join("\n");
}
