/**
 * Render a report context to one self-contained HTML file: inline CSS and SVG, no script, no external
 * URL (a Content-Security-Policy forbids them), every data value escaped by Handlebars.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { SegkitError } from '../errors';
import { fmtFixed, fmtInt, fmtMoney, fmtNum, fmtPct } from './format';
import type { ReportContext } from './context';

/** templates/ at the package root (works from src/ under vitest and from dist/). */
export const TEMPLATES_DIR = path.resolve(__dirname, '..', '..', 'templates');

export interface RenderHtmlOptions {
  /** Folder with report.hbs, report.css and partials/ (default: the package's templates/). */
  templatesDir?: string;
}

function load(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SegkitError('report', 'template_missing', `cannot read report template ${file}`, {
      where: file,
      hint: 'pass templatesDir pointing at a folder with report.hbs, report.css and partials/',
      cause: e,
    });
  }
}

/** A Handlebars environment with segkit's formatting helpers and the partials of `dir`. */
export function templateEngine(dir: string, currency: string): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('int', (v: unknown) => fmtInt(v));
  hb.registerHelper('money', (v: unknown) => fmtMoney(v, currency));
  hb.registerHelper('pct', (v: unknown) => fmtPct(v));
  hb.registerHelper('num', (v: unknown) => fmtNum(v));
  hb.registerHelper('fixed', (v: unknown, d: unknown) => fmtFixed(v, typeof d === 'number' ? d : 2));
  const partials = path.join(dir, 'partials');
  for (const f of readdirSync(partials).filter((x) => x.endsWith('.hbs'))) {
    hb.registerPartial(path.basename(f, '.hbs'), load(path.join(partials, f)));
  }
  return hb;
}

/**
 * The report as one HTML string.
 * @throws SegkitError `report/template_missing`.
 */
export function renderHtml(context: ReportContext, options: RenderHtmlOptions = {}): string {
  const dir = options.templatesDir ?? TEMPLATES_DIR;
  const hb = templateEngine(dir, context.meta.currency);
  const template = hb.compile(load(path.join(dir, 'report.hbs')), { strict: false });
  const css = load(path.join(dir, 'report.css'));
  return template({ ...context, css });
}
