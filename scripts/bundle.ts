/**
 * The second half of `npm run build`, after `tsc` has compiled src/ into dist/:
 *
 * 1. `dist/common/zod.js` (a re-export of the project's zod; see src/common/zod.ts) becomes one file
 *    holding zod's API without zod's message translations. zod's own 95 modules, 64 of them
 *    translations, take Node about three times as long to load.
 * 2. The package's entry points (package.json `exports` and `bin`) are bundled with the rest of
 *    dist/ into one file each, with the code they share in `dist/chunks/`: Node then resolves and
 *    reads a few dozen files at start-up instead of about 120. Every entry point shares the same
 *    chunks, so a pipeline file's `import "updraft"` and the CLI that loads it meet one copy of the
 *    DSL. npm packages stay imports (`--packages=external`), the project's zod among them.
 *
 * tsc's declarations and their maps stay where they are; the compiled modules are replaced.
 *
 *   tsx scripts/bundle.ts
 */
import { build, type Plugin } from "esbuild";
import { cpSync, readdirSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const ZOD = path.join(ROOT, "node_modules", "zod");

/**
 * zod's API module re-exports every translation as `z.locales`. updraft's messages are English,
 * which zod's schemas register for themselves, so the re-export is left empty.
 */
const withoutTranslations: Plugin = {
  name: "without-translations",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.startsWith(ZOD + path.sep) ? { path: "locales", namespace: "updraft-empty" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "updraft-empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

async function bundleZod(): Promise<void> {
  const version = (JSON.parse(readFileSync(path.join(ZOD, "package.json"), "utf8")) as { version: string }).version;
  const license = readFileSync(path.join(ZOD, "LICENSE"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("Copyright"));
  await build({
    stdin: { contents: 'export { z } from "zod";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile: path.join(DIST, "common", "zod.js"),
    plugins: [withoutTranslations],
    // A legal comment (/*! */), so that it stays in the chunk that holds it after step 2.
    banner: { js: `/*! zod ${version} (MIT License, ${license}), bundled by updraft's scripts/bundle.ts */` },
    logLevel: "warning",
  });
}

/** The compiled files of the package's entry points, from package.json. */
function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    bin: Record<string, string>;
    exports: Record<string, string | { import?: string }>;
  };
  const files = [
    ...Object.values(pkg.bin),
    ...Object.values(pkg.exports).flatMap((e) => (typeof e === "object" && e.import ? [e.import] : [])),
  ];
  return [...new Set(files)].map((f) => path.join(ROOT, f));
}

function compiledModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return compiledModules(full);
    return e.name.endsWith(".js") ? [full] : [];
  });
}

async function bundleEntries(): Promise<void> {
  const out = path.join(ROOT, "dist-bundle");
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: entryPoints(),
    outdir: out,
    outbase: DIST,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
  for (const file of compiledModules(DIST)) unlinkSync(file);
  cpSync(out, DIST, { recursive: true });
  rmSync(out, { recursive: true, force: true });
}

await bundleZod();
await bundleEntries();
