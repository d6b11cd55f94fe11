/** Customer lifetime value: summary → BG/NBD + Gamma-Gamma → predictions → CLV, with holdout validation. */
export { clvSummary, CLV_SUMMARY_DEFAULTS } from './summary';
export type { ClvSummary, ClvSummaryOptions, TimeUnit } from './summary';
export { fitBgNbd, bgnbdLogLikelihood, bgnbdLogLikelihoodOne, BGNBD_DEFAULTS } from './bgnbd';
export type { BgNbdParams, BgNbdFit, BgNbdOptions, FitReport } from './bgnbd';
export { expectedPurchases, probabilityAlive, conditionalExpectedPurchases } from './predict';
export { fitGammaGamma, gammaGammaLogLikelihood, gammaGammaLogLikelihoodOne, conditionalExpectedSpend, GAMMA_GAMMA_DEFAULTS } from './gammagamma';
export type { GammaGammaParams, GammaGammaFit, GammaGammaOptions, SpendInput } from './gammagamma';
export { customerValue, valueByGroup, CLV_DEFAULTS, MONTH_DAYS } from './value';
export type { ClvOptions } from './value';
export { validateHoldout } from './validate';
export type { HoldoutValidation, HoldoutOptions } from './validate';
export { simulateCustomers } from './simulate';
export type { SimulatedCustomers } from './simulate';
export type { HistoryArrays, HistoryInput } from './data';
export { nelderMead } from './optimize';
export type { MinimizeOptions, MinimizeResult } from './optimize';
