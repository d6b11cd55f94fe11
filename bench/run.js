#!/usr/bin/env node
'use strict';
/**
 * `make bench`: run every benchmark in bench/ one after another (each writes bench/results/*.json and
 * prints a table). They take minutes and need Debian's python3-pandas / python3-sklearn / r-cran-cluster
 * for the side-by-side baselines (installed here if missing; they are never needed by the tests).
 *
 *   node bench/run.js [--quick]     # --quick: 1M rows / 50k customers only
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const quick = process.argv.includes('--quick');
const here = __dirname;
const run = (script, args) => {
  process.stderr.write(`\n=== ${script} ${args.join(' ')}\n`);
  execFileSync(process.execPath, [path.join(here, script), ...args], { stdio: 'inherit' });
};
const apt = ['python3-pandas', 'python3-sklearn', 'r-cran-cluster'];
try {
  execFileSync('dpkg-query', ['-W', ...apt], { stdio: 'ignore' });
} catch {
  process.stderr.write(`installing benchmark baselines: ${apt.join(' ')}\n`);
  execFileSync('bash', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${apt.join(' ')} >/dev/null`], { stdio: 'inherit' });
}
run('load-clean.js', quick ? ['--rows', '1000000'] : []);
run('rfm.js', quick ? ['--rows', '1e6', '--customers', '50000'] : []);
run('kmeans.js', quick ? ['--n', '50000'] : []);
for (const extra of ['gap.js', 'report.js']) {
  try {
    require.resolve(path.join(here, extra));
    run(extra, []);
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
  }
}
