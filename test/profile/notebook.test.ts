/**
 * notebooks/04-segments.ipynb runs top to bottom with real Jupyter + tslab on the sample data (it imports
 * ../dist: build first) and shows profiles, cards, charts, a saved model that scores its customers back,
 * a new customer and a look-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/profile';
import { ROOT, SAMPLE } from '../helpers/shared';
import { errorOutputs, executeWithNbconvert, outputText, type ExecutedNotebook } from '../helpers/notebook';

const NB = path.join(ROOT, 'notebooks', '04-segments.ipynb');
const MODEL = path.join(ROOT, 'reports', 'segment-model.json');

describe('notebooks/04-segments.ipynb', () => {
  it('is committed without outputs, with a tagged parameters cell after an introduction', () => {
    const nb = JSON.parse(readFileSync(NB, 'utf8')) as ExecutedNotebook & { metadata: { kernelspec: { name: string } } };
    expect(nb.metadata.kernelspec.name).toBe('tslab');
    expect(nb.cells[0].cell_type).toBe('markdown');
    expect(nb.cells[1].metadata?.tags).toEqual(['parameters']);
    const params = (nb.cells[1].source as string[]).join('');
    for (const p of ['input', 'asOf', 'k', 'seed', 'pcaSample', 'actionsFile', 'modelOut', 'customerId']) expect(params).toMatch(new RegExp(`^let ${p}\\b`, 'm'));
    expect(nb.cells.every((c) => !c.outputs || c.outputs.length === 0)).toBe(true);
  });

  it.skipIf(!existsSync(SAMPLE))('executes: profiles, cards, charts, a saved model that reproduces the fit, scoring and a look-up', async () => {
    const nb = executeWithNbconvert(NB);
    expect(errorOutputs(nb)).toEqual([]);
    const text = outputText(nb);
    expect(text).toMatch(/k-means with \*\*k = 4\*\*/);
    expect(text).toMatch(/<h4>1 · Champions<\/h4>/); // the segment cards of seg.show(profiles)
    expect(text).toMatch(/Recommended: Reward them and keep them close/);
    const same = /\*\*([\d,]+) of ([\d,]+)\*\* customers get the same segment from the saved model/.exec(text);
    expect(same).not.toBeNull();
    expect(same![1]).toBe(same![2]);
    expect(text).toMatch(/distance to its centroid\n[─ ]+\n +0 +[\d.]+\n +1 +[\d.]+/); // distances of the new customer
    expect(text).toMatch(/purchases by month/);
    // Every chart is drawn (a PNG, and SVG unless too large to embed; none falls back to JSON text).
    const charts = nb.cells.flatMap((c) => (c.outputs ?? []).map((o) => o.data as Record<string, unknown> | undefined).filter((d) => d?.['image/png']));
    expect(charts.length).toBe(6);
    for (const d of charts) expect(d!['image/svg+xml'] !== undefined || /too large to embed: .*SVG/.test(String(d!['text/plain']))).toBe(true);
    expect(text).not.toMatch(/"\$schema"/);
    const model = await loadModel(MODEL);
    expect(model.kmeans.k).toBe(4);
    expect(model.clusters[0].name).toBe('Champions');
  });
});
