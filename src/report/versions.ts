/** Versions of segkit and the components that shape its numbers and output (for the report's appendix). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

let chromium: string | undefined;

/** The version of the Chromium that renders the PDF (asked once per process), or "not found". */
export function chromiumVersion(): string {
  if (chromium === undefined) {
    const bin = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
    chromium = 'not found';
    if (existsSync(bin)) {
      try {
        const out = execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
        chromium = /(\d+\.\d+\.\d+\.\d+)/.exec(out)?.[1] ?? 'unknown';
      } catch {
        chromium = 'unknown';
      }
    }
  }
  return chromium;
}

export function componentVersions(extra: Record<string, string> = {}): Array<{ name: string; version: string }> {
  return [
    { name: 'segkit', version: VERSION },
    ...COMPONENTS.map((name) => ({ name, version: versionOf(name) })),
    { name: 'node', version: process.versions.node },
    { name: 'chromium (PDF)', version: chromiumVersion() },
    ...Object.entries(extra).map(([name, version]) => ({ name, version })),
  ];
}
