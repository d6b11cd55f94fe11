/** Cleaning: data-quality rules, each counted, with a checked quality record. */
export { cleanTransactions, planCleaning, cleanedResult, CLEAN_DEFAULTS, RULE_LABELS } from './clean';
export type { CleanOptions, CleaningPlan } from './clean';
export { RULE_ORDER, DEFAULT_RULES, NON_PRODUCT_CODES, OUTLIER_DEFAULTS } from './rules';
export type { RuleKey, OutlierOptions, DateWindow } from './rules';
