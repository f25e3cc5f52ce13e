/**
 * Replaces the compiled `dist/common/zod.js` (a re-export of the project's zod; see
 * src/common/zod.ts) with one file holding zod's API, bundled by esbuild without zod's message
 * translations. Every CLI command loads it at start-up: zod's own 95 modules, 64 of them
 * translations, take Node about three times as long to load.
 *
 * Part of `npm run build`; run alone after `tsc`: `tsx scripts/bundle-zod.ts`.
 */
import { build, type Plugin } from "esbuild";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ZOD = path.join(ROOT, "node_modules", "zod");
const version = (JSON.parse(readFileSync(path.join(ZOD, "package.json"), "utf8")) as { version: string }).version;
const license = readFileSync(path.join(ZOD, "LICENSE"), "utf8")
  .split("\n")
  .find((l) => l.startsWith("Copyright"));

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

await build({
  stdin: { contents: 'export { z } from "zod";', resolveDir: ROOT, loader: "js" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile: path.join(ROOT, "dist", "common", "zod.js"),
  plugins: [withoutTranslations],
  banner: { js: `// zod ${version} (MIT License, ${license}), bundled by updraft's scripts/bundle-zod.ts` },
  logLevel: "warning",
});
