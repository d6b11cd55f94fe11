/**
 * A Ward dendrogram (R's hclust "ward.D2": Euclidean distances, Lance-Williams on squared distances) of a
 * seeded sample of customers, as extra evidence for k: long vertical gaps before a merge mean well-separated groups.
 */
import { agnes } from 'ml-hclust';
import { SegkitError } from '../errors';
import { tooFewCustomers } from '../messages';
import { DEFAULT_SEED, wholeNumber } from '../options';
import { mulberry32, sampleIndices } from '../random';
import { toDense, type Dense, type Points } from '../cluster/matrix';
import type { Dendrogram } from '../types';

export interface DendrogramOptions {
  /** Customers in the tree (seeded sample when there are more). Default 300 (the tree costs O(n³)). */
  sample?: number;
  seed?: number;
}

export const DENDROGRAM_DEFAULTS = { sample: 300, seed: DEFAULT_SEED };

interface Node {
  children: Node[];
  height: number;
  size: number;
  index: number;
  isLeaf: boolean;
}

/**
 * Ward (ward.D2) hierarchical clustering of a seeded sample; merges numbered like scipy's linkage.
 * @throws SegkitError `select-k/bad_option` (sample), `select-k/too_few_customers`, `select-k/bad_input`, `select-k/not_finite` (X).
 */
export function wardDendrogram(X: Points | Dense, options: DendrogramOptions = {}): Dendrogram {
  const sample = options.sample ?? DENDROGRAM_DEFAULTS.sample;
  const seed = options.seed ?? DENDROGRAM_DEFAULTS.seed;
  wholeNumber(sample, { stage: 'select-k', name: 'sample', label: 'dendrogram sample', where: 'option dendrogram.sample', min: 3 });
  const dense = toDense(X, 'select-k');
  if (dense.n < 3) throw tooFewCustomers('select-k', 'a dendrogram', dense.n);
  const rows = dense.n > sample ? Array.from(sampleIndices(mulberry32(seed ^ 0x27d4eb2d), dense.n, sample)).sort((a, b) => a - b) : Array.from({ length: dense.n }, (_, i) => i);
  const pts = rows.map((r) => Array.from(dense.data.subarray(r * dense.d, (r + 1) * dense.d)));
  const root = agnes(pts, { method: 'ward2' }) as unknown as Node;
  const n = pts.length;
  const merges: Dendrogram['merges'] = [];
  const internal: Node[] = [];
  const visit = (node: Node): void => {
    if (node.isLeaf) return;
    for (const c of node.children) visit(c);
    internal.push(node);
  };
  visit(root);
  // scipy numbering: merges by increasing height (children before parents), node n + i for merge i
  const order = internal.map((node, i) => ({ node, i })).sort((a, b) => a.node.height - b.node.height || a.i - b.i);
  const ids = new Map<Node, number>();
  const idOf = (node: Node): number => (node.isLeaf ? node.index : ids.get(node)!);
  // Ward heights never decrease towards the root, and ties keep post-order, so children are numbered first
  for (const { node } of order) {
    const [a, b] = node.children;
    ids.set(node, n + merges.length);
    merges.push({ a: idOf(a), b: idOf(b), height: node.height, size: node.size });
  }
  const leafOrder: number[] = [];
  const walk = (node: Node): void => {
    if (node.isLeaf) leafOrder.push(node.index);
    else node.children.forEach(walk);
  };
  walk(root);
  return { method: 'ward.D2', rows, merges, order: leafOrder };
}

/**
 * Cut a dendrogram into k groups: the group (0..k-1, by first leaf in drawing order) of each leaf.
 * @throws SegkitError `select-k/bad_k` (k outside 1..leaves).
 */
export function cutDendrogram(dendro: Dendrogram, k: number): number[] {
  const n = dendro.rows.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new SegkitError('select-k', 'bad_k', `cannot cut ${n} leaves into ${k} groups`, { where: 'k' });
  const parent = Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (let m = 0; m < n - k; m++) {
    const { a, b } = dendro.merges[m];
    parent[find(a)] = n + m;
    parent[find(b)] = n + m;
  }
  const roots = new Map<number, number>();
  const out = new Array<number>(n);
  for (const leaf of dendro.order) {
    const r = find(leaf);
    if (!roots.has(r)) roots.set(r, roots.size);
    out[leaf] = roots.get(r)!;
  }
  return out;
}
