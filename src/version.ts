/** segkit's version, read from package.json at run time so it never drifts. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const VERSION: string = require('../package.json').version;
