/** analyze(): the whole pipeline on the bundled sample, with a user's k beside the recommendation. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/pipeline';
import { SAMPLE } from './helpers/shared';

describe('analyze', () => {
  it("a user's k is fitted and profiled, and the sweep keeps its evidence beside the recommendation", async () => {
    const a = await analyze(SAMPLE, { k: 4, kRange: [2, 5], nInit: 3, sweep: { gap: false, stability: false, dendrogram: false } });
    expect(a.k).toBe(4);
    expect(a.kSource).toBe('user');
    expect(a.model.k).toBe(4);
    expect(a.profiles.segments).toHaveLength(4);
    expect(a.sweep.chosenK).toBe(4);
    const rec = a.sweep.recommendation;
    expect(a.sweep.perK.map((r) => r.k)).toEqual([2, 3, 4, 5]);
    // per-point silhouettes for the k in use (the report's silhouette plot), and for the recommendation
    const ks = (a.sweep.silhouettePoints ?? []).map((p) => p.k);
    expect(ks).toContain(4);
    expect(ks).toContain(rec.k);
    if (rec.k !== 4) expect(rec.override?.k).toBe(4);
    // the silhouette labels at k = 4 are the sweep's own k = 4 clustering: one label per sampled row, 4 clusters
    const p4 = a.sweep.silhouettePoints!.find((p) => p.k === 4)!;
    expect(new Set(p4.labels).size).toBe(4);
    expect(p4.values.every((v) => v >= -1 && v <= 1)).toBe(true);
  }, 120_000);
});
