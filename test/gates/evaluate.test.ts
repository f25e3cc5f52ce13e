/**
 * The pure evaluator on its own: it judges only the facts it is given and never looks at disk.
 */
import { describe, expect, it } from "vitest";
import { evaluateGate, type GateFacts } from "../../src/gates/evaluate.js";
import type { Gate } from "../../src/plan/schema.js";

const HASH = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
const base = {
  gateId: "g",
  values: {},
  metrics: null,
  files: {},
  time: "2025-01-02T03:04:05.000Z",
} satisfies Partial<GateFacts>;
const gate = (rules: Gate["rules"], metrics: Gate["metrics"] = null): Gate => ({ metrics, rules, severity: "block" });

describe("evaluateGate", () => {
  it("judges the facts it is given, not the disk", () => {
    // GIVEN facts about files that exist nowhere on disk
    const facts: GateFacts = {
      ...base,
      gate: gate([
        { op: "file-exists", file: ["/no/such/dir/a.bin"] },
        { op: "sha256", file: ["/no/such/dir/a.bin"], value: HASH },
      ]),
      files: { "/no/such/dir/a.bin": { kind: "file", size: 6, sha256: HASH } },
    };

    // WHEN the gate is evaluated THEN it passes on those facts alone, with the given time
    const result = evaluateGate(facts);
    expect(result.verdict).toBe("PASS");
    expect(result.reason).toBe("all 2 rules passed");
    expect(result.time).toBe("2025-01-02T03:04:05.000Z");
  });

  it("fails, never passes, when its caller left facts out", () => {
    // GIVEN rules whose facts were not gathered
    const result = evaluateGate({
      ...base,
      gate: gate(
        [
          { op: "file-exists", file: ["a.bin"] },
          { op: "sha256", file: ["b.bin"], value: HASH },
          { op: "sha256-listed", file: ["b.bin"], sums: ["SUMS"] },
          { op: "present", metric: "rows" },
        ],
        ["m.json"],
      ),
      files: { "b.bin": { kind: "file", size: 6 }, SUMS: { kind: "file", size: 70 } },
    });

    // THEN every rule fails with a reason naming what is missing
    expect(result.rules.map((r) => [r.passed, r.reason])).toEqual([
      [false, 'file "a.bin" was not examined'],
      [false, 'file "b.bin" was not hashed'],
      [false, 'file "b.bin" was not hashed'],
      [false, 'rows cannot be checked: metrics file "m.json" was not read'],
    ]);
    expect(result.verdict).toBe("FAIL");
  });

  it("records a sums file that was not read as a failure of that rule", () => {
    const result = evaluateGate({
      ...base,
      gate: gate([{ op: "sha256-listed", file: ["b.bin"], sums: ["SUMS"] }]),
      files: { "b.bin": { kind: "file", size: 6, sha256: HASH }, SUMS: { kind: "file", size: 70 } },
    });
    expect(result.rules[0]).toMatchObject({ passed: false, actual: HASH, reason: 'sums file "SUMS" was not read' });
  });
});
