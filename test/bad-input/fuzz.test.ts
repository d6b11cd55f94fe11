/**
 * Fuzzing the reader (issue #19): a few thousand small files made by mutating valid transactions files
 * (CSV, semicolon CSV with decimal commas, TSV, headerless with --columns, JSON, NDJSON, gzip), each read
 * in-process with readTransactions. Every outcome must be a TransactionTable that keeps the reader's
 * promises (every row dated, numbers finite or missing, rowsRead = rows) or a SegkitError with a message;
 * never another exception, panic text or a call that takes seconds.
 *
 * readTransactions has a fixed cost of about 250 ms of CPU per call, even for a file of five lines (most
 * of it garbage collection of nodejs-polars expression objects), so a minute of it reads a few hundred
 * files. A second part sends a few thousand more mutated files through the reader's own JavaScript layer
 * (inspectFile, readHead, checkText, splitRecords, the delimiter, header, column and date-layout guesses),
 * where most hostile bytes are met first, with the same rule: a result or a SegkitError.
 *
 * Seeded (src/random.ts): SEGKIT_FUZZ_SEED picks another run, SEGKIT_FUZZ_SECONDS / SEGKIT_FUZZ_FILES
 * its size. A failure prints the seed, the iteration and the file's bytes so it can be replayed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isSegkitError, setWarningSink } from '../../src/errors';
import { guessDateLayout } from '../../src/io/dates';
import { checkText, guessDelimiter, guessHeader, inspectFile, readHead, splitAny, splitRecords } from '../../src/io/detect';
import { resolveMapping } from '../../src/io/mapping';
import { readTransactions, type ReadOptions } from '../../src/io/read';
import { mulberry32, randInt } from '../../src/random';
import { goodCsv } from './fixtures';

const SEED = Number(process.env.SEGKIT_FUZZ_SEED ?? 19);
const SECONDS = Number(process.env.SEGKIT_FUZZ_SECONDS ?? 60);
/** Files sent through the JavaScript layer only (sniffing, checks, guesses). */
const SNIFF_FILES = Number(process.env.SEGKIT_FUZZ_SNIFF_FILES ?? 8000);
const MAX_FILES = Number(process.env.SEGKIT_FUZZ_FILES ?? 3000);
/** Fewest files a run must get through (a loaded shared machine reads a few per second, an idle one dozens). */
const MIN_FILES = Number(process.env.SEGKIT_FUZZ_MIN_FILES ?? 150);
/** A single read of a file of a few hundred bytes taking longer than this counts as a hang (generous: the machine is shared). */
const SLOW_MS = 20_000;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Seed {
  name: string;
  ext: string;
  text: string;
  options?: ReadOptions;
}

const CSV = goodCsv(5);
const LINES = CSV.trimEnd().split('\n');
const records = LINES.slice(1).map((l) => {
  const [customer_id, invoice, date, quantity, price, product, description, country] = l.split(',');
  return { customer_id, invoice, date, quantity: Number(quantity), price: Number(price), product, description, country };
});
const SEEDS: Seed[] = [
  { name: 'csv', ext: '.csv', text: CSV },
  { name: 'semicolon', ext: '.csv', text: LINES.map((l) => l.split(',').map((v) => v.replace(/^(\d+)\.(\d+)$/, '$1,$2')).join(';')).join('\n') + '\n' },
  { name: 'tsv', ext: '.tsv', text: CSV.replace(/,/g, '\t') },
  { name: 'headerless', ext: '.csv', text: LINES.slice(1).join('\n') + '\n', options: { columns: ['customer', 'invoice', 'date', 'quantity', 'unitPrice', 'product', 'description', 'country'] } },
  { name: 'slash-dates', ext: '.csv', text: LINES.map((l, i) => (i === 0 ? l : l.replace(/(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d):00/, '$3/$2/$1 $4'))).join('\n') + '\n', options: { dateFormat: 'DD/MM/YYYY' } },
  { name: 'quoted', ext: '.csv', text: LINES.map((l) => l.split(',').map((v) => `"${v}"`).join(',')).join('\r\n') + '\r\n' },
  { name: 'json', ext: '.json', text: JSON.stringify(records) },
  { name: 'ndjson', ext: '.ndjson', text: records.map((r) => JSON.stringify(r)).join('\n') + '\n' },
];

/** Texts that tend to break readers. */
const TOKENS = ['"', '""', ',', ';', '\t', '\n', '\r', '\r\n', '\u0000', '\uFEFF', '\\', '1e308', '-1e308', '1e400', 'NaN', 'inf', '-0', '0x1F', '2011-02-30', '2011-13-01', '2099-01-01', '1850-01-01', '9999-12-31 23:59:59', '00:00', '=1+2', '@SUM(A1)', '<script>', 'null', 'NULL', '', ' ', '  ', '{', '}', '[', ']', '":', 'é', '\u00e9'.normalize('NFD'), '😀', '\u202E', '\u001b[2J', 'x'.repeat(300), '9'.repeat(40), '.', '-', '+', 'customer_id', 'date', 'quantity'];

