/**
 * The appendix (templates/partials/appendix.hbs): the input and its checksum, every parameter, component
 * versions, run time, the charts drawn from samples (`sampling`, from the sections that drew them) and
 * every warning of the run.
 */
import { ANALYZE_DEFAULTS } from '../../pipeline';
import type { ReportContext } from '../context';
import { componentVersions } from '../versions';
import type { SectionInput } from './common';

/** Nested options as `a.b.c = value` rows (functions and undefined left out). */
function flatten(prefix: string, v: unknown, out: Array<{ name: string; value: string }>): void {
  if (v === undefined || typeof v === 'function') return;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else out.push({ name: prefix, value: JSON.stringify(v) });
}

function parameters({ a, options, seed }: SectionInput): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  flatten('', { k: a.options.k ?? 'auto', kUsed: a.k, seed, nInit: a.options.nInit ?? ANALYZE_DEFAULTS.nInit, asOf: a.rfm.asOf, bins: a.rfm.bins, method: a.rfm.method }, out);
  const { onProgress: _progress, ...rest } = a.options;
  flatten('options', rest, out);
  if (options.parameters) flatten('notebook', options.parameters, out);
  return out;
}

/** The input line: a file with its sha256, or a database table with its server (and shards). */
function input({ a }: SectionInput): ReportContext['appendix']['input'] {
  const src = a.source;
  const server = src.server;
  return {
    kind: src.kind === 'file' ? 'File' : src.kind === 'postgres' ? 'PostgreSQL table' : 'ClickHouse table',
    path: src.label,
    sha256: src.kind === 'file' ? (src.file?.sha256 ?? 'not computed') : null,
    server: server
      ? `${src.kind === 'postgres' ? 'PostgreSQL' : 'ClickHouse'} ${server.version}${server.cluster ? `; Distributed table over ${server.shards} shards (cluster ${server.cluster}, local table ${server.localTable})${server.keptOn ? `; cleaned rows kept on ${server.keptOn === 'shards' ? 'each shard' : 'the node asked'}` : ''}` : ''}`
      : null,
    rows: src.rowsRead,
  };
}

export function appendixSection(s: SectionInput, sampling: string[]): ReportContext['appendix'] {
  const { a } = s;
  const totalMs = Object.values(a.timings).reduce((t, v) => t + v, 0);
  return {
    input: input(s),
    parameters: parameters(s),
    versions: componentVersions(),
    runTime: `${(totalMs / 1000).toFixed(1)} s of analysis (${Object.entries(a.timings)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(', ')})`,
    sampling,
    warnings: a.warnings.map((w) => `[${w.stage}] ${w.message}`),
  };
}
