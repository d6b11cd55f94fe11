export { fitKMeans, assignClusters, checkK, kmeansCore, KMEANS_DEFAULTS } from './kmeans';
export type { KMeansOptions } from './kmeans';
export { orderClusters } from './order';
export type { OrderBy, ClusterSummary } from './order';
export { kmeansPlusPlus, lloyd } from './lloyd';
export { toDense } from './matrix';
export type { Dense, Points } from './matrix';
