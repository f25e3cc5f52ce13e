/**
 * "Improve this code" records: a BSL fragment with a typical defect, and the corrected version.
 */
import type { InstructionRecord } from "../categories.js";
import { CATALOGS, DOCUMENTS, ROW_FIELDS, STATUSES } from "./entities.js";
import type { Rng } from "./random.js";

const bsl = (code: string) => "```bsl\n" + code + "\n```";

function record(ask: string, before: string, after: string, why: string): InstructionRecord {
  return { category: "refactoring", instruction: `${ask}\n${bsl(before)}`, output: `${bsl(after)}\n${why}` };
}

const ASK = [
  "Отрефактори этот код.",
  "Улучши этот фрагмент кода 1С.",
  "Перепиши код так, чтобы он был быстрее и понятнее.",
  "Исправь недостатки в этом коде.",
];

function queryInLoop(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const field = rng.pick(["Цена", "ЦенаЗакупки", "РозничнаяЦена"]);
  const before = [
    `Для Каждого Строка Из Объект.${doc.table} Цикл`,
    `\tЗапрос = Новый Запрос("ВЫБРАТЬ Цены.${field} ИЗ РегистрСведений.ЦеныНоменклатуры.СрезПоследних(, Номенклатура = &Номенклатура) КАК Цены");`,
    `\tЗапрос.УстановитьПараметр("Номенклатура", Строка.Номенклатура);`,
    `\tВыборка = Запрос.Выполнить().Выбрать();`,
    `\tЕсли Выборка.Следующий() Тогда`,
    `\t\tСтрока.Цена = Выборка.${field};`,
    `\tКонецЕсли;`,
    `КонецЦикла;`,
  ].join("\n");
  const after = [
    `Запрос = Новый Запрос("ВЫБРАТЬ Цены.Номенклатура, Цены.${field} ИЗ РегистрСведений.ЦеныНоменклатуры.СрезПоследних(, Номенклатура В (&Список)) КАК Цены");`,
    `Запрос.УстановитьПараметр("Список", Объект.${doc.table}.ВыгрузитьКолонку("Номенклатура"));`,
    `Цены = Новый Соответствие;`,
    `Выборка = Запрос.Выполнить().Выбрать();`,
    `Пока Выборка.Следующий() Цикл`,
    `\tЦены.Вставить(Выборка.Номенклатура, Выборка.${field});`,
    `КонецЦикла;`,
    `Для Каждого Строка Из Объект.${doc.table} Цикл`,
    `\tСтрока.Цена = Цены.Получить(Строка.Номенклатура);`,
    `КонецЦикла;`,
  ].join("\n");
  return record(
    rng.pick(ASK),
    before,
    after,
    `Запрос в цикле выполнялся для каждой строки ${doc.table}. Теперь один запрос читает цены для всего списка, а соответствие раздаёт их строкам.`,
  );
}

function nestedIf(rng: Rng): InstructionRecord {
  const [a, b, c] = rng.shuffle(STATUSES);
  const before = [
    `Если Заказ.Статус = Перечисления.СтатусыЗаказов.${a!.value} Тогда`,
    `\t${a!.action}(Заказ);`,
    `Иначе`,
    `\tЕсли Заказ.Статус = Перечисления.СтатусыЗаказов.${b!.value} Тогда`,
    `\t\t${b!.action}(Заказ);`,
    `\tИначе`,
    `\t\tЕсли Заказ.Статус = Перечисления.СтатусыЗаказов.${c!.value} Тогда`,
    `\t\t\t${c!.action}(Заказ);`,
    `\t\tКонецЕсли;`,
    `\tКонецЕсли;`,
    `КонецЕсли;`,
  ].join("\n");
  const after = [
    `Статус = Заказ.Статус;`,
    `Если Статус = Перечисления.СтатусыЗаказов.${a!.value} Тогда`,
    `\t${a!.action}(Заказ);`,
    `ИначеЕсли Статус = Перечисления.СтатусыЗаказов.${b!.value} Тогда`,
    `\t${b!.action}(Заказ);`,
    `ИначеЕсли Статус = Перечисления.СтатусыЗаказов.${c!.value} Тогда`,
    `\t${c!.action}(Заказ);`,
    `КонецЕсли;`,
  ].join("\n");
  return record(
    rng.pick(ASK),
    before,
    after,
    "Вложенные условия заменены цепочкой ИначеЕсли, статус читается один раз.",
  );
}

function indexLoop(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const field = rng.pick(ROW_FIELDS);
  const counter = rng.pick(["Сч", "Индекс", "НомерСтроки", "И"]);
  const before = [
    `Итог = 0;`,
    `Для ${counter} = 0 По Объект.${doc.table}.Количество() - 1 Цикл`,
    `\tИтог = Итог + Объект.${doc.table}[${counter}].${field};`,
    `КонецЦикла;`,
  ].join("\n");
  const after = `Итог = Объект.${doc.table}.Итог("${field}");`;
  return record(
    rng.pick(ASK),
    before,
    after,
    `Цикл по индексу заменён методом Итог: короче, без ошибок на границах и без лишних обращений к коллекции.`,
  );
}

