/**
 * The small part of nbformat 4 that segkit needs: types, reading with validation, cell helpers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SegkitError } from '../errors';

/** A JSON value (what parameters and notebook metadata are made of). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One notebook output (stream, display_data, execute_result or error). */
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  [key: string]: unknown;
}

/** One notebook cell. `source` is a string or a list of lines, as nbformat allows. */
export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** Tag of the cell whose declarations are the notebook's parameters (papermill's convention). */
export const PARAMETERS_TAG = 'parameters';
/** Tag of the cell that `segkit run` adds with the values given on the command line. */
export const INJECTED_TAG = 'injected-parameters';
/** Tag of the markdown cell that `segkit run` puts at the top of a notebook that failed. */
export const ERROR_BANNER_TAG = 'segkit-error-banner';

/** A cell's source as one string. */
export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The first line of code of a cell (trimmed, skipping blank and `//` comment lines; else its first non-blank line). */
export function firstLine(cell: NotebookCell): string {
  const lines = cellSource(cell).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => !l.startsWith('//')) ?? lines[0] ?? '';
}

/** Does the cell carry `tag` in metadata.tags? */
export function hasTag(cell: NotebookCell, tag: string): boolean {
  return Array.isArray(cell.metadata?.tags) && cell.metadata.tags.includes(tag);
}

/** Split text into nbformat's list-of-lines form (each line keeps its '\n'). */
export function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((l) => l !== '');
}

/** A new cell (with an id when the notebook's minor version needs one). */
export function newCell(nb: Notebook, type: 'code' | 'markdown', text: string, tags: string[]): NotebookCell {
  const cell: NotebookCell = { cell_type: type, metadata: { tags }, source: sourceLines(text) };
  if (nb.nbformat_minor >= 5) cell.id = `segkit-${randomBytes(4).toString('hex')}`;
  if (type === 'code') {
    cell.execution_count = null;
    cell.outputs = [];
  }
  return cell;
}

/**
 * Parse notebook JSON text and check it is nbformat 4 (cells with a type and a source).
 * Throws SegkitError('notebook', 'invalid_notebook') otherwise; `where` names `file`.
 */
export function parseNotebook(text: string, file = '<notebook>'): Notebook {
  const bad = (why: string): SegkitError =>
    new SegkitError('notebook', 'invalid_notebook', `not a Jupyter notebook: ${why}`, {
      where: file,
      hint: 'pass an .ipynb file saved by Jupyter (nbformat 4); open and re-save older notebooks in Jupyter',
    });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`the file is not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('the JSON is not an object');
  const nb = data as Record<string, unknown>;
  if (nb.nbformat !== 4) throw bad(`nbformat is ${JSON.stringify(nb.nbformat ?? null)}, segkit needs 4`);
  if (!Array.isArray(nb.cells)) throw bad('it has no "cells" list');
  nb.cells.forEach((c: unknown, i: number) => {
    const cell = c as Record<string, unknown> | null;
    if (typeof cell !== 'object' || cell === null) throw bad(`cell ${i} is not an object`);
    if (!['code', 'markdown', 'raw'].includes(cell.cell_type as string)) throw bad(`cell ${i} has cell_type ${JSON.stringify(cell.cell_type)}`);
    const src = cell.source;
    if (typeof src !== 'string' && !(Array.isArray(src) && src.every((s) => typeof s === 'string'))) {
      throw bad(`cell ${i} has no text source`);
    }
    if (typeof cell.metadata !== 'object' || cell.metadata === null) cell.metadata = {};
  });
  if (typeof nb.metadata !== 'object' || nb.metadata === null) nb.metadata = {};
  if (typeof nb.nbformat_minor !== 'number') nb.nbformat_minor = 4;
  return data as Notebook;
}

/** Read and validate a notebook file (see {@link parseNotebook}). A missing file is 'notebook_not_found'. */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SegkitError('notebook', 'notebook_not_found', `cannot read the notebook: ${(e as Error).message}`, {
      where: file,
      hint: 'check the path to the .ipynb file',
    });
  }
  return parseNotebook(text, file);
}

/** Notebook JSON as Jupyter writes it (indent 1, trailing newline). */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + '\n';
}
