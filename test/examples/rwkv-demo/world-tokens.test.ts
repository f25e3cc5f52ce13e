import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readDataset } from "../../../examples/rwkv-demo/src/dataset.js";
import { PYTHON_DIR, tokenizerPython } from "../../../examples/rwkv-demo/src/tokens/python-env.js";
import {
  decodeTexts,
  documentIds,
  encodeTexts,
  normalizeText,
  roundTripFailures,
} from "../../../examples/rwkv-demo/src/tokens/world.js";
import { DATA, VOCAB_SHA256 } from "./helpers.js";

const SEED = Number(process.env.FC_SEED ?? 18);
const CORPUS = ["train.jsonl", "heldout.jsonl", "bad.jsonl", "general-train.jsonl", "general-heldout.jsonl"];

const BSL = `&НаСервере
Процедура ЗаполнитьТовары(Отказ, СтандартнаяОбработка) Экспорт
\t// Комментарий: «ёлочки» и "кавычки"
\tЗапрос = Новый Запрос;
\tЗапрос.Текст = "ВЫБРАТЬ
\t|\tН.Ссылка КАК Ссылка,
\t|\tЕСТЬNULL(Остатки.КоличествоОстаток, 0) КАК Остаток
\t|ИЗ
\t|\tСправочник.Номенклатура КАК Н
\t|ГДЕ Н.ПометкаУдаления = ЛОЖЬ И Н.Код В (&Коды)";
\tДля Каждого Стр Из Запрос.Выполнить().Выгрузить() Цикл
\t\tЕсли Стр.Остаток <> 0 Тогда Сообщить(СтрШаблон("%1: %2", Стр.Ссылка, Стр.Остаток)); КонецЕсли;
\tКонецЦикла;
КонецПроцедуры`;

/** Text meant to break a tokenizer: scripts, emoji, replaced surrogates, 1C code, very long lines. */
const HOSTILE = [
  "Hello мир 世界 مرحبا שלום नमस्ते Ελλάδα ქართული 한국어 ไทย",
  "👨‍👩‍👧‍👦 🇷🇺🇺🇦 😀👍🏽 e\u0301 \u200b\u200d\ufeff в середине",
  normalizeText("a\ud800b\udc00c\ud83d"),
  "\u0000\u0001\u001f\u007f\u0080\u00ff \t\t\t \\ \\n '\" ''' \"\"\" b'x' \\x00",
  BSL,
  BSL.replaceAll("\n", "\r\n"),
  "Процедура".repeat(20_000),
  "а".repeat(100_000),
  " ".repeat(5_000) + "\t".repeat(5_000) + "\n".repeat(5_000),
  "КонецЕсли;КонецЦикла;".repeat(3_000) + "😀".repeat(3_000),
  "",
];

function corpusTexts(): string[] {
  return CORPUS.flatMap((f) => readDataset(path.join(DATA, f)).rows.map((r) => r.text));
}

/** `world_tokens.py compare`: pyrwkv-tokenizer and the reference TRIE_TOKENIZER on each text. */
function compare(texts: readonly string[]) {
  const r = spawnSync(tokenizerPython(), [path.join(PYTHON_DIR, "world_tokens.py"), "compare"], {
    input: texts.map((t) => `${JSON.stringify(t)}\n`).join(""),
    encoding: "utf8",
    maxBuffer: 2 ** 30,
  });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { results: lines.slice(0, -1), torch: lines.at(-1)!.torch_imported };
}

describe("RWKV World ids: the fast tokenizer against the reference", () => {
  beforeAll(() => void tokenizerPython(), 600_000);

  it("GIVEN every document of the shipped corpus and hostile text WHEN encoded by both THEN the ids are the same, and no torch was imported", () => {
    const random = fc.sample(fc.string({ unit: "binary", maxLength: 300 }), { seed: SEED, numRuns: 300 });
    const texts = [...corpusTexts(), ...HOSTILE, ...random.map(normalizeText)];
    const { results, torch } = compare(texts);
    expect(results).toHaveLength(texts.length);
    const differing = results.flatMap((r, i) => (r.same ? [] : [{ i, text: texts[i]!.slice(0, 80), ...r }]));
    expect(differing).toEqual([]);
    expect(results.reduce((n, r) => n + (r.reference as number), 0)).toBeGreaterThan(100_000);
    expect(torch).toBe(false);
  }, 600_000);

  it("GIVEN BSL code WHEN encoded THEN it takes far fewer ids than its UTF-8 bytes, and the ids are pinned", () => {
    const { tokenizer, encoded } = encodeTexts(["Процедура А()\nКонецПроцедуры", BSL]);
    expect(encoded[0]!.ids).toEqual([
      27858, 2808, 28108, 27910, 28043, 5062, 472, 11, 27852, 42938, 27858, 2808, 28108, 27910, 28051,
    ]);
    expect(Buffer.byteLength(BSL) / encoded[1]!.ids.length).toBeGreaterThan(3);
    expect(tokenizer).toMatchObject({
      vocab: "rwkv_vocab_v20230424.txt",
      vocab_sha256: VOCAB_SHA256,
      vocab_entries: 65529,
    });
    expect(readFileSync(tokenizer.vocab_path).length).toBe(1159262);
  });

  it("GIVEN hostile text WHEN encoded THEN each decodes back exactly and gets its end-of-document id", () => {
    const { encoded } = encodeTexts(HOSTILE);
    expect(roundTripFailures(HOSTILE, encoded)).toEqual([]);
    expect(decodeTexts(encoded.map((e) => e.ids))).toEqual(HOSTILE);
    expect([...documentIds(encoded[0]!)].at(-1)).toBe(0);
    expect(encoded.at(-1)!.ids).toEqual([]);
  });

  it("GIVEN ids that end inside a UTF-8 character WHEN decoded THEN the broken bytes become U+FFFD", () => {
    const [cut] = decodeTexts([[1 + 0xd0]]);
    expect(cut).toBe("\ufffd");
  });

  it("GIVEN a decoded text that differs WHEN the round trip is checked THEN that document is reported", () => {
    expect(
      roundTripFailures(
        ["Да", "Нет", "x"],
        [
          { ids: [1], decoded: "Да" },
          { ids: [2], decoded: "Не" },
          { ids: [3], decoded: null },
        ],
      ),
    ).toEqual([1, 2]);
  });
});

describe("normalising text before tokenising", () => {
  it("GIVEN text as the 1C platform writes it WHEN normalised THEN the BOM is gone and CRLF and CR became LF", () => {
    expect(normalizeText("\uFEFFПроцедура А()\r\n\tВозврат;\rКонецПроцедуры")).toBe(
      "Процедура А()\n\tВозврат;\nКонецПроцедуры",
    );
    expect(normalizeText("a\uFEFFb")).toBe("a\uFEFFb");
  });

  it("GIVEN lone UTF-16 surrogates (from JSON escapes) WHEN normalised THEN each becomes U+FFFD and pairs stay", () => {
    expect(normalizeText("a\ud800b\udc00c😀\ud83d")).toBe("a\ufffdb\ufffdc😀\ufffd");
  });
});
