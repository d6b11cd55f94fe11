/** Every CLI command, one module each. Each exports `register(program)`. */
export { register as registerRun } from './run';
export { register as registerInspect } from './inspect';
