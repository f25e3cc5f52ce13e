/**
 * Metadata objects of a typical 1C:Enterprise trade configuration, used by the corpus templates.
 */

/** A catalog (справочник) with some of its attributes. */
export interface Catalog {
  readonly name: string;
  /** Genitive plural, as in "список номенклатуры". */
  readonly genitive: string;
  readonly attributes: readonly { readonly name: string; readonly title: string }[];
}

/** A document with a tabular section and its header attributes. */
export interface DocumentType {
  readonly name: string;
  /** Genitive, as in "документ реализации товаров". */
  readonly genitive: string;
  readonly table: string;
  readonly header: readonly string[];
  /** Movement of goods: "Приход" or "Расход". */
  readonly movement: "Приход" | "Расход";
}

/** An accumulation register with balances. */
export interface Register {
  readonly name: string;
  readonly genitive: string;
  readonly dimensions: readonly string[];
  readonly resources: readonly string[];
}

/**
 * Attributes by their 1C names; each title is the name split into words, as the configurator shows
 * it ("ЕдиницаИзмерения" -> "Единица измерения", "СтавкаНДС" -> "Ставка НДС").
 */
function attributes(...names: string[]): Catalog["attributes"] {
  const title = (name: string) =>
    name
      .split(/(?<=[а-яё])(?=[А-ЯЁ])/u)
      .map((word, i) => (i === 0 || word === word.toUpperCase() ? word : word.toLowerCase()))
      .join(" ");
  return names.map((name) => ({ name, title: title(name) }));
}

/** Catalogs used by the templates. */
export const CATALOGS: readonly Catalog[] = [
  {
    name: "Номенклатура",
    genitive: "номенклатуры",
    attributes: attributes("Артикул", "ЕдиницаИзмерения", "ВидНоменклатуры", "СтавкаНДС"),
  },
  {
    name: "Контрагенты",
    genitive: "контрагентов",
    attributes: attributes("ИНН", "КПП", "ОсновнойДоговор", "КонтактноеЛицо"),
  },
  {
    name: "Склады",
    genitive: "складов",
    attributes: attributes("Адрес", "Ответственный", "ТипСклада"),
  },
  {
    name: "Организации",
    genitive: "организаций",
    attributes: attributes("ИНН", "ОГРН", "ОсновнойБанковскийСчет"),
  },
  {
    name: "Сотрудники",
    genitive: "сотрудников",
    attributes: attributes("ТабельныйНомер", "Подразделение", "Должность"),
  },
  {
    name: "Подразделения",
    genitive: "подразделений",
    attributes: attributes("Руководитель", "КодПодразделения"),
  },
  {
    name: "ДоговорыКонтрагентов",
    genitive: "договоров контрагентов",
    attributes: attributes("Владелец", "ВалютаВзаиморасчетов", "ДатаОкончания"),
  },
  {
    name: "БанковскиеСчета",
    genitive: "банковских счетов",
    attributes: attributes("НомерСчета", "Банк", "ВалютаСчета"),
  },
];

/** Documents used by the templates. */
export const DOCUMENTS: readonly DocumentType[] = [
  {
    name: "РеализацияТоваровУслуг",
    genitive: "реализации товаров и услуг",
    table: "Товары",
    header: ["Контрагент", "Склад", "Договор"],
    movement: "Расход",
  },
  {
    name: "ПоступлениеТоваровУслуг",
    genitive: "поступления товаров и услуг",
    table: "Товары",
    header: ["Контрагент", "Склад", "Договор"],
    movement: "Приход",
  },
  {
    name: "СписаниеТоваров",
    genitive: "списания товаров",
    table: "Товары",
    header: ["Склад", "Ответственный"],
    movement: "Расход",
  },
  {
    name: "ОприходованиеТоваров",
    genitive: "оприходования товаров",
    table: "Товары",
    header: ["Склад", "Ответственный"],
    movement: "Приход",
  },
  {
    name: "ВозвратТоваровОтКлиента",
    genitive: "возврата товаров от клиента",
    table: "Товары",
    header: ["Контрагент", "Склад"],
    movement: "Приход",
  },
  {
    name: "ВозвратТоваровПоставщику",
    genitive: "возврата товаров поставщику",
    table: "Товары",
    header: ["Контрагент", "Склад"],
    movement: "Расход",
  },
  {
    name: "ПеремещениеТоваров",
    genitive: "перемещения товаров",
    table: "Товары",
    header: ["СкладОтправитель", "СкладПолучатель"],
    movement: "Расход",
  },
  {
    name: "СборкаТоваров",
    genitive: "сборки товаров",
    table: "Комплектующие",
    header: ["Склад", "Ответственный"],
    movement: "Расход",
  },
];

/** Accumulation registers with balances. */
export const REGISTERS: readonly Register[] = [
  {
    name: "ОстаткиТоваров",
    genitive: "остатков товаров",
    dimensions: ["Номенклатура", "Склад"],
    resources: ["Количество"],
  },
  {
    name: "ТоварыНаСкладах",
    genitive: "товаров на складах",
    dimensions: ["Склад", "Номенклатура"],
    resources: ["ВНаличии", "ВРезерве"],
  },
  { name: "Взаиморасчеты", genitive: "взаиморасчетов", dimensions: ["Контрагент", "Договор"], resources: ["Сумма"] },
  {
    name: "ДенежныеСредства",
    genitive: "денежных средств",
    dimensions: ["Организация", "БанковскийСчет"],
    resources: ["Сумма"],
  },
  {
    name: "ЗаказыКлиентов",
    genitive: "заказов клиентов",
    dimensions: ["ЗаказКлиента", "Номенклатура"],
    resources: ["Количество", "Сумма"],
  },
  {
    name: "ПартииТоваров",
    genitive: "партий товаров",
    dimensions: ["Номенклатура", "Партия"],
    resources: ["Количество", "Стоимость"],
  },
];

/** Turnover registers (for Обороты queries). */
export const TURNOVERS: readonly Register[] = [
  {
    name: "Продажи",
    genitive: "продаж",
    dimensions: ["Номенклатура", "Контрагент", "Подразделение"],
    resources: ["Количество", "Сумма", "СуммаНДС"],
  },
  {
    name: "Закупки",
    genitive: "закупок",
    dimensions: ["Номенклатура", "Контрагент"],
    resources: ["Количество", "Сумма"],
  },
  {
    name: "ВыпускПродукции",
    genitive: "выпуска продукции",
    dimensions: ["Номенклатура", "Подразделение"],
    resources: ["Количество", "Стоимость"],
  },
];

/** Row fields of tabular sections. */
export const ROW_FIELDS: readonly string[] = ["Количество", "Сумма", "СуммаНДС", "Цена", "СуммаСкидки"];

/** Order statuses, for branching examples. */
export const STATUSES: readonly { readonly value: string; readonly action: string }[] = [
  { value: "Новый", action: "ЗарезервироватьТовары" },
  { value: "ВРаботе", action: "ОбновитьСрокОтгрузки" },
  { value: "КОтгрузке", action: "СформироватьЗаданиеНаОтгрузку" },
  { value: "Выполнен", action: "ЗакрытьЗаказ" },
  { value: "Отменен", action: "СнятьРезерв" },
];
