/**
 * 1C query-language records: a task in Russian, a query text as the answer.
 */
import type { InstructionRecord } from "../categories.js";
import { CATALOGS, DOCUMENTS, REGISTERS, TURNOVERS } from "./entities.js";
import type { Rng } from "./random.js";

const query = (text: string) => "```sdbl\n" + text + "\n```";

function balances(rng: Rng): InstructionRecord {
  const reg = rng.pick(REGISTERS);
  const [group, filter] = rng.shuffle(reg.dimensions);
  const res = rng.pick(reg.resources);
  const order = rng.pick(["УБЫВ", "ВОЗР"]);
  const text = [
    `ВЫБРАТЬ`,
    `\tОстатки.${group} КАК ${group},`,
    `\tСУММА(Остатки.${res}Остаток) КАК ${res}`,
    `ИЗ`,
    `\tРегистрНакопления.${reg.name}.Остатки(&Дата, ${filter} = &${filter}) КАК Остатки`,
    `СГРУППИРОВАТЬ ПО`,
    `\tОстатки.${group}`,
    `УПОРЯДОЧИТЬ ПО`,
    `\t${res} ${order}`,
  ].join("\n");
  return {
    category: "queries_1c",
    instruction: `Напиши запрос: остатки ресурса ${res} регистра ${reg.name} на дату в разрезе ${group} с отбором по ${filter}, по ${order === "УБЫВ" ? "убыванию" : "возрастанию"}.`,
    output: `${query(text)}\nОтбор по ${filter} передан в параметры виртуальной таблицы, поэтому платформа не читает лишние записи.`,
  };
}

function turnovers(rng: Rng): InstructionRecord {
  const reg = rng.pick(TURNOVERS);
  const dim = rng.pick(reg.dimensions);
  const res = rng.pick(reg.resources);
  const period = rng.pick([
    ["Месяц", "по месяцам"],
    ["Неделя", "по неделям"],
    ["День", "по дням"],
    ["Квартал", "по кварталам"],
  ] as const);
  const text = [
    `ВЫБРАТЬ`,
    `\tОбороты.Период КАК Период,`,
    `\tОбороты.${dim} КАК ${dim},`,
    `\tОбороты.${res}Оборот КАК ${res}`,
    `ИЗ`,
    `\tРегистрНакопления.${reg.name}.Обороты(&НачалоПериода, &КонецПериода, ${period[0]}, ) КАК Обороты`,
    `УПОРЯДОЧИТЬ ПО`,
    `\tПериод`,
  ].join("\n");
  return {
    category: "queries_1c",
    instruction: `Составь запрос оборотов регистра ${reg.name}: ${res} в разрезе ${dim} ${period[1]} за период.`,
    output: `${query(text)}\nПериодичность ${period[0]} задана третьим параметром виртуальной таблицы оборотов.`,
  };
}

function documentsInPeriod(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const field = rng.pick(doc.header);
  const posted = rng.next() < 0.5;
  const text = [
    `ВЫБРАТЬ`,
    `\tДок.Ссылка КАК Ссылка,`,
    `\tДок.Дата КАК Дата,`,
    `\tДок.${field} КАК ${field}`,
    `ИЗ`,
    `\tДокумент.${doc.name} КАК Док`,
    `ГДЕ`,
    `\tДок.Дата МЕЖДУ &НачалоПериода И &КонецПериода${posted ? "\n\tИ Док.Проведен" : "\n\tИ НЕ Док.ПометкаУдаления"}`,
    `УПОРЯДОЧИТЬ ПО`,
    `\tДата`,
  ].join("\n");
  return {
    category: "queries_1c",
    instruction: `Нужен запрос, который выбирает ${posted ? "проведённые" : "не помеченные на удаление"} документы ${doc.name} за период с полем ${field}.`,
    output: `${query(text)}\nУсловие МЕЖДУ включает обе границы периода.`,
  };
}

function leftJoin(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS.filter((c) => c.name === "Номенклатура" || c.name === "Склады"));
  const reg = rng.pick(
    REGISTERS.filter((r) => r.dimensions.includes(cat.name === "Склады" ? "Склад" : "Номенклатура")),
  );
  const dim = cat.name === "Склады" ? "Склад" : "Номенклатура";
  const res = rng.pick(reg.resources);
  const text = [
    `ВЫБРАТЬ`,
    `\tСпр.Ссылка КАК ${dim},`,
    `\tЕСТЬNULL(Остатки.${res}Остаток, 0) КАК ${res}`,
    `ИЗ`,
    `\tСправочник.${cat.name} КАК Спр`,
    `\t\tЛЕВОЕ СОЕДИНЕНИЕ РегистрНакопления.${reg.name}.Остатки(&Дата) КАК Остатки`,
    `\t\tПО Спр.Ссылка = Остатки.${dim}`,
    `ГДЕ`,
    `\tНЕ Спр.ПометкаУдаления`,
  ].join("\n");
  return {
    category: "queries_1c",
    instruction: `Выбери все элементы справочника ${cat.name} вместе с остатком ${res} из регистра ${reg.name}; элементы без остатка тоже должны попасть в результат.`,
    output: `${query(text)}\nЛЕВОЕ СОЕДИНЕНИЕ сохраняет элементы без движений, ЕСТЬNULL заменяет их NULL на ноль.`,
  };
}

function topN(rng: Rng): InstructionRecord {
  const reg = rng.pick(TURNOVERS);
  const dim = rng.pick(reg.dimensions);
  const res = rng.pick(reg.resources);
  const n = rng.pick([5, 10, 20, 50]);
  const text = [
    `ВЫБРАТЬ ПЕРВЫЕ ${n}`,
    `\tОбороты.${dim} КАК ${dim},`,
    `\tОбороты.${res}Оборот КАК ${res}`,
    `ИЗ`,
    `\tРегистрНакопления.${reg.name}.Обороты(&НачалоПериода, &КонецПериода) КАК Обороты`,
    `УПОРЯДОЧИТЬ ПО`,
    `\t${res} УБЫВ`,
  ].join("\n");
  return {
    category: "queries_1c",
    instruction: `Напиши запрос, который возвращает ${n} лучших значений ${dim} по обороту ${res} регистра ${reg.name} за период.`,
    output: `${query(text)}\nПЕРВЫЕ ${n} вместе с сортировкой по убыванию дают рейтинг без обработки результата в коде.`,
  };
}

/** Every template of the category; each call gives one record. */
export const QUERIES: readonly ((rng: Rng) => InstructionRecord)[] = [
  balances,
  turnovers,
  documentsInPeriod,
  leftJoin,
  topN,
];
