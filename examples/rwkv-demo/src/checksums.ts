/**
 * SHA-256 of files, and SHA256SUMS files in the format `sha256sum -c` verifies.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The hex SHA-256 of a file.
 *
 * @example
 * ```ts
 * sha256File("release/rwkv-demo.pth"); // "3f1c..."
 * ```
 */
export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * SHA256SUMS text (`<hex>  <path>` per line, two spaces: binary-safe text mode of sha256sum),
 * paths relative to `dir`, so `cd dir && sha256sum -c SHA256SUMS` verifies them.
 *
 * @example
 * ```ts
 * sumsFile("release", ["model.pth"]); // "e3b0...  model.pth\n"
 * ```
 */
export function sumsFile(dir: string, files: readonly string[]): string {
  return files.map((f) => `${sha256File(path.join(dir, f))}  ${f}\n`).join("");
}
