/**
 * The table printed when a run ends: each stage's status, attempts, duration and what to look at.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Manifest, StageRecord } from "../../../records/manifest.js";
import { shortDuration } from "./events.js";

type Paint = (status: StageRecord["status"], text: string) => string;

/** A path in the run directory as the user's shell reaches it: from the working directory, else absolute. */
function fromCwd(runDir: string, file = ""): string {
  const abs = path.join(runDir, file);
  const rel = path.relative(process.cwd(), abs) || ".";
  return rel.startsWith("..") ? abs : rel;
}

function span(s: StageRecord): number | null {
  const first = s.attempts[0];
  const last = s.attempts[s.attempts.length - 1];
  if (!first || !last?.end) return null;
  return Date.parse(last.end) - Date.parse(first.start);
}

function note(s: StageRecord, runDir: string): string {
  if (s.gate) return `${s.gate.verdict}${s.gate.verdict === "FAIL" ? ` (${s.gate.severity})` : ""}: ${s.gate.reason}`;
  const last = s.attempts[s.attempts.length - 1];
  const log = last?.log && s.status !== "success" && s.status !== "up_to_date" ? ` (${fromCwd(runDir, last.log)})` : "";
  return s.status === "not_selected" ? "" : `${s.reason ?? ""}${log}`;
}

function counts(m: Manifest): string {
  const n = new Map<string, number>();
  for (const s of m.stages) n.set(s.status, (n.get(s.status) ?? 0) + 1);
  return [...n].map(([status, k]) => `${k} ${status}`).join(", ");
}

/** The last non-empty lines of an attempt's log (already masked of secrets), indented. */
function logTail(runDir: string, log: string, lines = 5): string[] {
  let text: string;
  try {
    text = readFileSync(path.join(runDir, log), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .slice(-lines)
    .map((l) => `  | ${l}`);
}

/** For each failed stage, the end of its last log: usually the one line that says what went wrong. */
function failureTails(m: Manifest, runDir: string): string[] {
  const out: string[] = [];
  for (const s of m.stages) {
    const log = s.attempts[s.attempts.length - 1]?.log;
    if (s.status !== "failed" || !log) continue;
    const tail = logTail(runDir, log);
    if (tail.length > 0) out.push("", `${s.id}: last lines of ${fromCwd(runDir, log)}`, ...tail);
  }
  return out;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** What the run produced in the end: the outputs of the last stage (in plan order) that has some. */
function finalOutputs(m: Manifest): string[] {
  const last = m.stages
    .filter((s) => (s.status === "success" || s.status === "up_to_date") && s.outputs.length > 0)
    .at(-1);
  if (!last) return [];
  return [
    "",
    `produced by ${last.id}:`,
    ...last.outputs.map((o) => `  ${o.path}  (${size(o.size)}, sha256 ${o.sha256.slice(0, 12)})`),
  ];
}

/**
 * The summary of a finished run, as lines of text: the details (a table, failed logs' last lines,
 * what was produced) and the outcome (status, where the records are, how to resume), which is
 * all that `--quiet` prints.
 *
 * @example
 * ```ts
 * const { details, outcome } = summarize(manifest, runDir);
 * process.stdout.write([...details, "", ...outcome].join("\n") + "\n");
 * ```
 */
export function summarize(
  m: Manifest,
  runDir: string,
  paint: Paint = (_, t) => t,
): { details: string[]; outcome: string[] } {
  const rows = m.stages.map((s) => {
    const d = span(s);
    return [s.id, s.status, String(s.attempts.length), d === null ? "-" : shortDuration(d), note(s, runDir)] as const;
  });
  const head = ["stage", "status", "attempts", "duration", ""] as const;
  const width = (i: number) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length));
  const w = [0, 1, 2, 3].map(width);
  const line = (r: readonly string[], status?: StageRecord["status"]) => {
    const cells = r.slice(0, 4).map((c, i) => c.padEnd(w[i]!));
    if (status) cells[1] = paint(status, cells[1]!);
    return `${cells.join("  ")}  ${r[4]}`.trimEnd();
  };
  const details = [
    line(head),
    ...rows.map((r, i) => line(r, m.stages[i]!.status)),
    ...failureTails(m, runDir),
    ...finalOutputs(m),
  ];
  const took = m.end ? ` in ${shortDuration(Date.parse(m.end) - Date.parse(m.start))}` : "";
  const outcome = [`run ${m.runId}: ${m.status}${took} (${counts(m)})`, `records and logs: ${fromCwd(runDir)}/`];
  if (m.status === "failed" || m.status === "cancelled") outcome.push(`continue it with: --resume ${m.runId}`);
  return { details, outcome };
}
