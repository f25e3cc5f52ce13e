/**
 * The shared gate vectors (test/gates/vectors.json): loading, checking their shape, and writing a
 * case's files into a directory.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { GateSchema } from "../../src/plan/schema.js";

const FileSpec = z.union([
  z.string(),
  z.object({ json: z.unknown() }).strict(),
  z.object({ hex: z.string().regex(/^([0-9a-f]{2})*$/) }).strict(),
  z.object({ directory: z.literal(true) }).strict(),
  z.object({ fifo: z.literal(true) }).strict(),
  z.object({ symlink: z.string() }).strict(),
]);

const VectorSchema = z
  .object({
    name: z.string(),
    gate: GateSchema,
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    files: z.record(z.string(), FileSpec),
    expected: z
      .object({
        verdict: z.enum(["PASS", "FAIL"]),
        reason: z.string(),
        rules: z.array(z.object({ passed: z.boolean(), reason: z.string(), actual: z.unknown() }).strict()),
        schemaMismatches: z.array(z.string()).optional(),
      })
      .strict(),
  })
  .strict();

export type Vector = z.output<typeof VectorSchema>;

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "vectors.json");

/** Every case of the shared vectors, shape-checked. */
export function loadVectors(): Vector[] {
  const raw = JSON.parse(readFileSync(file, "utf8")) as { cases: Vector[] };
  z.object({ format: z.string(), cases: z.array(VectorSchema) }).parse(raw);
  // The raw data, not zod's copy: a copied record would lose a file named "__proto__".
  return raw.cases;
}

/** Write a case's files under `dir`. */
export function writeVectorFiles(vector: Vector, dir: string): void {
  for (const [name, spec] of Object.entries(vector.files)) {
    const target = path.join(dir, name);
    if (typeof spec === "object" && "directory" in spec) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof spec === "string") writeFileSync(target, spec, "utf8");
    else if ("json" in spec) writeFileSync(target, JSON.stringify(spec.json), "utf8");
    else if ("hex" in spec) writeFileSync(target, Buffer.from(spec.hex, "hex"));
    else if ("symlink" in spec) symlinkSync(spec.symlink, target);
    else execFileSync("mkfifo", [target]);
  }
}

/** A gate result as stored (a JSON round trip), keeping only what the vectors pin. */
export function comparable(result: unknown): unknown {
  const r = JSON.parse(JSON.stringify(result)) as {
    verdict: string;
    reason: string;
    rules: { passed: boolean; reason: string; actual: unknown }[];
    schemaMismatches?: string[];
  };
  return {
    verdict: r.verdict,
    reason: r.reason,
    rules: r.rules.map(({ passed, reason, actual }) => ({ passed, reason, actual })),
    ...(r.schemaMismatches === undefined ? {} : { schemaMismatches: r.schemaMismatches }),
  };
}
