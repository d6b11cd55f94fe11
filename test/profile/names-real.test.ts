/**
 * Names that are true, on real data: on Online Retail and the bundled sample, for every k from 2 to 8
 * (the default recommendation's range and the coarsest split), every cluster's name holds at its median
 * R, F, M scores — computed here from the customer table, not taken from the profile — and no two
 * clusters share a name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/pipeline';
import { fitKMeans } from '../../src/cluster';
import { profileSegments, segmentRuleHolds, withClusters } from '../../src/profile';
import { HAS_SHARED, SAMPLE, sharedData } from '../helpers/shared';

/** Median of whole scores, rounded half up (as a profile's median scores). */
const medianScore = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return Math.floor((n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) + 0.5);
};

function checkNames(a: Analysis, k: number): void {
  const model = fitKMeans(a.features, { k, seed: 42 });
  const profiles = profileSegments({ rfm: a.rfm, model, features: a.features });
  const names = profiles.segments.map((p) => p.name);
  expect(new Set(names).size, `k = ${k}: ${names.join(' | ')}`).toBe(k);
  // Each customer's cluster name, as the per-customer CSV has it; medians by cluster name from the scores.
  const table = withClusters(a.rfm, model, { features: a.features, names });
  const rows = table.select('cluster_name', 'r_score', 'f_score', 'm_score').toRecords() as Array<{ cluster_name: string; r_score: number; f_score: number; m_score: number }>;
  const failures: string[] = [];
  for (const name of names) {
    const mine = rows.filter((r) => r.cluster_name === name);
    const ms = { r: medianScore(mine.map((r) => r.r_score)), f: medianScore(mine.map((r) => r.f_score)), m: medianScore(mine.map((r) => r.m_score)) };
    const p = profiles.segments.find((x) => x.name === name)!;
    expect(p.medianScores).toEqual(ms);
    const ok = p.nameBasis === 'profile' || p.nameBasis === 'fallback' ? /^(Recent|Moderate recency|Not recent), /.test(name) : segmentRuleHolds(a.rfm.rules, a.rfm.bins, name, ms);
    if (!ok) failures.push(`k = ${k}: "${name}" at R ${ms.r}, F ${ms.f}, M ${ms.m}`);
  }
  expect(failures).toEqual([]);
}

describe.each([
  ['Online Retail', sharedData('online_retail.csv.gz'), HAS_SHARED],
  ['the sample', SAMPLE, true],
])('cluster names on %s hold at their medians', (_label, file, present) => {
  let a: Analysis;
  beforeAll(async () => {
    if (present) a = await analyze(file, { k: 5, sweep: { gap: false, stability: false, dendrogram: false } });
  }, 300_000);

  it.skipIf(!present)('for every k from 2 to 8, every name passes its rule at its median scores, and names are unique', () => {
    for (const k of [2, 3, 4, 5, 6, 7, 8]) checkNames(a, k);
  }, 300_000);
});
