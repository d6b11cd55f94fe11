/** Adjusted Rand index (Hubert & Arabie 1985): agreement of two partitions, 1 = identical, ~0 = chance. */
import { SegkitError } from '../errors';

function encode(labels: ArrayLike<number>): { codes: Int32Array; k: number } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = map.get(labels[i]);
    if (c === undefined) {
      c = map.size;
      map.set(labels[i], c);
    }
    codes[i] = c;
  }
  return { codes, k: map.size };
}

const comb2 = (x: number): number => (x * (x - 1)) / 2;

/**
 * ARI of two labellings of the same points (labels may be any numbers).
 * @throws SegkitError `select-k/bad_labels` (labellings of different lengths).
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new SegkitError('select-k', 'bad_labels', `the two labellings have ${a.length} and ${b.length} entries`, { where: 'adjustedRandIndex', hint: 'compare labellings of the same points' });
  }
  const n = a.length;
  const A = encode(a);
  const B = encode(b);
  if (n <= 1 || (A.k === B.k && (A.k === 1 || A.k === n))) return 1;
  const table = new Float64Array(A.k * B.k);
  const rows = new Float64Array(A.k);
  const cols = new Float64Array(B.k);
  for (let i = 0; i < n; i++) {
    table[A.codes[i] * B.k + B.codes[i]]++;
    rows[A.codes[i]]++;
    cols[B.codes[i]]++;
  }
  let index = 0;
  for (let i = 0; i < table.length; i++) index += comb2(table[i]);
  let sa = 0;
  for (let i = 0; i < A.k; i++) sa += comb2(rows[i]);
  let sb = 0;
  for (let j = 0; j < B.k; j++) sb += comb2(cols[j]);
  const expected = (sa * sb) / comb2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
