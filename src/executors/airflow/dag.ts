/**
 * The DAG file: a header, the DAG definition (`build_dag(rt)`), then the runtime that executes stages
 * (the `updraft_airflow` package, embedded: see runtime.ts). Pure text from a Plan and the export options.
 */
import { parseStartDate } from "../../planner/checks/airflow.js";
import { fixedGpus, needsGpu } from "../../planner/params.js";
import { retryDelays } from "../../planner/retry.js";
import { paramEnvName, showTemplate } from "../../planner/template.js";
import type { Param, Plan, Stage } from "../../plan/schema.js";
import { docLines, type DocInput } from "./doc.js";
import { pyComment, pyIdentifier, pyLiteral, pyNumber, pyString, type PyData } from "./python.js";
import { formatIssue } from "./report.js";
import { runtimeSection } from "./runtime.js";
import { stageData } from "./stage-spec.js";

/** Names the generated file defines: task variables never take them. */
const RESERVED = [
  "dag",
  "rt",
  "datetime",
  "build_dag",
  "load_package",
  "SourceFinder",
  "DOC_MD",
  "PIPELINE",
  "RUNTIME",
  "RUNTIME_PACKAGE",
  "RUNTIME_SOURCES",
];

const TAG_LIMIT = 100;

/**
 * The trigger form's field types. Every field may be empty (null: no value given, so the worker's
 * variables and the default apply) or text (converted by updraft's rule on the worker, which also
 * checks enums), so that Airflow never refuses a run with its own message before updraft can.
 */
export const PARAM_TYPES: Record<Param["type"], readonly string[]> = {
  string: ["null", "string"],
  path: ["null", "string"],
  enum: ["null", "string"],
  int: ["null", "integer", "string"],
  number: ["null", "number", "string"],
  bool: ["null", "boolean", "string"],
};

/** What an empty field means, in the form's description of the parameter. */
function whenEmpty(p: Param): string {
  const vars = [paramEnvName(p.name), ...(p.env !== null ? [p.env] : [])].join(", then ");
  const fallback =
    p.default !== null
      ? `else ${JSON.stringify(p.default)}`
      : p.derived !== null
        ? `else ${showTemplate(p.derived)}`
        : "else required";
  return `Empty: ${vars} on the worker, ${fallback}.`;
}

/** The trigger form's description of a parameter: its own words, then what an empty field means. */
export function paramDescription(p: Param): string {
  const about = p.description === null ? "" : `${p.description.replace(/(?<![.!?])$/, ".")} `;
  return about + whenEmpty(p);
}

function paramLine(p: Param): string {
  const args = ["None", `type=${pyLiteral(PARAM_TYPES[p.type] as string[])}`];
  if (p.type === "enum") args.push(`examples=${pyLiteral(p.values)}`);
  args.push(`description=${pyString(paramDescription(p))}`);
  return `            ${pyString(p.name)}: rt.Param(${args.join(", ")}),`;
}

function taskBlock(stage: Stage, variable: string, pool: string, slots: number): string {
  const r = stage.retry;
  const lines = [
    `        ${variable} = rt.UpdraftStage(`,
    `            task_id=${pyString(stage.id)},`,
    `            stage=${pyLiteral(stageData(stage), "            ")},`,
    "            pipeline=PIPELINE,",
  ];
  if (stage.description !== null) lines.push(`            doc_md=${pyString(stage.description)},`);
  if (stage.queue !== null) lines.push(`            queue=${pyString(stage.queue)},`);
  // A GPU stage's timeout is the operator's own, started once it holds its GPUs (stage-spec.ts).
  if (stage.timeoutSeconds !== null && !needsGpu(stage))
    lines.push(`            execution_timeout=datetime.timedelta(seconds=${pyNumber(stage.timeoutSeconds)}),`);
  if (needsGpu(stage)) lines.push(`            pool=${pyString(pool)},`, `            pool_slots=${slots},`);
  if (r.retries > 0) {
    const max = r.maxDelaySeconds === null ? "None" : pyNumber(r.maxDelaySeconds);
    lines.push(
      `            **rt.retry_args(${r.retries}, ${pyLiteral(retryDelays(r))}, multiplier=${pyNumber(r.multiplier)}, max_delay=${max}),`,
    );
  } else {
    lines.push("            retries=0,");
  }
  lines.push("        )");
  return lines.join("\n");
}

function edges(plan: Plan, names: ReadonlyMap<string, string>): string[] {
  return plan.stages
    .filter((s) => s.dependsOn.length > 0)
    .map((s) => {
      const ups = s.dependsOn.map((d) => names.get(d)!);
      return `        ${ups.length === 1 ? ups[0] : `[${ups.join(", ")}]`} >> ${names.get(s.id)!}`;
    });
}

