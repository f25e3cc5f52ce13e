/**
 * The stand-in model: an n-gram model over RWKV World token ids, not RWKV. It predicts the next
 * World id from the few ids before it, with Witten-Bell interpolation down to a uniform distribution, so
 * every probability is above zero and a cross-entropy is always defined. It learns by counting,
 * which makes "training" take a second on a CPU while the losses it reports are real.
 */
import { WORLD_VOCAB_SIZE } from "./tokens/world.js";

interface Context {
  total: number;
  next: Map<number, number>;
}

/** The JSON form of a model, as stored in the stand-in's `rwkv-N.pth` files. */
export interface NgramState {
  readonly format: "updraft-demo-ngram";
  /** 2: World token ids (version 1 held byte-level ids). */
  readonly version: 2;
  readonly note: string;
  readonly order: number;
  readonly tokensSeen: number;
  /** Per context length: [context key, [next id, count, next id, count, ...]]. */
  readonly tables: readonly (readonly [number, readonly number[]][])[];
}

/** Written into every stand-in checkpoint, so a reader of the file knows what it holds. */
export const STAND_IN_NOTE =
  "stand-in: an n-gram model over RWKV World token ids, not RWKV; this .pth file holds JSON, not torch weights";

/**
 * An n-gram language model over World ids 0..65535.
 *
 * @example
 * ```ts
 * const model = new NgramModel(3);
 * model.learn([27858, 2808, 28108, 27910, 0], 0, 5, 0);
 * model.nll([27858, 2808, 28108, 27910, 0], 3, 0); // -ln p(id at 3 | ids 1..2)
 * ```
 */
export class NgramModel {
  readonly tables: Map<number, Context>[];
  tokensSeen = 0;

  constructor(readonly order: number) {
    if (!Number.isInteger(order) || order < 1 || order > 4)
      throw new RangeError(`n-gram order ${order} is not 1..4 (keys of 65536-id contexts must stay exact doubles)`);
    this.tables = Array.from({ length: order }, () => new Map<number, Context>());
  }

  /** Probability of `tokens[pos]` given at most order-1 ids before it, none before `from`. */
  prob(tokens: ArrayLike<number>, pos: number, from: number): number {
    return this.distributionAt(tokens, pos, from, tokens[pos]!);
  }

  /** Negative log-probability (nats) of `tokens[pos]`. */
  nll(tokens: ArrayLike<number>, pos: number, from: number): number {
    return -Math.log(this.prob(tokens, pos, from));
  }

  /** Count `tokens[pos]` after each of its contexts. */
  add(tokens: ArrayLike<number>, pos: number, from: number): void {
    const next = tokens[pos]!;
    let key = 0;
    for (let k = 0; k < this.order && pos - k >= from; k++) {
      if (k > 0) key = key * WORLD_VOCAB_SIZE + tokens[pos - k]!;
      const table = this.tables[k]!;
      let ctx = table.get(key);
      if (!ctx) table.set(key, (ctx = { total: 0, next: new Map() }));
      ctx.total++;
      ctx.next.set(next, (ctx.next.get(next) ?? 0) + 1);
    }
    this.tokensSeen++;
  }

  /**
   * Score then learn positions [start, end): each token's loss is taken before the model has
   * seen it (a prequential loss, honest as a training loss). Returns the summed nats.
   */
  learn(tokens: ArrayLike<number>, start: number, end: number, from: number): number {
    let nats = 0;
    for (let pos = start; pos < end; pos++) {
      nats += this.nll(tokens, pos, from);
      this.add(tokens, pos, from);
    }
    return nats;
  }

  /** The probability of every id at `pos` (tokens[pos] itself is ignored); the same mixture as `prob`. */
  distribution(tokens: ArrayLike<number>, pos: number, from: number): Float64Array {
    const out = new Float64Array(WORLD_VOCAB_SIZE).fill(1 / WORLD_VOCAB_SIZE);
    let key = 0;
    for (let k = 0; k < this.order && pos - k >= from; k++) {
      if (k > 0) key = key * WORLD_VOCAB_SIZE + tokens[pos - k]!;
      const ctx = this.tables[k]!.get(key);
      if (!ctx) break;
      const scale = ctx.next.size / (ctx.total + ctx.next.size);
      for (let id = 0; id < out.length; id++) out[id]! *= scale;
      for (const [id, count] of ctx.next) out[id]! += count / (ctx.total + ctx.next.size);
    }
    return out;
  }

  private distributionAt(tokens: ArrayLike<number>, pos: number, from: number, next: number): number {
    let p = 1 / WORLD_VOCAB_SIZE;
    let key = 0;
    for (let k = 0; k < this.order && pos - k >= from; k++) {
      if (k > 0) key = key * WORLD_VOCAB_SIZE + tokens[pos - k]!;
      const ctx = this.tables[k]!.get(key);
      if (!ctx) break;
      const types = ctx.next.size;
      p = ((ctx.next.get(next) ?? 0) + types * p) / (ctx.total + types);
    }
    return p;
  }

  /** The model as plain JSON data. */
  toState(): NgramState {
    return {
      format: "updraft-demo-ngram",
      version: 2,
      note: STAND_IN_NOTE,
      order: this.order,
      tokensSeen: this.tokensSeen,
      tables: this.tables.map((table) =>
        [...table].map(([key, ctx]) => [key, [...ctx.next].flat()] as [number, number[]]),
      ),
    };
  }

  /** A model from its JSON data; throws a TypeError when the data is not a stand-in model. */
  static fromState(state: unknown): NgramModel {
    const s = state as Partial<NgramState> | null;
    if (
      s?.format !== "updraft-demo-ngram" ||
      s.version !== 2 ||
      typeof s.order !== "number" ||
      !Array.isArray(s.tables)
    ) {
      throw new TypeError("not a stand-in n-gram model over World ids (format updraft-demo-ngram, version 2)");
    }
    const model = new NgramModel(s.order);
    model.tokensSeen = s.tokensSeen ?? 0;
    s.tables.forEach((entries, k) => {
      for (const [key, flat] of entries) {
        const next = new Map<number, number>();
        let total = 0;
        for (let i = 0; i < flat.length; i += 2) {
          next.set(flat[i]!, flat[i + 1]!);
          total += flat[i + 1]!;
        }
        model.tables[k]?.set(key, { total, next });
      }
    });
    return model;
  }
}
