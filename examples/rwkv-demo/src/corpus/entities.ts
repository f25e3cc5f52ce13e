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

/** Catalogs used by the templates. */
export const CATALOGS: readonly Catalog[] = [
  {
    name: "Номенклатура",
    genitive: "номенклатуры",
    attributes: [
      { name: "Артикул", title: "Артикул" },
      { name: "ЕдиницаИзмерения", title: "Единица измерения" },
      { name: "ВидНоменклатуры", title: "Вид номенклатуры" },
      { name: "СтавкаНДС", title: "Ставка НДС" },
    ],
  },
  {
    name: "Контрагенты",
    genitive: "контрагентов",
    attributes: [
      { name: "ИНН", title: "ИНН" },
      { name: "КПП", title: "КПП" },
      { name: "ОсновнойДоговор", title: "Основной договор" },
      { name: "КонтактноеЛицо", title: "Контактное лицо" },
    ],
  },
  {
    name: "Склады",
    genitive: "складов",
    attributes: [
      { name: "Адрес", title: "Адрес" },
      { name: "Ответственный", title: "Ответственный" },
      { name: "ТипСклада", title: "Тип склада" },
    ],
  },
  {
    name: "Организации",
    genitive: "организаций",
    attributes: [
      { name: "ИНН", title: "ИНН" },
      { name: "ОГРН", title: "ОГРН" },
      { name: "ОсновнойБанковскийСчет", title: "Основной банковский счет" },
    ],
  },
  {
    name: "Сотрудники",
    genitive: "сотрудников",
    attributes: [
      { name: "ТабельныйНомер", title: "Табельный номер" },
      { name: "Подразделение", title: "Подразделение" },
      { name: "Должность", title: "Должность" },
    ],
  },
  {
    name: "Подразделения",
    genitive: "подразделений",
    attributes: [
      { name: "Руководитель", title: "Руководитель" },
      { name: "КодПодразделения", title: "Код подразделения" },
    ],
  },
  {
    name: "ДоговорыКонтрагентов",
    genitive: "договоров контрагентов",
    attributes: [
      { name: "Владелец", title: "Владелец" },
      { name: "ВалютаВзаиморасчетов", title: "Валюта взаиморасчетов" },
      { name: "ДатаОкончания", title: "Дата окончания" },
    ],
  },
  {
    name: "БанковскиеСчета",
    genitive: "банковских счетов",
    attributes: [
      { name: "НомерСчета", title: "Номер счета" },
      { name: "Банк", title: "Банк" },
      { name: "ВалютаСчета", title: "Валюта счета" },
    ],
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
