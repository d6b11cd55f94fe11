/**
 * Counter-based randomness: a hash of (seed, stream, a, b) gives an independent seed for one
 * decision. Invoice k of customer c can then be rebuilt later (for its cancellation) without
 * storing it, and no draw depends on the order in which other customers were processed.
 */
import { mulberry32 } from '../random';

/** Salts that separate the random streams. */
export const STREAM = {
  catalog: 1,
  plan: 2,
  time: 3,
  invoice: 4,
  cancel: 5,
  cancelLines: 6,
  duplicate: 7,
  outlier: 8,
  guest: 9,
} as const;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A well-mixed 32-bit hash of four integers (murmur3 finalizer per step). */
export function mix(seed: number, stream: number, a = 0, b = 0): number {
  let h = fmix((seed >>> 0) ^ fmix(Math.floor(seed / 4294967296) ^ 0x9e3779b9));
  h = fmix(h ^ Math.imul(stream + 1, 0x27d4eb2f));
  h = fmix(h ^ Math.imul((a >>> 0) + 0x165667b1, 0x61c88647));
  h = fmix(h ^ Math.imul((b >>> 0) + 0x2545f491, 0x9e3779b1));
  return h;
}

/** A uniform number in [0, 1) for one decision. */
export function hash01(seed: number, stream: number, a = 0, b = 0): number {
  return mix(seed, stream, a, b) / 4294967296;
}

/** A mulberry32 generator for one stream (e.g. one invoice). */
export function streamRng(seed: number, stream: number, a = 0, b = 0): () => number {
  return mulberry32(mix(seed, stream, a, b));
}
