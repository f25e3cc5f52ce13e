/**
 * The team's dataset categories and the share of rows each should have.
 */

/** Target shares; the quality gate allows a deviation of 5 percentage points. */
export const TARGET_SHARES = Object.freeze({
  code_generation: 0.35,
  refactoring: 0.35,
  queries_1c: 0.15,
  explanation_review: 0.15,
});

/** One of the team's four categories. */
export type Category = keyof typeof TARGET_SHARES;

/** The category names, in the order of TARGET_SHARES. */
export const CATEGORIES = Object.freeze(Object.keys(TARGET_SHARES) as Category[]);

/** One instruction record of the corpus, as stored in the JSONL files. */
export interface InstructionRecord {
  readonly category: Category;
  readonly instruction: string;
  readonly output: string;
}

/** One general-text record (the retention set and the stand-in base model's corpus). */
export interface TextRecord {
  readonly category: "general";
  readonly text: string;
}

/**
 * Whether a string names one of the team's categories.
 *
 * @example
 * ```ts
 * isCategory("refactoring"); // true
 * ```
 */
export function isCategory(value: unknown): value is Category {
  return typeof value === "string" && Object.hasOwn(TARGET_SHARES, value);
}
