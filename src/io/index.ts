/** Reading transactions files, column mapping, dates, writers, atomic files. */
export { readTransactions, READ_DEFAULTS, sha256File } from './read';
export type { ReadOptions } from './read';
export { resolveMapping, KNOWN_SCHEMAS, ROLE_SYNONYMS, ROLES, ROLE_FLAGS, parseRoleName } from './mapping';
export type { ColumnsOption, MappingResult } from './mapping';
export { DATE_LAYOUTS, DATE_FORMAT_CHOICES, guessDateLayout, layoutFromOption } from './dates';
export type { DateLayout } from './dates';
export { inspectFile, EXTENSIONS } from './detect';
export type { FileFormat, FileInfo } from './detect';
export { writeFileAtomic, writeFileAtomicSync, withAtomicOutput } from './atomic';
export { checkOutputPlace, ensureOutputFolder, FORBIDDEN_ROOTS } from './place';
export type { OutputPlaceOptions } from './place';
export { writeTable, tableCsv, tableFormatOf, neutraliseFormulas, roundMoney, csvReady, MONEY_COLUMN, FORMULA_START, WRITE_DEFAULTS } from './write';
export type { WriteTableOptions, TableFormat } from './write';
