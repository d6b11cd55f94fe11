/**
 * Every notebook in notebooks/ (generic over the folder): its committed form (nbformat 4, the tslab
 * kernelspec, a markdown introduction, a cell tagged "parameters" near the top, no outputs) and a
 * real execution through the runner (`executeNotebook`: nbclient + tslab) on the sample data, with
 * every parameter that writes files pointed at a temporary folder. The notebooks import ../dist:
 * dist/ is rebuilt first when it is older than src/ (`make test` has built it already).
 * notebooks/README.md is checked against the notebooks: a parameter table per notebook with exactly
 * its parameters, and every `segkit run` example and YAML parameter file valid for its notebook.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parametersFromFlags } from '../../src/cli/commands/run';
import { createProgram } from '../../src/cli/main';
import { type Notebook, type NotebookParameter, type Parameters, PARAMETERS_TAG, cellSource, executeNotebook, inspectParameters, readNotebook, validateParameters } from '../../src/notebook';
import { ROOT, SAMPLE } from '../helpers/shared';
import { ensureBuilt } from '../helpers/build';
import { drawnImages, isSigned } from '../helpers/notebook';
import { CHART_DEFAULTS } from '../../src/notebook/show/chart';
import { shellWords } from '../helpers/shell';

const DIR = path.join(ROOT, 'notebooks');
/** The notebooks the issues ask for; the test is generic over the folder, but these must be there. */
const REQUIRED = ['01-eda.ipynb', '02-rfm.ipynb', '03-k-selection.ipynb', '04-segments.ipynb', '06-clv.ipynb', 'segmentation.ipynb'];
const NOTEBOOKS = readdirSync(DIR)
  .filter((f) => f.endsWith('.ipynb') && !f.endsWith('.out.ipynb')) // *.out.ipynb: runner outputs (git-ignored)
  .sort();

// ---- build dist/ when stale (same as test/cli/help.test.ts; a lock keeps two workers from building at once)


// ---- parameters for a test run

/**
 * A parameter that writes files: its name says so (output, outDir, modelOut, …: starts with "out" or ends
 * with "Out"; not holdoutFrom) or its default points into ../reports.
 */
const writesFiles = (p: NotebookParameter): boolean => /^out|Out$/.test(p.name) || /^['"`]\.\.\/reports\b/.test(p.default.trim());

/**
 * The sample data as `input`, and every file-writing parameter pointed into `tmp`: a folder for
 * names ending in Dir, else `tmp/<the default's file name>` (a null default stays null: no file).
 */
function testParameters(parameters: NotebookParameter[], tmp: string): { values: Parameters; redirected: string[] } {
  const values: Parameters = {};
  const redirected: string[] = [];
  for (const p of parameters) {
    if (p.name === 'input') values.input = SAMPLE;
    if (!writesFiles(p) || p.defaultValue === null) continue;
    const target = /dir$/i.test(p.name) ? path.join(tmp, p.name) : path.join(tmp, path.basename(String(p.defaultValue ?? p.name)));
    if (/dir$/i.test(p.name)) mkdirSync(target, { recursive: true });
    values[p.name] = target;
    redirected.push(p.name);
  }
  return { values, redirected };
}

// ---- a static check for a tslab pitfall

/**
 * `{ k }` (a shorthand property) naming a variable declared in an EARLIER cell: tslab compiles each
 * cell on its own and does not rewrite shorthand properties, so the value is undefined at run time
 * ("ReferenceError: k is not defined"). Returns "cell N: { k }" for each one.
 */
function crossCellShorthands(nb: Notebook): string[] {
  const earlier = new Set<string>();
  const found: string[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const sf = ts.createSourceFile(`cell${index}.ts`, cellSource(cell), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const own = new Set<string>();
    const declare = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) own.add(name.text);
      else for (const el of name.elements) if (!ts.isOmittedExpression(el)) declare(el.name);
    };
    for (const st of sf.statements) {
      if (ts.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => declare(d.name));
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) own.add(st.name.text);
      else if (ts.isImportDeclaration(st) && st.importClause) {
        const c = st.importClause;
        if (c.name) own.add(c.name.text);
        const b = c.namedBindings;
        if (b && ts.isNamespaceImport(b)) own.add(b.name.text);
        else if (b) b.elements.forEach((e) => own.add(e.name.text));
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isShorthandPropertyAssignment(node) && earlier.has(node.name.text) && !own.has(node.name.text)) {
        found.push(`cell ${index}: { ${node.name.text} } (line ${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}) — write { ${node.name.text}: ${node.name.text} }`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    own.forEach((n) => earlier.add(n));
  });
  return found;
}

const textOf = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v ?? ''));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-notebooks-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('notebooks/', () => {
  it('holds the notebooks of every issue and segmentation.ipynb', () => {
    expect(NOTEBOOKS).toEqual(expect.arrayContaining(REQUIRED));
  });

});

