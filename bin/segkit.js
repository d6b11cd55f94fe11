#!/usr/bin/env node
'use strict';
// The segkit command line. The code lives in dist/ (built from src/ by `npm run build`).
let main;
try {
  ({ main } = require('../dist/cli/main.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/main')) {
    process.stderr.write('segkit: the build is missing (dist/). Run `make setup` or `npm run build` first.\n');
    process.exit(2);
  }
  throw e;
}
main(process.argv).then(
  (code) => process.exit(code ?? 0),
  (e) => {
    process.stderr.write(`segkit: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  },
);
