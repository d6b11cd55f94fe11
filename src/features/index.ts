export { buildFeatures, transformTable, FEATURE_DEFAULTS } from './build';
export type { FeatureOptions, Scaling } from './build';
export { applyTransform, inverseTransform, loggedColumns } from './transform';
