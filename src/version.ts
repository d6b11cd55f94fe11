/** segkit's version, read from package.json at run time so it never drifts. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file beside the build, read at run time
export const VERSION: string = require('../package.json').version;
