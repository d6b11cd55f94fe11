/**
 * Polars expressions built once per process and reused.
 *
 * nodejs-polars wraps every expression it returns (each `pl.col`, `.alias`, `.sum`, … and each column
 * name or number passed to `select`/`groupBy`) in a new JavaScript object carrying its ~300 methods:
 * about 1 ms of JavaScript per wrapper on our machines (measured in bench/rfm.md), more than the Polars
 * work of scoring 100k customers. A Polars expression is an immutable description, so RFM builds its
 * fixed expressions once (per key: column names, asOf day, bins) and shares them between calls.
 */

const cache = new Map<string, unknown>();
/** Distinct keys kept (column mappings, asOf days, bins…): plenty for any session; cleared past it. */
const MAX_KEYS = 512;

/** The value built by `build` for `key`, built on first use. */
export function memo<T>(key: string, build: () => T): T {
  let v = cache.get(key) as T | undefined;
  if (v === undefined) {
    if (cache.size >= MAX_KEYS) cache.clear();
    v = build();
    cache.set(key, v);
  }
  return v;
}