function concatInLoop(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS);
  const sep = rng.pick([", ", "; ", " | "]);
  const before = [
    `Текст = "";`,
    `Выборка = Справочники.${cat.name}.Выбрать();`,
    `Пока Выборка.Следующий() Цикл`,
    `\tЕсли Текст <> "" Тогда`,
    `\t\tТекст = Текст + "${sep}";`,
    `\tКонецЕсли;`,
    `\tТекст = Текст + Выборка.Наименование;`,
    `КонецЦикла;`,
  ].join("\n");
  const after = [
    `Части = Новый Массив;`,
    `Выборка = Справочники.${cat.name}.Выбрать();`,
    `Пока Выборка.Следующий() Цикл`,
    `\tЧасти.Добавить(Выборка.Наименование);`,
    `КонецЦикла;`,
    `Текст = СтрСоединить(Части, "${sep}");`,
  ].join("\n");
  return record(
    rng.pick(ASK),
    before,
    after,
    `Склейка строки в цикле копирует её на каждом шаге. Массив и СтрСоединить собирают текст один раз и убирают проверку на первый элемент.`,
  );
}

function oldMessage(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS);
  const attr = rng.pick(cat.attributes);
  const before = [
    `Если Не ЗначениеЗаполнено(Объект.${attr.name}) Тогда`,
    `\tСообщить("Не заполнено поле ${attr.title}");`,
    `\tОтказ = Истина;`,
    `КонецЕсли;`,
  ].join("\n");
  const after = [
    `Если Не ЗначениеЗаполнено(Объект.${attr.name}) Тогда`,
    `\tОбщегоНазначения.СообщитьПользователю(НСтр("ru = 'Не заполнено поле «${attr.title}»'"), , "Объект.${attr.name}", , Отказ);`,
    `КонецЕсли;`,
  ].join("\n");
  return record(
    rng.pick(ASK),
    before,
    after,
    `Устаревший Сообщить заменён на СообщитьПользователю: сообщение привязано к полю ${attr.name} формы справочника ${cat.name}, текст переводим через НСтр.`,
  );
}

function magicNumber(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const rate = rng.pick([10, 18, 20]);
  const before = [
    `Для Каждого Строка Из Объект.${doc.table} Цикл`,
    `\tСтрока.СуммаНДС = Строка.Сумма * ${rate} / ${100 + rate};`,
    `КонецЦикла;`,
  ].join("\n");
  const after = [
    `Ставка = УчетНДС.ЗначениеСтавки(Перечисления.СтавкиНДС.НДС${rate});`,
    `Для Каждого Строка Из Объект.${doc.table} Цикл`,
    `\tСтрока.СуммаНДС = Строка.Сумма * Ставка / (100 + Ставка);`,
    `КонецЦикла;`,
  ].join("\n");
  return record(
    rng.pick(ASK),
    before,
    after,
    `Число ${rate} было зашито в код. Ставка теперь берётся из перечисления, поэтому её изменение не потребует правки документа ${doc.name}.`,
  );
}

function dotAccess(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const attr = rng.pick(["Артикул", "ЕдиницаИзмерения", "ВидНоменклатуры"]);
  const before = [
    `Для Каждого Строка Из Объект.${doc.table} Цикл`,
    `\tСтрока.${attr} = Строка.Номенклатура.${attr};`,
    `КонецЦикла;`,
  ].join("\n");
  const after = [
    `Значения = ОбщегоНазначения.ЗначениеРеквизитаОбъектов(Объект.${doc.table}.ВыгрузитьКолонку("Номенклатура"), "${attr}");`,
    `Для Каждого Строка Из Объект.${doc.table} Цикл`,
    `\tСтрока.${attr} = Значения[Строка.Номенклатура];`,
    `КонецЦикла;`,
  ].join("\n");
  return record(
    rng.pick(ASK),
    before,
    after,
    `Обращение через точку к реквизиту ссылки читало объект из базы в каждой строке. Один вызов ЗначениеРеквизитаОбъектов получает все значения сразу.`,
  );
}

function strFind(rng: Rng): InstructionRecord {
  const needle = rng.pick(["ООО", "ИП", "АО", "ПАО"]);
  const name = rng.pick(["Наименование", "НаименованиеПолное", "Представление"]);
  const before = `Если Найти(Контрагент.${name}, "${needle}") > 0 Тогда\n\tЮрЛицо = Истина;\nКонецЕсли;`;
  const after = `ЮрЛицо = СтрНайти(Контрагент.${name}, "${needle}") > 0;`;
  return record(
    rng.pick(ASK),
    before,
    after,
    `Устаревшая функция Найти заменена на СтрНайти, а условие с присваиванием — одним логическим выражением.`,
  );
}

/** Every template of the category; each call gives one record. */
export const REFACTORING: readonly ((rng: Rng) => InstructionRecord)[] = [
  queryInLoop,
  nestedIf,
  indexLoop,
  concatInLoop,
  oldMessage,
  magicNumber,
  dotAccess,
  strFind,
];
