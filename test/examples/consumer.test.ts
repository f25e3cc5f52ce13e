import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./rwkv-demo/helpers.js";

const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/**
 * The npm library use, for real: `npm pack` of the repository (prepack builds dist/), installed
 * into a fresh copy of examples/consumer, type-checked and run through the installed bin.
 */
const dir = tempDir("updraft-consumer-");
let tarball = "";
beforeAll(async () => {
  await execa("npm", ["pack", "--pack-destination", dir], { cwd: ROOT });
  const name = readdirSync(dir).find((f) => /^updraft-.*\.tgz$/.test(f));
  if (!name) throw new Error(`npm pack wrote no tarball into ${dir}`);
  tarball = path.join(dir, name);
}, 600_000);

describe("updraft installed from its packed tarball", () => {
  const app = path.join(dir, "consumer");
  beforeAll(async () => {
    cpSync(path.join(ROOT, "examples/consumer"), app, { recursive: true });
    await execa("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: app });
  }, 600_000);

  it("GIVEN the installed package WHEN its manifest is read THEN it ships compiled code, declarations with their maps and sources, and the bin", () => {
    const pkg = path.join(app, "node_modules/updraft");
    const files = readdirSync(pkg);
    expect(files).toEqual(expect.arrayContaining(["dist", "package.json"]));
    // Declaration maps ("go to definition" lands in the TypeScript source): each map's sources are shipped.
    const maps = (readdirSync(path.join(pkg, "dist"), { recursive: true }) as string[]).filter((f) =>
      f.endsWith(".d.ts.map"),
    );
    expect(maps).toEqual(expect.arrayContaining(["index.d.ts.map", "local.d.ts.map", "airflow.d.ts.map"]));
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(path.join(pkg, "dist", map), "utf8")) as { sources: string[] };
      for (const source of sources) expect(existsSync(path.resolve(pkg, "dist", path.dirname(map), source))).toBe(true);
    }
    expect(existsSync(path.join(pkg, "schema/generate.ts"))).toBe(false);
    expect(files).toContain("LICENSE");
    expect(readdirSync(path.join(pkg, "schema")).sort()).toEqual(["config.schema.json", "plan.schema.json"]);
    expect(readdirSync(path.join(pkg, "dist"))).toEqual(expect.arrayContaining(["index.js", "index.d.ts"]));
    expect(readFileSync(path.join(pkg, "dist/cli/bin.js"), "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
    // npm run build bundles each entry point, shared code in dist/chunks (scripts/bundle.ts); updraft's own
    // zod is inside, only the parts it uses and without zod's translations, and the project's zod is imported
    // only for a user's gate schema.
    const built = (readdirSync(path.join(pkg, "dist"), { recursive: true }) as string[]).filter((f) =>
      f.endsWith(".js"),
    );
    const text = (f: string) => readFileSync(path.join(pkg, "dist", f), "utf8");
    expect(built.filter((f) => /^\/\*! zod 4\.\d+\.\d+ \(MIT License, Copyright/m.test(text(f)))).toHaveLength(1);
    expect(built.filter((f) => /node_modules\/zod\/v4\/locales\/(?!en\.js)/.test(text(f)))).toEqual([]);
    // Only the parts of zod updraft uses: it never builds a schema from JSON Schema.
    expect(built.filter((f) => /\bfromJSONSchema\b/.test(text(f)))).toEqual([]);
    expect(built.filter((f) => /from "zod"/.test(text(f)))).toEqual(["index.js"]);
    expect(built.length).toBeLessThan(80);
  });

  it("GIVEN the consumer project WHEN type-checked THEN it compiles against the installed declarations, and they reject misuse", async () => {
    const ok = await execa(process.execPath, [TSC, "-p", app], { reject: false });
    expect(ok.stdout + ok.stderr).toBe("");
    expect(ok.exitCode).toBe(0);
    // Without real declarations the @ts-expect-error lines would be unused and fail; prove the reverse too.
    writeFileSync(
      path.join(app, "misuse.ts"),
      'import { pipeline } from "updraft";\npipeline("x", {}, ({ stage }) => { stage("a", { command: ["true"], gpu: "one" }); });\n',
    );
    const bad = await execa(process.execPath, [TSC, "-p", app], { reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout).toContain("misuse.ts");
  });

  it("GIVEN the installed bin WHEN npx updraft plan runs the pipeline file THEN it prints the dry-run", async () => {
    const r = await execa("npx", ["updraft", "plan", "pipeline.ts"], {
      cwd: app,
      reject: false,
      env: { NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("dry-run: pipeline consumer from pipeline.ts");
    expect(r.stdout).toContain("3 stages in 3 levels; critical path: count -> enough_words -> report");
  });

  it("GIVEN the installed bin WHEN npx updraft run runs it THEN the stages and the gate run on this machine", async () => {
    const r = await execa("npx", ["updraft", "run", "pipeline.ts"], {
      cwd: app,
      reject: false,
      env: { NO_COLOR: "1", UPDRAFT_GPUS: "0" },
    });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^run \S+: success in [\d.]+s \(3 success\)$/m);
    expect(JSON.parse(readFileSync(path.join(app, "out/metrics.json"), "utf8"))).toEqual({ words: 3 });
  });

  it("GIVEN a plan.json WHEN the installed bin runs it twice THEN the second run uses the plan kept in the cache, and an edit is validated again", async () => {
    const env = { NO_COLOR: "1", UPDRAFT_GPUS: "0" };
    const planned = await execa("npx", ["updraft", "plan", "pipeline.ts", "--json"], { cwd: app, env });
    writeFileSync(path.join(app, "plan.json"), planned.stdout);
    const plans = path.join(app, ".updraft/cache/plans");
    for (const kept of [1, 1]) {
      const r = await execa("npx", ["updraft", "run", "plan.json"], { cwd: app, reject: false, env });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(readdirSync(plans)).toHaveLength(kept);
    }
    writeFileSync(path.join(app, "plan.json"), planned.stdout.replace('"command":', '"comand":'));
    const edited = await execa("npx", ["updraft", "run", "plan.json"], { cwd: app, reject: false, env });
    expect(edited.exitCode).not.toBe(0);
    expect(edited.stderr).toContain("plan JSON at ");
    expect(readdirSync(plans)).toHaveLength(1);
  });
});

describe("updraft in a fresh CommonJS project (npm init -y)", () => {
  const app = path.join(dir, "commonjs");
  const run = (args: string[]) => execa("npx", args, { cwd: app, reject: false, env: { NO_COLOR: "1" } });
  beforeAll(async () => {
    mkdirSync(app);
    await execa("npm", ["init", "-y"], { cwd: app });
    await execa("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: app });
    cpSync(path.join(ROOT, "examples/readme/pipeline.ts"), path.join(app, "pipeline.ts"));
  }, 600_000);

  it("GIVEN the README's pipeline in a commonjs project WHEN planned by the bin and run by tsx THEN both load it", async () => {
    expect(JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")).type).toBe("commonjs");
    for (const args of [
      ["updraft", "plan", "pipeline.ts"],
      ["tsx", "pipeline.ts", "--dry-run"],
    ]) {
      const r = await run(args);
      expect({ args, stderr: r.stderr, exit: r.exitCode }).toEqual({ args, stderr: "", exit: 0 });
      expect(r.stdout).toContain("dry-run: pipeline readme from pipeline.ts");
    }
  });

  it("GIVEN a top-level await in a commonjs .ts file WHEN loaded THEN the whole cause and the fix are printed; as .mts it loads", async () => {
    const text = readFileSync(path.join(app, "pipeline.ts"), "utf8").replace(/^runCli/m, "await runCli");
    writeFileSync(path.join(app, "tla.ts"), text);
    writeFileSync(path.join(app, "tla.mts"), text);
    const bad = await run(["updraft", "plan", "tla.ts"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.replaceAll(app, "<app>")).toMatchInlineSnapshot(`
      "error: tla.ts failed to load: Transform failed with 1 error:
        <app>/tla.ts:47:0: ERROR: Top-level await is currently not supported with the "cjs" output format
      hint: this project is CommonJS ("type": "commonjs" in package.json): end the file with runCli(p) without await, name it .mts, or set "type": "module""
    `);
    const ok = await run(["updraft", "plan", "tla.mts"]);
    expect(ok.exitCode).toBe(0);
  });

  it("GIVEN a project without @types/node WHEN every entry point is type-checked without skipLibCheck THEN the declarations compile", async () => {
    // GIVEN no Node types anywhere in the project: the package must not need them
    expect(existsSync(path.join(app, "node_modules/@types/node"))).toBe(false);
    const entries = [
      "updraft",
      "updraft/local",
      "updraft/history",
      "updraft/gates",
      "updraft/airflow",
      "updraft/slurm",
    ];
    writeFileSync(
      path.join(app, "entries.mts"),
      entries.map((e, i) => `import * as m${i} from "${e}";\nexport const e${i} = Object.keys(m${i});\n`).join(""),
    );
    const options = { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [] };
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...options, skipLibCheck: false }, files: ["entries.mts"] }),
    );
    // WHEN tsc checks it THEN no error, in particular none about NodeJS or Buffer
    const r = await execa(process.execPath, [TSC, "-p", app], { reject: false });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  }, 300_000);

  it("GIVEN the package WHEN its JSON Schema is resolved by name THEN it is the Plan's schema", () => {
    const req = createRequire(path.join(app, "index.js"));
    const schema = JSON.parse(readFileSync(req.resolve("updraft/plan.schema.json"), "utf8")) as { title?: string };
    expect(schema).toBeTypeOf("object");
  });
});

describe("updraft in a project on zod 3", () => {
  const app = path.join(dir, "zod3");
  beforeAll(async () => {
    mkdirSync(app);
    await execa("npm", ["init", "-y"], { cwd: app });
    await execa("npm", ["pkg", "set", "type=module"], { cwd: app });
    await execa("npm", ["install", "--no-audit", "--no-fund", "zod@3"], { cwd: app });
  }, 600_000);

  it("GIVEN zod 3 WHEN updraft is installed THEN npm refuses, naming the peer range; forced in, a pipeline gets a clear message, no stack", async () => {
    const refused = await execa("npm", ["install", "--no-audit", "--no-fund", tarball], { cwd: app, reject: false });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('peer zod@"^4.0.0" from updraft');
    await execa("npm", ["install", "--no-audit", "--no-fund", "--legacy-peer-deps", tarball], { cwd: app });
    writeFileSync(
      path.join(app, "p.ts"),
      [
        'import { z } from "zod";',
        'import { pipeline, sh } from "updraft";',
        'export default pipeline("z3", {}, ({ stage, qualityGate }) => {',
        '  const a = stage("a", { command: sh`true` });',
        '  qualityGate("ok", { after: [a], metrics: "m.json", schema: z.object({ rows: z.number() }), rules: [] });',
        "});",
      ].join("\n"),
    );
    const r = await execa("npx", ["updraft", "plan", "p.ts"], { cwd: app, reject: false, env: { NO_COLOR: "1" } });
    expect({ exit: r.exitCode, stderr: r.stderr }).toEqual({
      exit: 2,
      stderr: [
        "error: updraft needs zod 4, and the zod installed in this project is an older one (zod 3?)",
        "hint: npm install zod@^4 (updraft declares zod ^4 as a peer dependency; gate schemas are written with it too)",
      ].join("\n"),
    });
  }, 300_000);
});
