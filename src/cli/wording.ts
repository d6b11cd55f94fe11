/**
 * Library messages name options (`option bins`, `dateFormat: 'DD/MM/YYYY'`, `rules: { date_window: false }`);
 * on the command line the user typed flags, so the CLI rewrites errors and warnings to name the flag
 * (`--bins`, `--date-format DD/MM/YYYY`, `--skip-rule date_window`). One table, applied to the message,
 * `where` and `hint` of every SegkitError and to every warning the CLI prints.
 */
import type { Command } from 'commander';
import { SegkitError } from '../errors';
import { ROLE_FLAGS } from '../io/mapping';
import type { Role } from '../types';

/** Library option (as named in `where: 'option …'`) → CLI flag, where the names differ beyond camelCase → kebab-case. */
export const OPTION_FLAGS: Record<string, string> = {
  'dateWindow.from': '--date-from',
  'dateWindow.to': '--date-to',
  dateWindow: '--date-from / --date-to',
  'outlier.upper': '--exclude-outliers (q=…)',
  'outlier.k': '--exclude-outliers (k=…)',
  'outlier.by': '--exclude-outliers',
  outlier: '--exclude-outliers',
  'clean.rules.outlier': '--exclude-outliers',
  'rules/order': '--skip-rule',
  userK: '--k',
  k: '--k',
  'rfm.asOf': '--as-of',
  'rfm.bins': '--bins',
  'recommend.kMin': '--k-min',
  'recommend.kMax': '--k-max',
  'recommend.minSegmentShare': '--min-segment-share',
  'sweep.recommend.minSegmentShare': '--min-segment-share',
  pseudonymize: '--pseudonymize',
  formats: '--formats',
  columns: '--columns',
  header: '--header / --no-header',
  unitPrice: '--price-col',
  breaks: '--breaks',
  'breaks.recency': '--breaks (recency=…)',
  'breaks.frequency': '--breaks (frequency=…)',
  'breaks.monetary': '--breaks (monetary=…)',
};

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const quoteArg = (s: string): string => (/^[\w./:%-]+$/.test(s) ? s : JSON.stringify(s));

/** The flag for a library option name, if the command has one (or the table names one). */
export function flagFor(option: string, cmd?: Command): string | undefined {
  if (OPTION_FLAGS[option]) return OPTION_FLAGS[option];
  const last = option.split('.').pop()!;
  const candidate = `--${kebab(last)}`;
  const longs = cmd ? cmd.options.map((o) => o.long).filter((l): l is string => !!l) : [];
  return longs.includes(candidate) ? candidate : undefined;
}

/** Rewrite one text from option wording to flag wording. */
export function cliText(text: string, cmd?: Command): string {
  let t = text;
  // "dateFormat (CLI --date-format)" and the like: the library already named the flag
  t = t.replace(/\boption [a-zA-Z.]+ \(CLI (--[^)]+)\)/g, '$1');
  t = t.replace(/\b[a-zA-Z]+ \(CLI (--[^)]+)\)/g, '$1');
  t = t.replace(/\bcolumns: \{ ((?:\w+: '[^']*'(?:, )?)+) \}/g, (m, body: string) => {
    const pairs = [...body.matchAll(/(\w+): '([^']*)'/g)];
    if (!pairs.every((p) => ROLE_FLAGS[p[1] as Role])) return m;
    return pairs.map((p) => `${ROLE_FLAGS[p[1] as Role]} ${quoteArg(p[2])}`).join(' ');
  });
  t = t.replace(/\bdateFormat: '([^']*)'/g, (_, f: string) => `--date-format ${quoteArg(f)}`);
  t = t.replace(/\bdateFormat\b/g, '--date-format');
  t = t.replace(/\bdecimalComma: true\b/g, '--decimal-comma');
  t = t.replace(/\bdecimalComma: false\b/g, '--no-decimal-comma');
  t = t.replace(/\bdelimiter: '([^']*)'/g, (_, d: string) => `--delimiter ${quoteArg(d)}`);
  t = t.replace(/\bheader: false\b/g, '--no-header');
  t = t.replace(/\bformat: '(\w+)'/g, '--format $1');
  t = t.replace(/\bdateWindow: \{ from: '([^']*)', to: '([^']*)' \}/g, '--date-from $1 --date-to $2');
  // the date window is the flags' doing: on the CLI, widen them rather than "turn the rule off"
  t = t.replace(/(most went to "date_window".*?) or turn that rule off(?: with rules: \{ date_window: false \})?/g, '$1 or widen the window of --date-from / --date-to (or leave them out)');
  t = t.replace(/\b(?:cleanTransactions\(tx, )?\{ rules: \{ ([^}]*) \} \}\)?|\brules: \{ ([^}]*) \}/g, (m, a: string | undefined, b: string | undefined) => {
    const off = (a ?? b ?? '').split(',').map((s) => /^\s*(\w+): false\s*$/.exec(s)?.[1]).filter((x): x is string => !!x);
    return off.length ? `--skip-rule ${off.join(' ')}` : m;
  });
  t = t.replace(/\(option ([a-zA-Z.]+)\)/g, (m, o: string) => {
    const f = flagFor(o, cmd);
    return f ? `(${f})` : m;
  });
  t = t.replace(/\boption ([a-zA-Z][a-zA-Z.]*)/g, (m, o: string) => flagFor(o, cmd) ?? m);
  t = t.replace(/\bdateWindow\.(from|to)\b/g, '--date-$1');
  t = t.replace(/\basOf\b/g, '--as-of');
  return t;
}

/** A SegkitError reworded for the command line (same stage, code and cause). */
export function cliError(e: SegkitError, cmd?: Command): SegkitError {
  const message = cliText(e.message, cmd);
  const where = e.where === undefined ? undefined : cliText(e.where, cmd);
  const hint = e.hint === undefined ? undefined : cliText(e.hint, cmd);
  if (message === e.message && where === e.where && hint === e.hint) return e;
  const out = new SegkitError(e.stage, e.code, message, { where, hint, cause: e.cause });
  out.stack = e.stack;
  return out;
}
