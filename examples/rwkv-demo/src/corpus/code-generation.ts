/**
 * "Write me a function" records: Russian instructions, BSL answers.
 */
import type { InstructionRecord } from "../categories.js";
import { CATALOGS, DOCUMENTS, REGISTERS, ROW_FIELDS } from "./entities.js";
import type { Rng } from "./random.js";

const bsl = (code: string) => "```bsl\n" + code + "\n```";

function balance(rng: Rng): InstructionRecord {
  const reg = rng.pick(REGISTERS);
  const dim = rng.pick(reg.dimensions);
  const res = rng.pick(reg.resources);
  const when = rng.pick(["Дата", "МоментВремени"]);
  const code = [
    `Функция Остаток${res}(${dim}, ${when}) Экспорт`,
    `\tЗапрос = Новый Запрос;`,
    `\tЗапрос.Текст =`,
    `\t"ВЫБРАТЬ`,
    `\t|\tЕСТЬNULL(СУММА(Остатки.${res}Остаток), 0) КАК Остаток`,
    `\t|ИЗ`,
    `\t|\tРегистрНакопления.${reg.name}.Остатки(&${when}, ${dim} = &${dim}) КАК Остатки";`,
    `\tЗапрос.УстановитьПараметр("${when}", ${when});`,
    `\tЗапрос.УстановитьПараметр("${dim}", ${dim});`,
    `\tВыборка = Запрос.Выполнить().Выбрать();`,
    `\tВыборка.Следующий();`,
    `\tВозврат Выборка.Остаток;`,
    `КонецФункции`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши функцию, которая возвращает остаток ресурса «${res}» регистра накопления ${reg.name} по измерению ${dim} на ${when === "Дата" ? "дату" : "момент времени"}.`,
    output: `${bsl(code)}\nФункция читает виртуальную таблицу остатков с отбором по измерению ${dim}; ЕСТЬNULL возвращает ноль, если движений нет.`,
  };
}

function tableTotal(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const field = rng.pick(ROW_FIELDS);
  const loop = rng.next() < 0.5;
  const body = loop
    ? [
        `\tИтог = 0;`,
        `\tДля Каждого Строка Из Документ.${doc.table} Цикл`,
        `\t\tИтог = Итог + Строка.${field};`,
        `\tКонецЦикла;`,
        `\tВозврат Итог;`,
      ]
    : [`\tВозврат Документ.${doc.table}.Итог("${field}");`];
  const code = [`Функция Итог${field}${doc.table}(Документ) Экспорт`, ...body, `КонецФункции`].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши функцию, которая считает итог по колонке ${field} табличной части ${doc.table} документа ${doc.name}.`,
    output: `${bsl(code)}\n${loop ? "Цикл по строкам табличной части складывает значения колонки." : "Метод Итог табличной части считает сумму колонки без явного цикла."}`,
  };
}

function fillCheck(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS);
  const attr = rng.pick(cat.attributes);
  const code = [
    `Процедура ОбработкаПроверкиЗаполнения(Отказ, ПроверяемыеРеквизиты)`,
    `\tЕсли Не ЗначениеЗаполнено(${attr.name}) Тогда`,
    `\t\tОбщегоНазначения.СообщитьПользователю(`,
    `\t\t\tНСтр("ru = 'Не заполнен реквизит «${attr.title}»'"), ЭтотОбъект, "${attr.name}", , Отказ);`,
    `\tКонецЕсли;`,
    `КонецПроцедуры`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `В модуле объекта справочника ${cat.name} добавь проверку, что реквизит «${attr.title}» заполнен перед записью.`,
    output: `${bsl(code)}\nПри незаполненном реквизите пользователь видит сообщение у поля ${attr.name}, а запись отменяется через Отказ.`,
  };
}

