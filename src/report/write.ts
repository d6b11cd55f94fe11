/**
 * Write the report files atomically: `<outDir>/<name>.html` and `<outDir>/<name>.pdf`.
 * Both are rendered in memory first and moved into place only when complete, so a failure never
 * leaves a half-written report (and an older report of the same name is left as it was).
 */
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { SegkitError } from '../errors';
import { VERSION } from '../version';
import type { ReportContext } from './context';
import { renderHtml } from './html';
import { htmlToPdf } from './pdf';
import { setPdfInfo } from './pdf-meta';

export type ReportFormat = 'html' | 'pdf';

export interface WriteReportOptions {
  outDir: string;
  /** Base file name without extension (default "segmentation"). */
  name?: string;
  /** Default ['html', 'pdf']. */
  formats?: ReportFormat[];
  /** PDF paper size (default A4). */
  pageSize?: 'A4' | 'Letter';
  templatesDir?: string;
  /** Called before each long step. */
  onProgress?: (step: string) => void;
}

export interface ReportFiles {
  html?: string;
  pdf?: string;
  /** Wall time per step in ms. */
  timings: Record<string, number>;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * @throws SegkitError `report/bad_name`, `report/template_missing`, `report/chromium_missing`, `report/network_request` (the page would load a URL), `report/pdf_structure`, `io/write_failed`, `io/bad_output_path`, `io/output_is_input`.
 */
export async function writeReport(context: ReportContext, options: WriteReportOptions): Promise<ReportFiles> {
  const name = options.name ?? 'segmentation';
  if (!NAME_RE.test(name)) {
    throw new SegkitError('report', 'bad_name', `report name "${name}" is not a plain file name`, {
      where: 'option name',
      hint: 'use letters, digits, ".", "_" and "-" only, e.g. "segmentation-2011-12"',
    });
  }
  const formats = options.formats ?? ['html', 'pdf'];
  const progress = options.onProgress ?? (() => undefined);
  const timings: Record<string, number> = {};
  const files: ReportFiles = { timings };

  let t = performance.now();
  progress('rendering HTML');
  const html = renderHtml(context, { templatesDir: options.templatesDir });
  timings.html = performance.now() - t;

  let pdf: Uint8Array | undefined;
  if (formats.includes('pdf')) {
    t = performance.now();
    progress('rendering PDF with Chromium');
    const raw = await htmlToPdf(html, { format: options.pageSize ?? 'A4', title: context.meta.title, author: context.meta.author });
    pdf = setPdfInfo(raw, {
      title: context.meta.title,
      author: context.meta.author ?? '',
      subject: `Customer segmentation of ${context.meta.dataset} as of ${context.meta.asOf}`,
      keywords: 'segmentation, RFM, k-means',
      creator: `segkit ${VERSION}`,
    });
    timings.pdf = performance.now() - t;
  }
  // Both rendered: now move them into place.
  if (formats.includes('html')) {
    files.html = path.join(options.outDir, `${name}.html`);
    await writeFileAtomic(files.html, html);
  }
  if (pdf) {
    files.pdf = path.join(options.outDir, `${name}.pdf`);
    await writeFileAtomic(files.pdf, pdf);
  }
  return files;
}
