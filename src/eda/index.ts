/** Exploratory analysis: tables (Polars DataFrames) and Vega-Lite charts. */
export { explore, exploreAsync, exploreRaw, EXPLORE_DEFAULTS, EDA_TABLES } from './explore';
export type { EdaResult, Exploration, ExploreOptions, RawExploration } from './explore';
export { overview, missingValues, qualityTable } from './overview';
export { numericSummary, histogram, SUMMARY_QUANTILES } from './numeric';
export type { Histogram, HistogramOptions } from './numeric';
export { monthlyActivity, weekdayHour, cancellations, allMonths } from './time';
export { topCountries, topProducts, groupTotals, rankTop } from './top';
export type { TopBy } from './top';
export { customerTable, customerSummary, extremeLines, topCustomers } from './customers';
export { orderKey } from './common';
