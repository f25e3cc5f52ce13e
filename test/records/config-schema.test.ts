/**
 * updraft.config.json: the checked-in JSON Schema is what the zod schema generates, the README
 * documents every key with its default, and a misspelt key names the nearest known one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchemaText, loadAdviseConfig } from "../../src/records/advise/advise-config.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Node {
  type?: string;
  default?: unknown;
  properties?: Record<string, Node>;
}

/** Every leaf key of the schema (dotted) with its default. */
function leaves(node: Node, prefix = ""): [string, unknown][] {
  return Object.entries(node.properties ?? {}).flatMap(([k, v]) =>
    k === "$schema" ? [] : v.properties ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v.default]],
  );
}

describe("updraft.config.json", () => {
  it("GIVEN schema/config.schema.json WHEN compared THEN it is what the zod schema generates (npm run schema)", () => {
    expect(readFileSync(path.join(ROOT, "schema/config.schema.json"), "utf8")).toBe(configJsonSchemaText());
  });

  it("GIVEN the README's configuration table WHEN read THEN it lists every key with its default, and no other", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.split("<!-- config-keys -->")[1]!.split("\n\n")[0]!;
    const rows = [...table.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => [m[1], JSON.parse(m[2]!)]);
    expect(rows).toEqual(leaves(JSON.parse(configJsonSchemaText()) as Node));
  });

  it("GIVEN misspelt keys at any depth WHEN the config is read THEN each names the nearest known key; $schema is allowed", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "updraft-config-"));
    const file = path.join(dir, "updraft.config.json");
    writeFileSync(
      file,
      JSON.stringify({
        $schema: "./node_modules/updraft/schema/config.schema.json",
        advice: {},
        advise: { windw: "2w", thresholds: { enginers: 3 } },
      }),
    );
    expect(await loadAdviseConfig({ cwd: dir })).toEqual({
      ok: false,
      file,
      problems: [
        'advise.thresholds: unknown key "enginers"; did you mean "engineers"? known keys: runsPerWeek, engineers, incidentsPerWeek, gpuWaitMinutes, manualRecoveryShare, manualRecoveryMinRuns, scheduledPipelines, minHistoryWeeks, minRuns',
        'advise: unknown key "windw"; did you mean "window"? known keys: window, thresholds',
        '(root): unknown key "advice"; did you mean "advise"? known keys: $schema, advise',
      ],
    });
    writeFileSync(file, JSON.stringify({ $schema: "x.json", advise: { window: "2w" } }));
    const ok = await loadAdviseConfig({ cwd: dir });
    expect(ok.ok && ok.config.window).toBe("2w");
    rmSync(dir, { recursive: true, force: true });
  });
});
