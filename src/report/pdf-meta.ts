/**
 * Set a PDF's document information (Title, Author, Subject, Keywords, Creator) by an incremental
 * update: a new Info dictionary appended after the original bytes, with its own xref section and a
 * trailer pointing back (/Prev) to the original. Chromium writes only Title; this adds the rest.
 */
import { SegkitError } from '../errors';

export interface PdfInfo {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creator?: string;
}

/** A PDF text string as UTF-16BE hex with a byte-order mark (safe for any character). */
function pdfText(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

export function setPdfInfo(pdf: Uint8Array, info: PdfInfo): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const tail = text.slice(-2048);
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const trailerAt = text.lastIndexOf('trailer');
  if (!sx || trailerAt < 0) {
    throw new SegkitError('report', 'pdf_structure', 'the PDF has no classic trailer/startxref to update', {
      hint: 'this is a Chromium output format change; please report it with the Chromium version',
    });
  }
  const trailer = text.slice(trailerAt, text.indexOf('startxref', trailerAt));
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  if (!Number.isFinite(size) || !root) {
    throw new SegkitError('report', 'pdf_structure', 'the PDF trailer has no /Size or /Root');
  }
  // Keep whatever the original Info held (CreationDate, Producer), overridden by the new fields.
  const oldInfoRef = /\/Info\s+(\d+)\s+\d+\s+R/.exec(trailer)?.[1];
  let kept = '';
  if (oldInfoRef) {
    const m = new RegExp(`(?:^|\\n)${oldInfoRef} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`).exec(text);
    if (m) {
      const entries = m[1].match(/\/(CreationDate|ModDate|Producer)\s*\([^)]*\)/g) ?? [];
      kept = entries.join('\n');
    }
  }
  const fields: string[] = [];
  if (info.title !== undefined) fields.push(`/Title ${pdfText(info.title)}`);
  if (info.author !== undefined) fields.push(`/Author ${pdfText(info.author)}`);
  if (info.subject !== undefined) fields.push(`/Subject ${pdfText(info.subject)}`);
  if (info.keywords !== undefined) fields.push(`/Keywords ${pdfText(info.keywords)}`);
  if (info.creator !== undefined) fields.push(`/Creator ${pdfText(info.creator)}`);
  const head = text.endsWith('\n') ? '' : '\n';
  const objOffset = pdf.length + head.length;
  const obj = `${size} 0 obj\n<<${fields.join('\n')}${kept ? '\n' + kept : ''}>>\nendobj\n`;
  const xrefOffset = objOffset + Buffer.byteLength(obj, 'latin1');
  const xref =
    `xref\n${size} 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${size + 1}\n/Root ${root}\n/Info ${size} 0 R\n/Prev ${sx[1]}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(pdf), Buffer.from(head + obj + xref, 'latin1')]);
}
