/** Every CLI command, one module each. Each exports `register(program)`. */
export { register as registerReport } from './report';
