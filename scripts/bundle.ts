/**
 * The second half of `npm run build`, after `tsc` has compiled src/ into dist/: the package's entry
 * points (package.json `exports` and `bin`) are bundled with the rest of dist/ into one file each,
 * with the code they share in `dist/chunks/`. Node then resolves and reads a few dozen files at
 * start-up instead of about 120. Every entry point shares the same chunks, so a pipeline file's
 * `import "updraft"` and the CLI that loads it meet one copy of the DSL.
 *
 * npm packages stay imports (`--packages=external`), except updraft's own zod (see
 * src/common/zod.ts): it is bundled from the zod this project builds with, and since updraft's
 * modules import it as a namespace (`import * as z`), esbuild keeps only the parts their schemas
 * use. That is about half of zod, without its message translations, in one chunk; zod's 95
 * modules as installed take Node several times as long to load, and every command loads it.
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
 * `import "zod"` in dist/common/zod.js resolves into the bundle; anywhere else (a user's metric
 * schema) it stays an import of the project's zod. zod's licence goes with its bundled code, as a
 * legal comment (`/*! *\/`, which esbuild keeps) on the module every schema needs.
 */
const ownZod: Plugin = {
  name: "own-zod",
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, (args) =>
      args.importer === path.join(DIST, "common", "zod.js") ? { path: path.join(ZOD, "index.js") } : undefined,
    );
    b.onLoad({ filter: /[/\\]zod[/\\]v4[/\\]core[/\\]core\.js$/ }, (args) => {
      const version = (JSON.parse(readFileSync(path.join(ZOD, "package.json"), "utf8")) as { version: string }).version;
      const license = readFileSync(path.join(ZOD, "LICENSE"), "utf8")
        .split("\n")
        .find((l) => l.startsWith("Copyright"));
      const notice = `/*! zod ${version} (MIT License, ${license}), bundled by updraft's scripts/bundle.ts */`;
      return { contents: `${notice}\n${readFileSync(args.path, "utf8")}`, loader: "js" };
    });
  },
};

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
    plugins: [ownZod],
    legalComments: "inline",
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
  for (const file of compiledModules(DIST)) unlinkSync(file);
  cpSync(out, DIST, { recursive: true });
  rmSync(out, { recursive: true, force: true });
}

await bundleEntries();
