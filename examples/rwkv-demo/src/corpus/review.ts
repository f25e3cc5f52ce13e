/**
 * "Explain this code" and "review this code" records, built from the other templates' code.
 */
import type { InstructionRecord } from "../categories.js";
import { CODE_GENERATION } from "./code-generation.js";
import { QUERIES } from "./queries.js";
import type { Rng } from "./random.js";
import { REFACTORING } from "./refactoring.js";

const FENCE = /```(bsl|sdbl)\n([\s\S]*?)\n```/;

function firstBlock(text: string): { lang: string; code: string } {
  const m = FENCE.exec(text);
  return { lang: m?.[1] ?? "bsl", code: m?.[2] ?? text };
}

function lastLine(text: string): string {
  return text.split("\n").at(-1) ?? "";
}

const AS_DESCRIPTION: readonly [RegExp, string][] = [
  [/^Напиши функцию/u, "Это функция"],
  [/^Напиши процедуру/u, "Это процедура"],
  [/^Напиши обработку проведения/u, "Это обработка проведения"],
  [/^В модуле объекта справочника (\S+) добавь проверку/u, "Это проверка в модуле объекта справочника $1"],
];

/** An instruction ("Напиши функцию, которая ...") restated as a description ("Это функция, которая ..."). */
function describe(instruction: string): string {
  for (const [pattern, replacement] of AS_DESCRIPTION) {
    if (pattern.test(instruction)) return instruction.replace(pattern, replacement);
  }
  return `Задача кода: ${instruction}`;
}

function explain(rng: Rng): InstructionRecord {
  const source = rng.pick(CODE_GENERATION)(rng);
  const { code } = firstBlock(source.output);
  const ask = rng.pick([
    "Объясни, что делает этот код.",
    "Что делает эта процедура 1С? Объясни простыми словами.",
    "Разбери этот фрагмент кода построчно.",
  ]);
  return {
    category: "explanation_review",
    instruction: `${ask}\n\`\`\`bsl\n${code}\n\`\`\``,
    output: `${describe(source.instruction)}\n${lastLine(source.output)}`,
  };
}

function explainQuery(rng: Rng): InstructionRecord {
  const source = rng.pick(QUERIES)(rng);
  const { code } = firstBlock(source.output);
  return {
    category: "explanation_review",
    instruction: `Объясни, что возвращает этот запрос.\n\`\`\`sdbl\n${code}\n\`\`\``,
    output: `Запрос решает задачу «${source.instruction.replace(/^[^:]*:\s*/u, "").replace(/\.$/u, "")}».\n${lastLine(source.output)}`,
  };
}

function review(rng: Rng): InstructionRecord {
  const source = rng.pick(REFACTORING)(rng);
  const { code } = firstBlock(source.instruction);
  const ask = rng.pick([
    "Проведи ревью этого кода.",
    "Какие проблемы ты видишь в этом коде?",
    "Сделай код-ревью фрагмента.",
  ]);
  return {
    category: "explanation_review",
    instruction: `${ask}\n\`\`\`bsl\n${code}\n\`\`\``,
    output: `Что стоит исправить:\n${source.output}`,
  };
}

/** Every template of the category; each call gives one record. */
export const REVIEW: readonly ((rng: Rng) => InstructionRecord)[] = [explain, explainQuery, review];
