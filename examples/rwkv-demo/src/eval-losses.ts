/**
 * Scoring documents with stand-in models: per-document cross-entropy and sampled completions.
 */
import { loadCheckpoint } from "./checkpoints.js";
import { seeded } from "./corpus/random.js";
import type { Row } from "./dataset.js";
import type { NgramModel } from "./ngram.js";
import { documentIds, END_OF_DOCUMENT, type Encoded } from "./tokens/world.js";
import { EXIT, ToolError } from "./tool.js";

/** One scored document. */
export interface DocumentLoss {
  readonly line: number;
  readonly category: string | null;
  /** Predicted tokens: the document's ids and its end-of-document id. */
  readonly tokens: number;
  /** Summed cross-entropy in nats, fine-tuned model and base model. */
  readonly nats: number;
  readonly baseNats: number;
}

/** The per-document numbers `evaluate.ts` turns into a summary. */
export interface LossReport {
  readonly model: { path: string; sha256: string; kind: string };
  readonly baseModel: { path: string; sha256: string };
  readonly heldout: readonly DocumentLoss[];
  readonly general: readonly DocumentLoss[];
}

/**
 * Summed cross-entropy of a document's World ids (ending with the end-of-document id), the history
 * starting at an end-of-document id as it does in training.
 *
 * @example
 * ```ts
 * documentNats(model, [27858, 2808, 0]); // { nats: 9.3, tokens: 3 }
 * ```
 */
export function documentNats(model: NgramModel, document: ArrayLike<number>): { nats: number; tokens: number } {
  const ids = [END_OF_DOCUMENT, ...Array.from(document)];
  let nats = 0;
  for (let pos = 1; pos < ids.length; pos++) nats += model.nll(ids, pos, 0);
  return { nats, tokens: ids.length - 1 };
}

/**
 * Score documents (rows with their World ids) with a model and its base, per World token.
 *
 * @example
 * ```ts
 * scoreRows(rows, encodeTexts(rows.map((r) => r.text)).encoded, model, base)[0];
 * // { line: 1, category: "code_generation", tokens: 230, nats: 130.2, baseNats: 2910.8 }
 * ```
 */
export function scoreRows(
  rows: readonly Row[],
  encoded: readonly Encoded[],
  model: NgramModel,
  base: NgramModel,
): DocumentLoss[] {
  return rows.map((r, i) => {
    const ids = documentIds(encoded[i]!);
    const own = documentNats(model, ids);
    return {
      line: r.line,
      category: r.category,
      tokens: own.tokens,
      nats: own.nats,
      baseNats: documentNats(base, ids).nats,
    };
  });
}

/**
 * A sampled continuation of a prompt's ids (seeded, so the same model gives the same ids), up to
 * the end-of-document id.
 *
 * @example
 * ```ts
 * decodeTexts([complete(model, encodeTexts(["User: Напиши функцию\n\nAssistant: "])[0].ids, 1)]);
 * ```
 */
export function complete(model: NgramModel, prompt: readonly number[], seed: number, maxTokens = 80): number[] {
  const rng = seeded(seed);
  const ids = [END_OF_DOCUMENT, ...prompt];
  const start = ids.length;
  for (let i = 0; i < maxTokens; i++) {
    // Temperature 0.5 (p squared, renormalised): fewer of the n-gram's rare, garbled branches.
    const p = model.distribution(ids, ids.length, 0).map((x) => x * x);
    let r = rng.next() * p.reduce((a, b) => a + b, 0);
    let next = 0;
    while (next < p.length - 1 && (r -= p[next]!) > 0) next++;
    if (next === END_OF_DOCUMENT) break;
    ids.push(next);
  }
  return ids.slice(start);
}

/**
 * A stand-in model, or a configuration error naming the file.
 *
 * @example
 * ```ts
 * const model = loadModel("out/demo/proj/rwkv-final.pth", "model");
 * ```
 */
export function loadModel(file: string, what: string): NgramModel {
  try {
    return loadCheckpoint(file).model;
  } catch (error) {
    throw new ToolError(
      `cannot load the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.config,
    );
  }
}
