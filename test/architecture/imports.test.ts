/**
 * Imports flow one way (CONTRIBUTING, rule 2): every import between stages of src/ must be an edge of the
 * table below, and the table has no cycle, so a cycle between stages fails here before it ships. And only
 * io/, report/, notebook/, cli/ and threads/ touch files, subprocesses, threads or the environment (rule 3).
 *
 * A new stage, or a new dependency between stages, is one line in ALLOWED: the review of that line is
 * the review of the layering. Type-only imports count too (a type from a stage above is an upward edge).
 */
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './sources';

/**
 * Modules below every stage: any stage may import them. Each lists the neutral modules it may import.
 * (data/ is src/data/*.json; palette: segment order, colours, shapes; options: defaults and option checkers; error-codes and messages: the catalogue and message builders.)
 */
const NEUTRAL: Record<string, string[]> = {
  errors: [],
  random: [],
  version: [],
  data: [],
  palette: [],
  types: ['errors'],
  'error-codes': ['errors'],
  options: ['errors'],
  messages: ['errors', 'error-codes'],
};

/** Stage → the stages it may import (besides the neutral modules), lowest stages first. */
export const ALLOWED: Record<string, string[]> = {
  threads: [], // the worker pool and the task registry stages fill
  io: [],
  clean: [],
  rfm: [],
  features: [],
  cluster: ['features', 'threads'],
  'select-k': ['cluster', 'threads'],
  profile: ['io', 'rfm', 'features'],
  charts: ['profile'],
  eda: ['io', 'clean', 'charts'],
  clv: ['rfm', 'charts'],
  generate: ['io'],
  source: ['io', 'clean', 'eda', 'rfm', 'profile'],
  migrate: ['io', 'clean', 'rfm', 'features', 'profile', 'charts', 'source'],
  pipeline: ['io', 'source', 'clean', 'eda', 'rfm', 'features', 'select-k', 'cluster', 'profile', 'migrate', 'clv'],
  report: ['io', 'rfm', 'profile', 'charts', 'migrate', 'clv', 'pipeline'],
  notebook: ['io', 'source', 'eda', 'rfm', 'select-k', 'profile', 'charts', 'pipeline', 'report'],
  cli: ['io', 'source', 'clean', 'eda', 'rfm', 'select-k', 'profile', 'charts', 'migrate', 'clv', 'generate', 'pipeline', 'report', 'notebook'],
  // the package's front door exports every stage
  index: ['io', 'source', 'clean', 'eda', 'rfm', 'features', 'select-k', 'cluster', 'profile', 'charts', 'migrate', 'clv', 'pipeline', 'report', 'notebook'],
};

/** Node modules that reach files, subprocesses or threads, and the browser. */
const SIDE_EFFECT_MODULES = /^(node:)?(fs|fs\/promises|child_process|worker_threads)$|^puppeteer(-core)?$/;
/** The only stages that may import them or read process.env (rule 3). */
const EFFECT_STAGES = ['io', 'report', 'notebook', 'cli', 'threads'];
/**
 * Files outside those stages that still do, each to move in a later change (they are in other people's
 * work right now). The test fails when one no longer needs its line, so the list only shrinks.
 */
const KNOWN_EFFECTS: Record<string, string> = {
  'generate/write.ts': 'node:fs (writes the generated sample file; belongs in io/ or cli/)',
  'source/url.ts': 'process.env (the default env of parseSourceUrl: PGPASSWORD / CLICKHOUSE_PASSWORD; the CLI could pass it)',
};

const allowedFor = (stage: string): Set<string> => new Set([...(NEUTRAL[stage] ?? []), ...(ALLOWED[stage] ?? []), ...(stage in NEUTRAL ? [] : Object.keys(NEUTRAL))]);

/** The stages that sit on a cycle of the graph (each can reach itself), sorted; [] when it is acyclic. */
function onCycles(graph: Record<string, string[]>): string[] {
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(graph[from] ?? [])];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === to) return true;
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(...(graph[s] ?? []));
      }
    }
    return false;
  };
  return Object.keys(graph)
    .filter((s) => reaches(s, s))
    .sort();
}

describe('the stage import graph', () => {
  const files = sourceFiles();

  it('finds the files and their imports', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.find((f) => f.file === 'select-k/sweep.ts')?.imports.some((i) => i.stage === 'cluster')).toBe(true);
  });

  it('places every file of src/ in a stage of the table', () => {
    const unknown = [...new Set(files.map((f) => f.stage))].filter((s) => !(s in ALLOWED) && !(s in NEUTRAL));
    expect(unknown, 'add the new stage to ALLOWED (or NEUTRAL) in test/architecture/imports.test.ts').toEqual([]);
  });

  it('has no cycle in the table of allowed edges', () => {
    const graph = Object.fromEntries([...Object.keys(NEUTRAL), ...Object.keys(ALLOWED)].map((s) => [s, [...allowedFor(s)]]));
    expect(onCycles(graph)).toEqual([]);
  });

  it('lets every stage import only the stages the table allows', () => {
    const bad = files.flatMap((f) =>
      f.imports
        .filter((i) => i.stage !== null && i.stage !== f.stage && !allowedFor(f.stage).has(i.stage))
        .map((i) => `src/${f.file}:${i.line} (${f.stage}) imports ${i.typeOnly ? 'a type from ' : ''}${i.spec} (${i.stage})`),
    );
    expect(bad).toEqual([]);
  });

  it('would catch a cycle: a table with an edge back fails', () => {
    const graph = { ...ALLOWED, cluster: [...ALLOWED.cluster, 'select-k'] };
    expect(onCycles(graph)).toEqual(['cluster', 'select-k']);
  });
});

describe('rule 3: only io/, report/, notebook/, cli/ and threads/ touch files, subprocesses, threads or the environment', () => {
  const files = sourceFiles();
  const effects = (f: (typeof files)[number]): string[] => [
    ...f.imports.filter((i) => SIDE_EFFECT_MODULES.test(i.spec)).map((i) => `${i.spec} (line ${i.line})`),
    ...f.processEnv.map((line) => `process.env (line ${line})`),
  ];

  it('finds no file system, subprocess, thread or environment access elsewhere', () => {
    const bad = files.filter((f) => !EFFECT_STAGES.includes(f.stage) && !(f.file in KNOWN_EFFECTS)).flatMap((f) => effects(f).map((e) => `src/${f.file}: ${e}`));
    expect(bad).toEqual([]);
  });

  it('keeps the list of known exceptions true (remove a line once its file is fixed)', () => {
    const stale = Object.keys(KNOWN_EFFECTS).filter((file) => {
      const f = files.find((x) => x.file === file);
      return !f || effects(f).length === 0;
    });
    expect(stale).toEqual([]);
  });

  it('sees the accesses it guards against (the worker pool, the PDF writer)', () => {
    const of = (file: string): string[] => effects(files.find((f) => f.file === file)!);
    expect(of('threads/pool.ts').join()).toMatch(/worker_threads.*process\.env/);
    expect(of('report/pdf.ts').join()).toMatch(/puppeteer/);
  });
});
