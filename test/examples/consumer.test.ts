import { execa } from "execa";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./rwkv-demo/helpers.js";

const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/**
 * The npm library use, for real: `npm pack` of the repository (prepack builds dist/), installed
 * into a fresh copy of examples/consumer, type-checked and run through the installed bin.
 */
describe("updraft installed from its packed tarball", () => {
  const dir = tempDir("updraft-consumer-");
  const app = path.join(dir, "consumer");
  beforeAll(async () => {
    await execa("npm", ["pack", "--pack-destination", dir], { cwd: ROOT });
    const tarball = readdirSync(dir).find((f) => /^updraft-.*\.tgz$/.test(f));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
    cpSync(path.join(ROOT, "examples/consumer"), app, { recursive: true });
    await execa("npm", ["install", "--no-audit", "--no-fund", path.join(dir, tarball)], { cwd: app });
  }, 600_000);

  it("GIVEN the installed package WHEN its manifest is read THEN it ships compiled code, declarations and the bin, not the sources", () => {
    const pkg = path.join(app, "node_modules/updraft");
    const files = readdirSync(pkg);
    expect(files).toEqual(expect.arrayContaining(["dist", "package.json"]));
    expect(files).not.toContain("src");
    expect(readdirSync(path.join(pkg, "dist"))).toEqual(expect.arrayContaining(["index.js", "index.d.ts"]));
    expect(readFileSync(path.join(pkg, "dist/cli/bin.js"), "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
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
});