describe('notebooks/README.md', () => {
  const readme = path.join(DIR, 'README.md');
  const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';

  it('exists and says how to open the notebooks and rerun them', () => {
    expect(existsSync(readme)).toBe(true);
    for (const s of ['make setup', 'jupyter notebook notebooks/', 'jupyter lab', 'TypeScript', 'segkit inspect', 'segkit run', ' -p ', ' -f ', '--html', '--report-mode', '--batch']) {
      expect(text, `notebooks/README.md mentions ${s}`).toContain(s);
    }
  });

  it.each(NOTEBOOKS)('has a section on %s with a table of exactly its parameters', (file) => {
    const at = text.indexOf(`### \`${file}\``);
    expect(at, `a "### \`${file}\`" section`).toBeGreaterThanOrEqual(0);
    const section = text.slice(at + 4).split(/^### /m)[0];
    const names = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(names).toEqual(inspectParameters(readNotebook(path.join(DIR, file))).parameters.map((p) => p.name));
    expect(section, `an example run of ${file}`).toContain(`segkit run notebooks/${file}`);
  });

  it('every `segkit run` example and every YAML parameter file is valid for its notebook', async () => {
    const problems: string[] = [];
    const check = (where: string, file: string, params: Parameters): void => {
      if (!existsSync(path.join(ROOT, file))) return; // a notebook still being written
      try {
        validateParameters(readNotebook(path.join(ROOT, file)), params);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message}`);
      }
    };
    const runs = text.split('\n').filter((l) => /^(npx )?segkit run /.test(l));
    expect(runs.length).toBeGreaterThanOrEqual(NOTEBOOKS.length);
    for (const line of runs) {
      const words = shellWords(line.replace(/^npx /, '')).slice(1);
      const program = createProgram();
      program.configureOutput({ writeErr: (s) => problems.push(`${line}: ${s.trim()}`), writeOut: () => undefined });
      let captured: { notebook?: string; flags?: Record<string, unknown> } = {};
      for (const c of program.commands) c.action(() => undefined);
      program.commands.find((c) => c.name() === 'run')!.action((notebook: string, flags: Record<string, unknown>) => {
        captured = { notebook, flags };
      });
      try {
        await program.parseAsync(words, { from: 'user' });
      } catch {
        continue; // written to problems by writeErr
      }
      const { parameters } = parametersFromFlags({ ...captured.flags, parametersFile: undefined });
      check(line, captured.notebook!, parameters);
    }
    const yamls = [...text.matchAll(/```yaml\n# (notebooks\/\S+\.ipynb)[^\n]*\n([\s\S]*?)```/g)];
    expect(yamls.length).toBeGreaterThanOrEqual(3);
    for (const [, file, body] of yamls) check(`the YAML for ${file}`, file, YAML.parse(body) as Parameters);
    expect(problems).toEqual([]);
  });
});


describe.each(NOTEBOOKS)('notebooks/%s as committed', (file) => {
  const nb = readNotebook(path.join(DIR, file));
  const info = inspectParameters(nb);

  it('is nbformat 4 with the tslab (TypeScript) kernel', () => {
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec).toMatchObject({ name: 'tslab', display_name: 'TypeScript', language: 'typescript' });
  });

  it('starts with a markdown introduction under a title, and explains itself further down', () => {
    expect(nb.cells[0].cell_type).toBe('markdown');
    const intro = cellSource(nb.cells[0]);
    expect(intro).toMatch(/^# \S/);
    expect(intro.replace(/^#.*$/m, '').trim().length, 'an introduction, not only a title').toBeGreaterThan(80);
    expect(nb.cells.slice(1).filter((c) => c.cell_type === 'markdown').length, 'markdown between the code cells').toBeGreaterThanOrEqual(2);
  });

  it('keeps a cell tagged "parameters" among the first three cells, each parameter with a description', () => {
    const tagged = nb.cells.flatMap((c, i) => (c.metadata.tags?.includes(PARAMETERS_TAG) ? [i] : []));
    expect(tagged, 'exactly one cell tagged "parameters"').toHaveLength(1);
    expect(tagged[0]).toBeLessThan(3);
    expect(nb.cells[tagged[0]].cell_type).toBe('code');
    expect(info.cellIndex).toBe(tagged[0]);
    expect(info.parameters.length).toBeGreaterThan(0);
    for (const p of info.parameters) expect(p.help, `a // description for parameter ${p.name}`).not.toBe('');
  });

  it('is committed without outputs or execution counts', () => {
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== 'code') continue;
      expect(c.outputs ?? [], `outputs of cell ${i}`).toEqual([]);
      expect(c.execution_count ?? null, `execution_count of cell ${i}`).toBeNull();
    }
  });

  it('uses no shorthand property naming a variable of an earlier cell (undefined under tslab)', () => {
    expect(crossCellShorthands(nb)).toEqual([]);
  });

  it('shows results with seg.show, not with hand-made Markdown tables', () => {
    const code = nb.cells.filter((c) => c.cell_type === 'code').map(cellSource).join('\n');
    expect(code).not.toMatch(/mdTable|'---'|\|---\|/);
    expect(code).toContain('seg.show(');
  });
});

// Sequential: each run starts a kernel and takes 5–30 s; two at once would only slow the machine.
describe.each(NOTEBOOKS)('notebooks/%s executed by the runner on the sample data', (file) => {
  beforeAll(() => ensureBuilt(), 300_000);
  it(
    'runs every cell without an error; file-writing parameters go to a temporary folder',
    async () => {
      const work = mkdtempSync(path.join(tmp, file.replace(/\.ipynb$/, '-')));
      const { values, redirected } = testParameters(inspectParameters(readNotebook(path.join(DIR, file))).parameters, work);
      const result = await executeNotebook(path.join(DIR, file), { parameters: values, output: path.join(work, 'executed.ipynb'), timeout: 300 });
      const where = result.failedCell ? ` in cell [${result.failedCell.ordinal}/${result.failedCell.total}]: ${result.failedCell.firstLine}` : '';
      expect(result.status, `${file} failed${where}: ${result.error?.ename}: ${result.error?.evalue}`).toBe('ok');

      const executed = readNotebook(result.output);
      const errors = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error'));
      expect(errors.map((o) => `${textOf(o.ename)}: ${textOf(o.evalue)}`)).toEqual([]);
      const code = executed.cells.filter((c) => c.cell_type === 'code');
      expect(code.map((c) => c.execution_count), 'every code cell ran, numbered in order').toEqual(code.map((_, i) => i + 1));
      expect(isSigned(result.output), 'signed for this user (trusted by Jupyter)').toBe(true);
      expect(code.some((c) => (c.outputs ?? []).length > 0), 'the notebook shows something').toBe(true);
      expect(executed.metadata.segkit).toMatchObject({ status: 'ok', parameters: values });
      if (redirected.length) {
        const written = readdirSync(work, { recursive: true }).map(String).filter((f) => f !== 'executed.ipynb');
        expect(written.length, `files written through ${redirected.join(', ')}`).toBeGreaterThan(0);
      }

      // What it displays: every display under the budget, no JSON dump; every chart a full bundle.
      const displays = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'display_data'));
      const charts = displays.filter((o) => o.data?.['image/png']);
      expect(charts.length, 'charts shown').toBeGreaterThan(0);
      for (const o of displays) {
        expect(JSON.stringify(o.data).length, textOf(o.data?.['text/plain']).slice(0, 80)).toBeLessThanOrEqual(CHART_DEFAULTS.budget);
        expect(textOf(o.data?.['text/plain']), 'a text/plain for every display').not.toBe('');
        expect(textOf(o.data?.['text/html'] ?? o.data?.['text/plain'])).not.toMatch(/"\$schema"/);
      }
      for (const o of charts) expect(Object.keys(o.data ?? {}), textOf(o.data?.['text/plain'])).toEqual(expect.arrayContaining(['image/png', 'text/markdown', 'text/plain']));
      const lines = displays.map((o) => textOf(o.data?.['text/plain']));
      if (file === 'segmentation.ipynb') expect(lines.some((l) => /^analyze: [\d,]+ customers, k = \d+, in \d+\.\d s$/.test(l)), 'the progress line of analyze').toBe(true);
      if (file === '03-k-selection.ipynb') expect(lines.some((l) => /^k sweep: k = 2\.\.10 in \d+\.\d s; recommended k = \d+$/.test(l)), 'the progress line of the sweep').toBe(true);
      if (file === '06-clv.ipynb') {
        expect(lines.some((l) => /Mean absolute error per customer: \*\*\d\.\d{3}\*\* for the model, \d\.\d{3} for the naive forecast/.test(l)), 'the holdout check in words').toBe(true);
        expect(lines.join('\n')).not.toMatch(/\bNaN\b/);
      }

      // Plain `jupyter nbconvert --to html` of the executed notebook draws every chart (as its PNG) in Chromium.
      execFileSync('/usr/bin/jupyter', ['nbconvert', '--to', 'html', result.output, '--output', 'plain.html'], { stdio: 'pipe' });
      const page = await drawnImages(readFileSync(path.join(work, 'plain.html'), 'utf8'));
      expect(page.images.length, 'one image per chart').toBe(charts.length);
      expect(page.images.filter((i) => i.width < 50 || i.inked < 200), 'blank or broken chart images').toEqual([]);
    },
    300_000,
  );
});
