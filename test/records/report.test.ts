import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/records/report/page.js";
import { segments } from "../../src/records/report/gantt-svg.js";
import { chainPlan, manifest, writeRun, type StageSpec } from "../fixtures/history/factory.js";
import { readFull, tempDir } from "./helpers.js";

const STAGES: StageSpec[] = [
  { id: "prepare", outputs: ["data/train.jsonl"] },
  {
    id: "train",
    outcomes: ["timeout", "failed", "success"],
    gpus: [0],
    gpuWaitMs: 45_000,
    retryDelayMs: 20_000,
    durationMs: 90_000,
  },
  { id: "eval", outcomes: ["success"] },
  { id: "eval-gate", gate: { verdict: "FAIL", reason: 'loss <script>alert("x")</script> too high' } },
];

async function reportOf(stages: StageSpec[], params: Record<string, string> = {}) {
  const root = tempDir();
  const plan = chainPlan(
    "rwkv",
    stages.map((s) => s.id),
    { gates: ["eval-gate"], fanOut: true },
  );
  const m = manifest({ runId: "r1", start: "2025-03-03T09:00:00Z", planHash: plan.hash, stages });
  writeRun(root, { ...m, params: { ...m.params, ...params } }, plan);
  const { runs } = await readFull(root);
  const outDir = tempDir();
  const html = renderReport({ run: runs[0]!, plan, outDir, nowMs: Date.parse("2025-03-03T12:00:00Z") });
  const file = path.join(outDir, "report.html");
  writeFileSync(file, html);
  return { html, file, plan };
}

describe("report HTML", () => {
  it("draws GPU waits, attempts and retry delays as distinct timeline segments", async () => {
    const root = tempDir();
    writeRun(root, manifest({ runId: "r", start: "2025-03-03T09:00:00Z", stages: STAGES }));
    const { runs } = await readFull(root);
    const train = segments(runs[0]!.stages, 0).filter((s) => s.stage === "train");
    expect(train.map((s) => [s.kind, s.attempt, s.outcome, s.endMs - s.startMs])).toEqual([
      ["gpu-wait", 1, null, 45_000],
      ["attempt", 1, "timeout", 90_000],
      ["retry-delay", 1, null, 20_000],
      ["gpu-wait", 2, null, 45_000],
      ["attempt", 2, "failed", 90_000],
      ["retry-delay", 2, null, 20_000],
      ["gpu-wait", 3, null, 45_000],
      ["attempt", 3, "success", 90_000],
    ]);
  });

  it("escapes every piece of user text", async () => {
    const { html } = await reportOf(STAGES, { note: '"><img src=x onerror=alert(1)>' });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).toContain("loss &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; too high");
    expect(html).toContain("note=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  });
});

function findChromium(): string | null {
  for (const name of [process.env.CHROMIUM, "chromium", "chromium-browser", "google-chrome"]) {
    if (!name) continue;
    try {
      execFileSync("sh", ["-c", `command -v "$0"`, name], { stdio: "pipe" });
      return name;
    } catch {
      continue;
    }
  }
  return null;
}

const chromium = findChromium();
if (!chromium)
  console.warn(
    "report.test.ts: chromium not found; skipping the browser test (apt-get install -y chromium, or set CHROMIUM)",
  );

async function browser(args: string[]): Promise<string> {
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    `--user-data-dir=${tempDir("updraft-chromium-")}`,
    "--window-size=1200,1400",
    "--hide-scrollbars",
  ];
  const r = await execa(chromium!, [...flags, ...args], { timeout: 90_000, reject: false });
  if (r.exitCode !== 0) throw new Error(`chromium exited ${r.exitCode}: ${String(r.stderr).slice(-500)}`);
  return String(r.stdout);
}

/** Distinct colours of a PNG, as "r,g,b" strings, with their pixel counts. */
function colours(file: string): Map<string, number> {
  const png = PNG.sync.read(readFileSync(file));
  const counts = new Map<string, number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const key = `${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe.skipIf(!chromium)("report in a real browser (headless chromium)", () => {
  it(
    "renders the graph and the timeline: elements in the DOM, coloured pixels on screen",
    { timeout: 180_000 },
    async () => {
      // GIVEN a report of a run with a retried GPU stage and a failed gate
      const { file, plan } = await reportOf(STAGES);
      const url = `file://${file}`;
      // WHEN chromium loads it
      const dom = await browser(["--dump-dom", url]);
      const shot = path.join(path.dirname(file), "shot.png");
      await browser([`--screenshot=${shot}`, url]);
      // THEN the DOM holds a box per stage, an edge per dependency and a bar per attempt, wait and delay
      const svg = (id: string) => dom.match(new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`))?.[0] ?? "";
      const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;
      const [dag, gantt] = [svg("dag"), svg("gantt")];
      const edges = plan.stages.reduce((n, s) => n + s.dependsOn.length, 0);
      expect(edges).toBe(3);
      expect(count(dag, /<g class="node /g)).toBe(4);
      expect(count(dag, /<path class="edge"/g)).toBe(edges);
      expect(count(gantt, /<rect class="seg seg-attempt /g)).toBe(6);
      expect(count(gantt, /<rect class="seg seg-gpu-wait"/g)).toBe(3);
      expect(count(gantt, /<rect class="seg seg-retry-delay"/g)).toBe(2);
      // AND the screenshot is not blank: many colours, including the timeline's outcome colours
      const seen = colours(shot);
      expect(seen.size).toBeGreaterThan(20);
      for (const rgb of ["46,157,87", "214,69,69", "162,59,196", "201,206,212", "242,226,179"])
        expect(seen.get(rgb) ?? 0).toBeGreaterThan(200);
    },
  );
});
