import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { pipeline, type StageRef } from "../../src/dsl/pipeline.js";
import { plan as planPipeline } from "../../src/planner/plan.js";
import type { Plan } from "../../src/plan/schema.js";
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

/** A real Plan from `deps`: stage id -> the ids it depends on (declared before it). */
function graphPlan(id: string, deps: Record<string, string[]>): Plan {
  const p = pipeline(id, {}, ({ stage }) => {
    const refs = new Map<string, StageRef<string>>();
    for (const [sid, after] of Object.entries(deps))
      refs.set(sid, stage(sid, { command: ["echo", sid], dependsOn: after.map((d) => refs.get(d)!) }));
  });
  const result = planPipeline(p);
  if (!result.ok) throw new Error(result.problems.map((x) => x.message).join("; "));
  return result.plan;
}

/** Write a successful run of `plan` and its report; returns the report file. */
async function reportOfPlan(plan: Plan): Promise<string> {
  const root = tempDir();
  const stages = plan.stages.map((s) => ({ id: s.id, durationMs: 5_000 }));
  writeRun(root, manifest({ runId: "g1", start: "2025-03-03T09:00:00Z", planHash: plan.hash, stages }), plan);
  const { runs } = await readFull(root);
  const outDir = tempDir();
  const file = path.join(outDir, "report.html");
  writeFileSync(file, renderReport({ run: runs[0]!, plan, outDir, nowMs: Date.parse("2025-03-03T12:00:00Z") }));
  return file;
}

