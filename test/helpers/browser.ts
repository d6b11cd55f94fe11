/** Open HTML in real headless Chromium with every network request blocked, and report what happened. */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/report/pdf';

export interface OfflinePage {
  page: Page;
  browser: Browser;
  /** URLs the page tried to load (all blocked). */
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openOffline(html: string): Promise<OfflinePage> {
  const browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    const url = req.url();
    if (url === 'about:blank' || url.startsWith('data:')) void req.continue();
    else {
      requests.push(url);
      void req.abort();
    }
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.setContent(html, { waitUntil: 'load' });
  return { page, browser, requests, consoleErrors, pageErrors, close: () => browser.close() };
}
