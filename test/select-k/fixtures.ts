/** Shared fixtures for the features / cluster / select-k tests: the mall data and generated blobs. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { mulberry32, normal } from '../../src/random';
import { sharedData } from '../helpers/shared';

/** Mall customers: [Annual Income (k$), Spending Score (1-100)] per row (CRLF file, columns with spaces). */
export function mallXY(): number[][] {
  const lines = gunzipSync(readFileSync(sharedData('mall_customers.csv.gz'))).toString('utf8').split(/\r?\n/).filter(Boolean);
  const header = lines[0].split(',');
  const inc = header.indexOf('Annual Income (k$)');
  const sp = header.indexOf('Spending Score (1-100)');
  return lines.slice(1).map((l) => {
    const f = l.split(',');
    return [Number(f[inc]), Number(f[sp])];
  });
}

export interface MallReference {
  per_k: Array<{ k: number; inertia: number; silhouette: number; calinski_harabasz: number; davies_bouldin: number }>;
  k5: { labels: number[]; centroids: number[][]; silhouette_samples_first10: number[] };
}

export interface GapReference {
  k: number[];
  logW: number[];
  E_logW: number[];
  gap: number[];
  SE_sim: number[];
  k_firstSEmax: number;
  k_Tibs2001SEmax: number;
  k_globalmax: number;
}

/** `groups` well-separated Gaussian blobs in `d` dimensions (centres 10 sd apart), `per` points each. */
export function blobs(groups: number, per: number, d = 2, seed = 7): { X: number[][]; truth: number[] } {
  const rand = mulberry32(seed);
  const X: number[][] = [];
  const truth: number[] = [];
  for (let g = 0; g < groups; g++) {
    const centre = Array.from({ length: d }, (_, j) => (j === g % d ? 10 * (1 + Math.floor(g / d)) : 0) * (g % 2 === 0 ? 1 : -1));
    for (let i = 0; i < per; i++) {
      X.push(centre.map((c) => c + normal(rand)));
      truth.push(g);
    }
  }
  return { X, truth };
}

/** n points uniform in the unit square (no cluster structure). */
export function uniform(n: number, d = 2, seed = 3): number[][] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rand()));
}