// Edges that skip one, two and four levels, into and out of the middle of a chain, around stages
// of other branches.
const SKIPPING = graphPlan("skips", {
  a: [],
  x: [],
  b: ["a"],
  c: ["b", "x", "a"],
  y: [],
  d: ["c", "y", "a"],
  z: ["y"],
  w: ["z"],
  e: ["d", "a", "b", "w", "x"],
});
// Fourteen levels (about 3,400 px at full size) and a fan-out of eight.
const WIDE = graphPlan("wide", {
  ...Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`step_${i}`, i === 0 ? [] : [`step_${i - 1}`]])),
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`shard_${i}`, ["step_0"]])),
  merge: [...Array.from({ length: 8 }, (_, i) => `shard_${i}`), "step_13"],
});

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

  it("shows the end of the failed stage's log on the page", async () => {
    // GIVEN a failed run whose failing stage wrote 100 lines on its second attempt
    const root = tempDir();
    const stages: StageSpec[] = [{ id: "prepare" }, { id: "train", outcomes: ["failed", "failed"] }];
    const dir = writeRun(root, manifest({ runId: "f1", start: "2025-03-03T09:00:00Z", stages }));
    const lines = Array.from({ length: 100 }, (_, i) => `step ${i} <loss>`);
    writeFileSync(path.join(dir, "logs/train.2.log"), `${lines.join("\n")}\nCUDA error: out of memory\n`);
    const { runs } = await readFull(root);
    // WHEN the report is rendered
    const html = renderReport({ run: runs[0]!, plan: null, outDir: root, nowMs: Date.now() });
    // THEN it names the stage and attempt, links the log, and shows its last lines, escaped
    const section = html.match(/<section id="failure">[\s\S]*?<\/section>/)?.[0] ?? "";
    expect(section).toContain("Failed: train, attempt 2");
    expect(section).toContain('href="f1/logs/train.2.log"');
    expect(section).toContain("CUDA error: out of memory");
    expect(section).toContain("step 99 &lt;loss&gt;");
    expect(section).not.toContain("step 60 ");
    // AND a successful run has no such section
    const ok = await reportOf([{ id: "prepare" }]);
    expect(ok.html).not.toContain('id="failure"');
  });

  it("marks up-to-date and carried-over stages on the timeline and keeps them off its axis", async () => {
    // GIVEN a resumed run: prepare carried over from a run a day earlier, tokenize up to date,
    // train run now for 10 minutes
    const root = tempDir();
    const earlier = manifest({ runId: "old", start: "2025-03-02T09:00:00Z", stages: [{ id: "prepare" }] });
    const now = manifest({
      runId: "new",
      start: "2025-03-03T09:00:00Z",
      stages: [{ id: "prepare" }, { id: "tokenize", status: "up_to_date" }, { id: "train", durationMs: 600_000 }],
    });
    now.stages[0] = { ...earlier.stages[0]!, reason: "carried over from run old" };
    now.stages[1]!.reason = "same command, params and inputs as run old; its output is intact";
    writeRun(root, now);
    const { runs } = await readFull(root);
    // WHEN the report is rendered
    const html = renderReport({ run: runs[0]!, plan: null, outDir: root, nowMs: Date.now() });
    const gantt = html.match(/<svg id="gantt"[\s\S]*?<\/svg>/)?.[0] ?? "";
    // THEN both are marked, without bars, and the axis spans only this run's 10 minutes
    expect(gantt).toMatch(/<g class="carried" data-stage="prepare">[\s\S]*?carried over: not run again/);
    expect(gantt).toMatch(/<g class="carried" data-stage="tokenize">[\s\S]*?up to date: not run/);
    expect(gantt).not.toMatch(/<rect class="seg[^"]*" data-stage="(prepare|tokenize)"/);
    expect(gantt).toMatch(
      /<rect class="seg seg-attempt outcome-success" data-stage="train"[^>]* x="0.00%"[^>]* width="100.00%"/,
    );
    expect([...gantt.matchAll(/>\+([^<]+)<\/text>/g)].map((m) => m[1]).at(-1)).toBe("10m00s");
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

/**
 * Measures the page in the browser and writes the result into the DOM as JSON: for each edge, the
 * boxes its drawn path passes through (sampled along its length) and whether it starts and ends on
 * its own boxes; the page's and each picture's extent.
 */
const MEASURE = `<script>
(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; };
  const inside = (p, b, pad) => p.x > b.l + pad && p.x < b.r - pad && p.y > b.t + pad && p.y < b.b - pad;
  const near = (p, b) => p.x >= b.l - 2 && p.x <= b.r + 2 && p.y >= b.t - 2 && p.y <= b.b + 2;
  const dag = document.getElementById("dag");
  const nodes = [...dag.querySelectorAll("g.node")].map((g) => ({ id: g.dataset.stage, box: box(g.querySelector("rect")) }));
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n.box]));
  const edges = [...dag.querySelectorAll("path.edge")].map((p) => {
    const m = p.getScreenCTM(), len = p.getTotalLength();
    const at = (d) => p.getPointAtLength(d).matrixTransform(m);
    const through = new Set();
    for (let i = 0; i <= 600; i++)
      for (const n of nodes)
        if (n.id !== p.dataset.from && n.id !== p.dataset.to && inside(at((len * i) / 600), n.box, 0.5)) through.add(n.id);
    return { from: p.dataset.from, to: p.dataset.to, through: [...through],
      startsOnFrom: near(at(0), byId[p.dataset.from]), endsOnTo: near(at(len), byId[p.dataset.to]) };
  });
  const gantt = document.getElementById("gantt");
  const segs = [...gantt.querySelectorAll("rect.seg")].map(box);
  const doc = document.documentElement;
  const out = { viewport: doc.clientWidth, scrollWidth: doc.scrollWidth, dag: box(dag), nodes, edges,
    gantt: box(gantt), timeline: box(document.getElementById("timeline")), segs };
  const pre = document.createElement("pre"); pre.id = "geometry"; pre.textContent = JSON.stringify(out);
  document.body.append(pre);
})();
</script>`;

interface Box {
  l: number;
  r: number;
  t: number;
  b: number;
}
interface Geometry {
  viewport: number;
  scrollWidth: number;
  dag: Box;
  nodes: { id: string; box: Box }[];
  edges: { from: string; to: string; through: string[]; startsOnFrom: boolean; endsOnTo: boolean }[];
  gantt: Box;
  timeline: Box;
  segs: Box[];
}

async function measure(plan: Plan): Promise<Geometry> {
  const file = await reportOfPlan(plan);
  writeFileSync(file, readFileSync(file, "utf8").replace("</body>", `${MEASURE}</body>`));
  const dom = await browser(["--dump-dom", `file://${file}`]);
  const json = dom.match(/<pre id="geometry">([\s\S]*?)<\/pre>/)?.[1];
  if (!json) throw new Error(`no geometry in the page: ${dom.slice(-500)}`);
  return JSON.parse(json.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as Geometry;
}

const within = (inner: Box, outer: Box) =>
  inner.l >= outer.l - 0.5 && inner.r <= outer.r + 0.5 && inner.t >= outer.t - 0.5 && inner.b <= outer.b + 0.5;

describe.skipIf(!chromium)("report geometry in a real browser (headless chromium)", () => {
  it(
    "routes edges that skip levels around the boxes between, each from its own box to its own box",
    { timeout: 180_000 },
    async () => {
      // GIVEN a graph whose edges skip one to four levels, around stages of other branches
      // WHEN chromium lays out its report
      const g = await measure(SKIPPING);
      // THEN every dependency is drawn, none passes through a box that is not one of its ends,
      // and each starts on its own stage's box and ends on its own target's box
      const deps = SKIPPING.stages.flatMap((s) => s.dependsOn.map((d) => `${d}->${s.id}`)).sort();
      expect(g.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(deps);
      expect(deps.length).toBe(14);
      expect(g.edges.filter((e) => e.through.length > 0)).toEqual([]);
      expect(g.edges.filter((e) => !e.startsOnFrom || !e.endsOnTo)).toEqual([]);
      // AND no two boxes overlap
      for (const [i, a] of g.nodes.entries())
        for (const b of g.nodes.slice(i + 1))
          expect(a.box.r <= b.box.l || b.box.r <= a.box.l || a.box.b <= b.box.t || b.box.b <= a.box.t).toBe(true);
    },
  );

  it(
    "scales a wide graph to the page and spreads the timeline over its width: nothing cut off",
    { timeout: 180_000 },
    async () => {
      // GIVEN a graph of fourteen levels and a fan-out of eight (about 3,400 px at full size)
      // WHEN chromium lays out its report in a 1,200 px window
      const g = await measure(WIDE);
      // THEN the page does not scroll sideways, and every box lies inside the graph and the window
      expect(g.scrollWidth).toBeLessThanOrEqual(g.viewport);
      expect(g.dag.r).toBeLessThanOrEqual(g.viewport);
      expect(g.nodes).toHaveLength(23);
      for (const n of g.nodes) expect(within(n.box, g.dag), n.id).toBe(true);
      expect(g.edges.filter((e) => e.through.length > 0 || !e.startsOnFrom || !e.endsOnTo)).toEqual([]);
      // AND the timeline's plot fills the section (less the 170 px of names), every bar inside it
      expect(g.gantt.r - g.gantt.l).toBeGreaterThan(g.timeline.r - g.timeline.l - 240);
      expect(g.segs).toHaveLength(23);
      for (const s of g.segs) expect(within(s, g.gantt)).toBe(true);
      expect(Math.max(...g.segs.map((s) => s.r))).toBeGreaterThan(g.gantt.r - 2);
    },
  );
});
