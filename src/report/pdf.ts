/**
 * HTML → PDF with Puppeteer and Debian's Chromium (never a downloaded browser), offline:
 * every network request is aborted, and the page must render without one.
 */
import { existsSync } from 'node:fs';
import { SegkitError } from '../errors';

export interface PdfOptions {
  /** 'A4' (default) or 'Letter'. */
  format?: 'A4' | 'Letter';
  /** Running header text (default: the document title). */
  title?: string;
  author?: string;
  /** Chromium binary (default: $PUPPETEER_EXECUTABLE_PATH or /usr/bin/chromium). */
  executablePath?: string;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
];

export function chromiumPath(explicit?: string): string {
  const p = explicit ?? process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new SegkitError('report', 'chromium_missing', `Chromium not found at ${p}`, {
      hint: 'run `make setup` (installs Debian\'s chromium) or set PUPPETEER_EXECUTABLE_PATH',
    });
  }
  return p;
}

/** A CSS string literal for any text (quotes, backslashes and line breaks escaped). */
export const cssString = (s: string): string => `"${s.replace(/[\\"\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;

/**
 * The running header (the title, top right) and footer ("segkit", "page n of N") of every page but the
 * cover: CSS page-margin boxes, which `@page :first` switches off on the first page.
 */
export function runningHeadCss(title: string): string {
  const box = "font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 7.5pt; color: #666;";
  return [
    '@page {',
    `  @top-right { content: ${cssString(title)}; ${box} }`,
    `  @bottom-left { content: "segkit"; ${box} }`,
    `  @bottom-right { content: "page " counter(page) " of " counter(pages); ${box} }`,
    '}',
    '@page :first { @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }',
  ].join('\n');
}

/**
 * Render HTML to PDF bytes.
 * @throws SegkitError `report/chromium_missing`, `report/network_request`.
 */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  // Loaded lazily: puppeteer is heavy and only the PDF step needs it.
  const puppeteer = (await import('puppeteer')).default;
  const browser = await puppeteer.launch({ executablePath: chromiumPath(options.executablePath), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setRequestInterception(true);
    const blocked: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('data:') || url === 'about:blank') void req.continue();
      else {
        blocked.push(url);
        void req.abort();
      }
    });
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMediaType('print');
    // Running header and footer as CSS page-margin boxes (Chromium >= 131), not Puppeteer's
    // header/footer templates: a template is drawn on every page, the cover included, while
    // `@page :first` can leave the cover bare. The cover still counts as page 1, so the printed page
    // numbers match the PDF viewer's.
    await page.addStyleTag({ content: runningHeadCss(options.title ?? (await page.title())) });
    const pdf = await page.pdf({
      format: options.format ?? 'A4',
      printBackground: true,
      displayHeaderFooter: false,
      margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
      tagged: true,
      outline: true,
    });
    if (blocked.length) {
      throw new SegkitError('report', 'network_request', `the report tried to load ${blocked.length} external resource(s), e.g. ${blocked[0]}`, {
        hint: 'reports must be self-contained: inline every image, font and style',
      });
    }
    return pdf;
  } finally {
    await browser.close();
  }
}
