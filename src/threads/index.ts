/** Worker threads: the pool (the only place that starts threads or reads SEGKIT_THREADS) and the task registry stages fill. */
export { openPool, defaultThreads, dispatch, share, sharedFloat64 } from './pool';
export type { Pool } from './pool';
export { defineTask } from './registry';
export type { Task, TaskMessage, TaskRun } from './registry';