/** The DAG's start date in UTC as [year, month, day(, hour, minute, second)]: 2024-01-01 when none is declared. */
export function startDateFields(text: string | null): number[] {
  const d = text === null ? null : parseStartDate(text);
  if (d === null) return [2024, 1, 1];
  const utc = new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second) - d.offsetMinutes * 60_000);
  const fields = [utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate()];
  const time = [utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()];
  if (time.some((n) => n !== 0)) fields.push(...time);
  return fields;
}

/** The DAG's start_date as Python. */
function startDate(text: string | null): string {
  return `datetime.datetime(${startDateFields(text).join(", ")}, tzinfo=datetime.timezone.utc)`;
}

function dagBlock(input: DocInput): string {
  const { plan, pool } = input;
  const info = plan.pipeline;
  const taken = new Set(RESERVED);
  const names = new Map(plan.stages.map((s) => [s.id, pyIdentifier(s.id, taken)]));
  // Exactly the declared tags: the pipeline adds "updraft" itself if it wants that tag.
  const tags = [...new Set(info.tags.map((t) => t.slice(0, TAG_LIMIT)))];
  const args = [
    `        dag_id=${pyString(info.id)},`,
    ...(info.description !== null ? [`        description=${pyString(info.description)},`] : []),
    "        doc_md=DOC_MD,",
    `        schedule=${info.schedule === null ? "None" : pyString(info.schedule)},`,
    `        start_date=${startDate(info.airflow.startDate)},`,
    `        catchup=${info.airflow.catchup ? "True" : "False"},`,
    `        max_active_runs=${info.maxActiveRuns},`,
    `        tags=${pyLiteral(tags, "        ")},`,
  ];
  if (info.airflow.owner !== null) args.push(`        default_args={"owner": ${pyString(info.airflow.owner)}},`);
  if (plan.params.length > 0) args.push("        params={", ...plan.params.map(paramLine), "        },");
  const body = plan.stages.map((s) => taskBlock(s, names.get(s.id)!, pool, fixedGpus(plan.params, s)));
  const deps = edges(plan, names);
  return [
    "def build_dag(rt):",
    '    """The pipeline as an Airflow DAG: one task per stage, dependencies as in the plan (rt: the runtime)."""',
    "    with rt.DAG(",
    ...args,
    "    ) as dag:",
    body.join("\n\n"),
    ...(deps.length > 0 ? ["", ...deps] : []),
    "    return dag",
  ].join("\n");
}

function header(input: DocInput, reexport: string): string {
  const { plan, report } = input;
  const from = plan.pipeline.source ? plan.pipeline.source.file : "a plan";
  const lines = [
    `Airflow DAG "${plan.pipeline.id}", generated by updraft from ${from}.`,
    `Plan hash: ${plan.hash}`,
    `Do not edit: change the pipeline and export again (${reexport}).`,
    "Runs on Airflow 2.10.x and 3.x. Needs the pool in the .pools.json file beside it.",
    "",
    report.length === 0
      ? "Export report: Airflow matches the plan exactly."
      : `Export report (${report.length}): where Airflow differs from the plan`,
    ...report.map((issue) => `  - ${formatIssue(issue)}`),
  ];
  return pyComment(lines.join("\n"));
}

/**
 * The whole DAG file. `reexport` is the command shown in the header for exporting again.
 *
 * @example
 * ```ts
 * const text = renderDag({ plan, report, pool: "gpu", slots: 1, projectDir: "/srv/app", runsDir: ".updraft/runs" }, "updraft export airflow p.ts --out dags/");
 * ```
 */
export function renderDag(input: DocInput, reexport: string): string {
  const { plan } = input;
  const doc = docLines(input).map((line) => `    ${pyString(line)},`);
  const constants = [
    "PIPELINE = {",
    `    "id": ${pyString(plan.pipeline.id)},`,
    `    "plan_hash": ${pyString(plan.hash)},`,
    // The whole Plan, so each run can keep a plan.json beside its records as local runs do.
    `    "plan_json": ${pyString(JSON.stringify(plan))},`,
    `    "project_dir": ${pyString(input.projectDir)},`,
    `    "runs_dir": ${pyString(input.runsDir)},`,
    `    "param_names": ${pyLiteral(plan.params.map((p) => p.name) as PyData, "    ")},`,
    "}",
    'DOC_MD = "\\n".join([',
    ...doc,
    "])",
  ];
  return [
    header(input, reexport),
    "from __future__ import annotations",
    "",
    "import datetime",
    "",
    constants.join("\n"),
    "",
    "",
    dagBlock(input),
    "",
    "",
    "# " + "-".repeat(98),
    "# Runtime: how a stage runs. The updraft_airflow package (python/ in updraft's repository), its sources",
    "# embedded below (GPU leases and the gate evaluator only where the pipeline needs them) and imported",
    "# from memory, so workers need nothing installed. Its modules run on first import, the stages in execute().",
    "# " + "-".repeat(98),
    "",
    "",
    runtimeSection(plan),
    "",
    "",
    "dag = build_dag(RUNTIME)",
    "",
  ].join("\n");
}