type Mutation = (b: Buffer, rand: () => number) => Buffer;
const pos = (b: Buffer, rand: () => number): number => randInt(rand, b.length + 1);
const MUTATIONS: Array<[string, Mutation]> = [
  ['flip byte', (b, rand) => { const c = Buffer.from(b); if (c.length) c[randInt(rand, c.length)] ^= 1 << randInt(rand, 8); return c; }],
  ['random byte', (b, rand) => { const c = Buffer.from(b); if (c.length) c[randInt(rand, c.length)] = randInt(rand, 256); return c; }],
  ['insert token', (b, rand) => { const at = pos(b, rand); return Buffer.concat([b.subarray(0, at), Buffer.from(TOKENS[randInt(rand, TOKENS.length)]), b.subarray(at)]); }],
  ['replace field', (b, rand) => {
    const s = b.toString('utf8');
    const cuts = [...s.matchAll(/[,;\t\n]/g)].map((m) => m.index!);
    if (cuts.length < 2) return b;
    const i = randInt(rand, cuts.length - 1);
    return Buffer.from(s.slice(0, cuts[i] + 1) + TOKENS[randInt(rand, TOKENS.length)] + s.slice(cuts[i + 1]));
  }],
  ['delete range', (b, rand) => { const at = pos(b, rand); return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + randInt(rand, 40)))]); }],
  ['duplicate range', (b, rand) => { const at = pos(b, rand); const n = 1 + randInt(rand, 60); return Buffer.concat([b.subarray(0, at + n), b.subarray(at, at + n), b.subarray(at + n)]); }],
  ['truncate', (b, rand) => b.subarray(0, pos(b, rand))],
  ['swap lines', (b, rand) => {
    const ls = b.toString('utf8').split('\n');
    const i = randInt(rand, ls.length);
    const j = randInt(rand, ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return Buffer.from(ls.join('\n'));
  }],
  ['drop line', (b, rand) => { const ls = b.toString('utf8').split('\n'); ls.splice(randInt(rand, ls.length), 1); return Buffer.from(ls.join('\n')); }],
  ['random garbage', (b, rand) => { const at = pos(b, rand); const g = Buffer.alloc(1 + randInt(rand, 30)); for (let i = 0; i < g.length; i++) g[i] = randInt(rand, 256); return Buffer.concat([b.subarray(0, at), g, b.subarray(at)]); }],
  ['utf-16', (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')])],
  ['latin-1', (b) => Buffer.from(b.toString('utf8').replace(/Mug/g, 'Caf\u00e9'), 'latin1')],
  ['long line', (b, rand) => { const at = pos(b, rand); return Buffer.concat([b.subarray(0, at), Buffer.alloc(2000 + randInt(rand, 70000), 'a'), b.subarray(at)]); }],
];


/** One mutated file from the seeds: 1-3 mutations, sometimes gzipped (sometimes a cut gzip). */
function mutated(rand: () => number, n: number): { seed: Seed; file: string; bytes: Buffer; applied: string[]; gz: boolean } {
  const seed = SEEDS[randInt(rand, SEEDS.length)];
  let bytes = Buffer.from(seed.text);
  const applied: string[] = [];
  const rounds = 1 + randInt(rand, 3);
  for (let r = 0; r < rounds; r++) {
    const [name, m] = MUTATIONS[randInt(rand, MUTATIONS.length)];
    bytes = m(bytes, rand);
    applied.push(name);
  }
  const gz = rand() < 0.08;
  const file = path.join(tmp, `f${n}${seed.ext}${gz ? '.gz' : ''}`);
  writeFileSync(file, gz ? (rand() < 0.3 ? gzipSync(bytes).subarray(0, randInt(rand, 200)) : gzipSync(bytes)) : bytes);
  return { seed, file, bytes, applied, gz };
}

/** The reader's JavaScript layer on one file: sniff, check, split, guess the delimiter, header, columns and date layout. */
async function sniffOne(file: string): Promise<Outcome> {
  try {
    const info = await inspectFile(file);
    if (info.format !== 'csv') return { kind: 'table', detail: info.format };
    const head = await readHead(info);
    checkText(head.text, file);
    const recs = splitRecords(head.text, head.complete).filter((r, i) => i === 0 || r.text.trim() !== '');
    if (!recs.length) return { kind: 'table', detail: 'blank' };
    const d = guessDelimiter(recs.slice(0, 200).map((r) => r.text));
    const first = splitAny(recs[0].text, d);
    const header = guessHeader(first);
    const names = header ? first.map((x) => x.trim()) : first.map((_, i) => `column_${i + 1}`);
    const { mapping } = resolveMapping(names, {}, undefined, file);
    const di = names.indexOf(mapping.date!);
    guessDateLayout(recs.slice(header ? 1 : 0, 200).map((r) => splitAny(r.text, d)[di]).filter((v): v is string => typeof v === 'string'));
    return { kind: 'table', detail: d };
  } catch (e) {
    if (isSegkitError(e) && (e as Error).message.trim() !== '') return { kind: 'segkit-error', detail: (e as { code: string }).code };
    return { kind: 'other-error', detail: `${(e as Error)?.name ?? typeof e}: ${((e as Error)?.message ?? String(e)).slice(0, 300)}` };
  }
}

interface Outcome {
  kind: 'table' | 'segkit-error' | 'other-error' | 'bad-table' | 'slow';
  detail: string;
}

async function readOne(file: string, options: ReadOptions): Promise<Outcome> {
  const t0 = Date.now();
  let out: Outcome;
  try {
    const t = await readTransactions(file, { hash: false, ...options });
    const df = t.df;
    const bad: string[] = [];
    if (df.height !== t.source.rowsRead) bad.push(`rowsRead ${t.source.rowsRead} but ${df.height} rows`);
    if (df.height === 0) bad.push('an empty table instead of an empty_file error');
    if (df.getColumn('date').nullCount() > 0) bad.push('rows without a date');
    for (const c of ['quantity', 'unit_price']) {
      const v = df.getColumn(c).toArray() as Array<number | null>;
      if (v.some((x) => x !== null && !Number.isFinite(x))) bad.push(`${c} holds NaN or infinity`);
    }
    out = bad.length ? { kind: 'bad-table', detail: bad.join('; ') } : { kind: 'table', detail: `${df.height} rows` };
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    if (isSegkitError(e) && msg.trim() !== '' && !/panicked|RUST_BACKTRACE|stack backtrace/.test(msg) && (e.where ?? '') !== '') out = { kind: 'segkit-error', detail: `${e.code}: ${msg.slice(0, 120)}` };
    else if (isSegkitError(e)) out = { kind: 'other-error', detail: `SegkitError without a usable message or place: [${e.code}] ${msg.slice(0, 300)} (${e.where})` };
    else out = { kind: 'other-error', detail: `${(e as Error)?.name ?? typeof e}: ${msg.slice(0, 300)}` };
  }
  const ms = Date.now() - t0;
  return ms > SLOW_MS ? { kind: 'slow', detail: `${ms} ms (${out.detail})` } : out;
}

describe('fuzzing the reader', () => {
  it(`readTransactions: mutated small files give a table or a SegkitError (seed ${SEED}, up to ${MAX_FILES} files or ${SECONDS} s)`, async () => {
    const prev = setWarningSink(() => undefined);
    const rand = mulberry32(SEED);
    const counts: Record<string, number> = {};
    const failures: string[] = [];
    const t0 = Date.now();
    let n = 0;
    try {
      while (n < MAX_FILES && Date.now() - t0 < SECONDS * 1000) {
        const { seed, file, bytes, applied, gz } = mutated(rand, n);
        const o = await readOne(file, seed.options ?? {});
        counts[o.kind] = (counts[o.kind] ?? 0) + 1;
        if (o.kind !== 'table' && o.kind !== 'segkit-error' && failures.length < 15) {
          failures.push(`#${n} (${seed.name}${gz ? ', gzip' : ''}; ${applied.join(' + ')}): ${o.kind}: ${o.detail}\n    bytes: ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}`);
        }
        rmSync(file, { force: true });
        n++;
      }
    } finally {
      setWarningSink(prev);
    }
    const secs = (Date.now() - t0) / 1000;
    console.log(`fuzz readTransactions, seed ${SEED}: ${n} files in ${secs.toFixed(1)} s (${(n / secs).toFixed(1)}/s): ${JSON.stringify(counts)}`);
    expect(n, 'files fuzzed').toBeGreaterThanOrEqual(Math.min(MAX_FILES, MIN_FILES));
    expect(counts.table ?? 0, 'some mutated files are still read').toBeGreaterThan(0);
    expect(counts['segkit-error'] ?? 0, 'some mutated files are refused').toBeGreaterThan(0);
    expect(failures, `seed ${SEED}`).toEqual([]);
  }, 300_000);

  it(`the reader's JavaScript layer: ${SNIFF_FILES} mutated files give a result or a SegkitError (seed ${SEED})`, async () => {
    const rand = mulberry32(SEED + 1);
    const counts: Record<string, number> = {};
    const failures: string[] = [];
    const t0 = Date.now();
    let n = 0;
    for (; n < SNIFF_FILES && Date.now() - t0 < SECONDS * 1000; n++) {
      const { seed, file, bytes, applied, gz } = mutated(rand, n);
      const o = await sniffOne(file);
      counts[o.kind] = (counts[o.kind] ?? 0) + 1;
      if (o.kind === 'other-error' && failures.length < 15) failures.push(`#${n} (${seed.name}${gz ? ', gzip' : ''}; ${applied.join(' + ')}): ${o.detail}\n    bytes: ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}`);
      rmSync(file, { force: true });
    }
    const secs = (Date.now() - t0) / 1000;
    console.log(`fuzz sniffing, seed ${SEED}: ${n} files in ${secs.toFixed(1)} s (${(n / secs).toFixed(0)}/s): ${JSON.stringify(counts)}`);
    expect(n, 'files fuzzed').toBeGreaterThanOrEqual(Math.min(SNIFF_FILES, 1000));
    expect(failures, `seed ${SEED}`).toEqual([]);
  }, 300_000);
});
