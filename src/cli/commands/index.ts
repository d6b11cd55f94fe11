/** Every CLI command, one module each. Each exports `register(program)`. */
export { register as registerRun } from './run';
export { register as registerInspect } from './inspect';
export { register as registerRfm } from './rfm';
export { register as registerEda } from './eda';
export { register as registerAssign } from './assign';
export { register as registerReport } from './report';
export { register as registerGenerate } from './generate';
export { register as registerLoad } from './load';
export { register as registerClv } from './clv';
export { register as registerMigrate } from './migrate';
