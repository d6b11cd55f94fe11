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

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Render HTML to PDF bytes. */
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
    const title = escapeHtml(options.title ?? (await page.title()));
    const style = 'font-family: DejaVu Sans, Arial, sans-serif; font-size: 7.5pt; color: #666; width: 100%; padding: 0 16mm;';
    const pdf = await page.pdf({
      format: options.format ?? 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
      headerTemplate: `<div style="${style} text-align: right;">${title}</div>`,
      footerTemplate: `<div style="${style} display: flex; justify-content: space-between;"><span>segkit</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
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
