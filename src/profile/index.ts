/**
 * Profiles, names and actions of segments; saved models; scoring new customers; customer look-up.
 *
 *   profileSegments(rfm, model, { features, transactions }) ─► SegmentProfile[]  (cards: size, revenue, R/F/M, mix, products, name, actions)
 *   createModel({ rfm, features, kmeans, profiles }) ─► saveModel(model, file) / loadModel(file) ─► assignSegments(model, customers)
 *   customerDetails(rfm, id, { model, profiles, transactions }) ─► CustomerDetails
 */
export { profileSegments, profilesTable, segmentCrossTab, segmentsOf, PROFILE_DEFAULTS } from './profile';
export type { SegmentProfile, SegmentMixRow, ProfileOptions, ProfileInput, ProfileResult, CrossTabRow } from './profile';
export { describeClusters, baselineOf, levelOf, DIMENSIONS, DIMENSION_COLUMNS } from './describe';
export type { Level, Dimension, Baseline, ClusterDescription } from './describe';
export { nameClusters, ruleAt, segmentRuleHolds, profileName } from './names';
export type { NameChoice, NameBasis, NamingInput, NamingOptions } from './names';
export { actionsFor, parseActionTable, DEFAULT_ACTIONS } from './actions';
export type { ActionTable, SegmentActions } from './actions';
export { createModel, saveModel, loadModel, parseModel, modelSource, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './model';
export type { SegmentModel, ModelCluster, ModelParts, ModelSource } from './model';
export { assignSegments, assignmentsTable, scoreValue } from './assign';
export type { NewCustomer, Assignment } from './assign';
export { customerDetails } from './lookup';
export type { CustomerDetails, LookupOptions } from './lookup';
export { withClusters, clustersOfRows } from './align';
export { fitPca, project, jacobiEigen } from './pca';
export type { Pca } from './pca';
export { summarize } from './stats';
export type { Summary } from './stats';
export type { ProductRow, CountryRow, TimelineRow } from './transactions';
