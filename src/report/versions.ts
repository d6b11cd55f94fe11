/** Versions of segkit and the components that shape its numbers and output (for the report's appendix). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../version';

const COMPONENTS = ['nodejs-polars', 'ml-kmeans', 'vega', 'vega-lite', 'handlebars', 'puppeteer'];

function versionOf(name: string): string {
  try {
    const main = require.resolve(name);
    let dir = path.dirname(main);
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name && pkg.version) return pkg.version;
      } catch {
        /* keep walking up */
      }
      dir = path.dirname(dir);
    }
  } catch {
    /* not installed */
  }
  return 'unknown';
}

export function componentVersions(extra: Record<string, string> = {}): Array<{ name: string; version: string }> {
  return [
    { name: 'segkit', version: VERSION },
    ...COMPONENTS.map((name) => ({ name, version: versionOf(name) })),
    { name: 'node', version: process.versions.node },
    ...Object.entries(extra).map(([name, version]) => ({ name, version })),
  ];
}