function posting(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const store = doc.header.find((h) => h.startsWith("Склад")) ?? "Склад";
  const code = [
    `Процедура ОбработкаПроведения(Отказ, РежимПроведения)`,
    `\tДвижения.ОстаткиТоваров.Записывать = Истина;`,
    `\tДля Каждого Строка Из ${doc.table} Цикл`,
    `\t\tДвижение = Движения.ОстаткиТоваров.Добавить${doc.movement}();`,
    `\t\tДвижение.Период = Дата;`,
    `\t\tДвижение.Номенклатура = Строка.Номенклатура;`,
    `\t\tДвижение.Склад = ${store};`,
    `\t\tДвижение.Количество = Строка.Количество;`,
    `\tКонецЦикла;`,
    `КонецПроцедуры`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши обработку проведения документа ${doc.name}: ${doc.movement === "Приход" ? "приход" : "расход"} по регистру ОстаткиТоваров по строкам табличной части ${doc.table}.`,
    output: `${bsl(code)}\nКаждая строка табличной части даёт одно движение вида «${doc.movement}»; склад берётся из реквизита ${store}.`,
  };
}

function createItem(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS);
  const attr = rng.pick(cat.attributes);
  const code = [
    `Функция СоздатьЭлемент${cat.name}(Наименование, ${attr.name}) Экспорт`,
    `\tЭлемент = Справочники.${cat.name}.СоздатьЭлемент();`,
    `\tЭлемент.Наименование = Наименование;`,
    `\tЭлемент.${attr.name} = ${attr.name};`,
    `\tЭлемент.Записать();`,
    `\tВозврат Элемент.Ссылка;`,
    `КонецФункции`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши функцию, которая создаёт элемент справочника ${cat.name} с наименованием и реквизитом «${attr.title}» и возвращает ссылку на него.`,
    output: `${bsl(code)}\nЗапись выполняется методом Записать; при ошибке платформа вызовет исключение, которое обработает вызывающий код.`,
  };
}

function findBy(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS);
  const attr = rng.pick(cat.attributes);
  const code = [
    `Функция Найти${cat.name}По${attr.name}(Значение) Экспорт`,
    `\tСсылка = Справочники.${cat.name}.НайтиПоРеквизиту("${attr.name}", Значение);`,
    `\tЕсли Ссылка.Пустая() Тогда`,
    `\t\tВозврат Неопределено;`,
    `\tКонецЕсли;`,
    `\tВозврат Ссылка;`,
    `КонецФункции`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши функцию поиска в справочнике ${cat.name} по реквизиту «${attr.title}». Если ничего не найдено, верни Неопределено.`,
    output: `${bsl(code)}\nНайтиПоРеквизиту возвращает пустую ссылку, если элемента нет, поэтому её проверяют методом Пустая.`,
  };
}

function exportList(rng: Rng): InstructionRecord {
  const cat = rng.pick(CATALOGS);
  const sep = rng.pick([";", ",", "|"]);
  const code = [
    `Процедура ВыгрузитьСписок${cat.name}(ИмяФайла) Экспорт`,
    `\tТекст = Новый ТекстовыйДокумент;`,
    `\tВыборка = Справочники.${cat.name}.Выбрать();`,
    `\tПока Выборка.Следующий() Цикл`,
    `\t\tТекст.ДобавитьСтроку(СтрШаблон("%1${sep}%2", Выборка.Код, Выборка.Наименование));`,
    `\tКонецЦикла;`,
    `\tТекст.Записать(ИмяФайла, КодировкаТекста.UTF8);`,
    `КонецПроцедуры`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши процедуру, которая выгружает код и наименование всех элементов справочника ${cat.name} в текстовый файл через «${sep}».`,
    output: `${bsl(code)}\nВыборка читает справочник порциями, а СтрШаблон собирает строку без ручной конкатенации.`,
  };
}

function headerValues(rng: Rng): InstructionRecord {
  const doc = rng.pick(DOCUMENTS);
  const fields = ["Дата", "Номер", ...doc.header.slice(0, rng.int(1, doc.header.length))].join(", ");
  const code = [
    `Функция РеквизитыДокумента${doc.name}(Ссылка) Экспорт`,
    `\tВозврат ОбщегоНазначения.ЗначенияРеквизитовОбъекта(Ссылка, "${fields}");`,
    `КонецФункции`,
  ].join("\n");
  return {
    category: "code_generation",
    instruction: `Напиши функцию, которая получает реквизиты ${fields} документа ${doc.name} по ссылке одним обращением к базе.`,
    output: `${bsl(code)}\nЗначенияРеквизитовОбъекта возвращает структуру и читает только перечисленные поля, не загружая объект целиком.`,
  };
}

/** Every template of the category; each call gives one record. */
export const CODE_GENERATION: readonly ((rng: Rng) => InstructionRecord)[] = [
  balance,
  tableTotal,
  fillCheck,
  posting,
  createItem,
  findBy,
  exportList,
  headerValues,
];
