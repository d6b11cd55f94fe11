/**
 * Σ_{i<j} |x_i − x_j| (Euclidean) over the points of one cluster, for clusGap's W_k: the O(m²) inner loop
 * of the gap statistic. For 2 and 3 features it runs in a tiny WebAssembly module with 128-bit SIMD (two
 * square roots per instruction), assembled here byte by byte so there is nothing to build or download;
 * when WebAssembly SIMD is unavailable the caller falls back to plain JavaScript.
 *
 * Layout in the module's memory: x[0..m), y[0..m) (and z[0..m)) as float64, one array after the other.
 */

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

// core opcodes
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const GET = 0x20, SET = 0x21, TEE = 0x22;
const I32_CONST = 0x41, I32_ADD = 0x6a, I32_SHL = 0x74, I32_GE_S = 0x4e;
const F64_LOAD = 0x2b, F64_CONST = 0x44, F64_ADD = 0xa0, F64_SUB = 0xa1, F64_MUL = 0xa2, F64_SQRT = 0x9f;
// SIMD opcodes (prefix 0xfd)
const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const V128_LOAD = simd(0x00), F64X2_SPLAT = simd(0x14), F64X2_EXTRACT = simd(0x21);
const F64X2_SQRT = simd(0xef), F64X2_ADD = simd(0xf0), F64X2_SUB = simd(0xf1), F64X2_MUL = simd(0xf2);
const MEM = [3, 0]; // align 2^3, offset 0

// locals: 0 off, 1 m (params); i32: 2 i, 3 t, 4 a, 5..7 column bases; f64: 8 total, 9 row, 10..12 scalar point, 13 tmp; v128: 14..16 splat point, 17 acc, 18 tmp
const OFF = 0, M = 1, I = 2, T = 3, A = 4, COL = 5, TOTAL = 8, ROW = 9, SX = 10, DS = 13, VX = 14, ACC = 17, DV = 18;
const get = (l: number): number[] => [GET, l];
const set = (l: number): number[] => [SET, l];

/** The function body for d = 2 or 3 features. */
function body(d: number): number[] {
  const col = (j: number): number[] => get(COL + j);
  const addr = (j: number, idx: number): number[] => [...col(j), ...get(idx), I32_ADD];
  const code: number[] = [];
  // column bases: off, off + 8m, off + 16m
  code.push(...get(OFF), ...set(COL));
  for (let j = 1; j < d; j++) code.push(...col(j - 1), ...get(M), I32_CONST, 3, I32_SHL, I32_ADD, ...set(COL + j));
  code.push(I32_CONST, 0, ...set(I));
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(...get(I), ...get(M), I32_GE_S, BR_IF, 1);
  code.push(...get(I), I32_CONST, 3, I32_SHL, ...set(A));
  for (let j = 0; j < d; j++) code.push(...addr(j, A), F64_LOAD, ...MEM, TEE, SX + j, ...F64X2_SPLAT, ...set(VX + j));
  code.push(F64_CONST, 0, 0, 0, 0, 0, 0, 0, 0, ...F64X2_SPLAT, ...set(ACC));
  code.push(...get(I), I32_CONST, 1, I32_ADD, ...set(T));
  // pairs t, t+1 while t + 1 < m
  code.push(BLOCK, VOID, LOOP, VOID);
  code.push(...get(T), I32_CONST, 1, I32_ADD, ...get(M), I32_GE_S, BR_IF, 1);
  code.push(...get(T), I32_CONST, 3, I32_SHL, ...set(A));
  for (let j = 0; j < d; j++) {
    code.push(...get(VX + j), ...addr(j, A), ...V128_LOAD, ...MEM, ...F64X2_SUB, TEE, DV, ...get(DV), ...F64X2_MUL);
    if (j > 0) code.push(...F64X2_ADD);
  }
  code.push(...F64X2_SQRT, ...get(ACC), ...F64X2_ADD, ...set(ACC));
  code.push(...get(T), I32_CONST, 2, I32_ADD, ...set(T), BR, 0, END, END);
  code.push(...get(ACC), ...F64X2_EXTRACT, 0, ...get(ACC), ...F64X2_EXTRACT, 1, F64_ADD, ...set(ROW));
  // the last point when an odd number remained
  code.push(BLOCK, VOID, ...get(T), ...get(M), I32_GE_S, BR_IF, 0);
  code.push(...get(T), I32_CONST, 3, I32_SHL, ...set(A), ...get(ROW));
  for (let j = 0; j < d; j++) {
    code.push(...get(SX + j), ...addr(j, A), F64_LOAD, ...MEM, F64_SUB, TEE, DS, ...get(DS), F64_MUL);
    if (j > 0) code.push(F64_ADD);
  }
  code.push(F64_SQRT, F64_ADD, ...set(ROW), END);
  code.push(...get(TOTAL), ...get(ROW), F64_ADD, ...set(TOTAL));
  code.push(...get(I), I32_CONST, 1, I32_ADD, ...set(I), BR, 0, END, END);
  code.push(...get(TOTAL), END);
  const locals = vec([
    [6, 0x7f],
    [6, 0x7c],
    [5, 0x7b],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f]]), ...vec([[0x7c]])]])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 2, 0], [...name('sum2'), 0, 0], [...name('sum3'), 0, 1]])),
    ...section(10, vec([body(2), body(3)])),
  ];
  return Uint8Array.from(bytes);
}

interface Kernel {
  memory: WebAssembly.Memory;
  sum2: (off: number, m: number) => number;
  sum3: (off: number, m: number) => number;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    kernel = instance.exports as unknown as Kernel;
  } catch {
    kernel = null; // no WebAssembly SIMD here: callers use the JavaScript loop
  }
  return kernel;
}

/**
 * Σ_{i<j} |x_i − x_j| over rows lo..hi−1 of a row-major buffer with d = 2 or 3 columns, or null when the
 * SIMD kernel cannot be used (other d, or no WebAssembly SIMD).
 */
export function pairDistanceSum(buf: Float64Array, lo: number, hi: number, d: number): number | null {
  if (d !== 2 && d !== 3) return null;
  const k = load();
  if (!k) return null;
  const m = hi - lo;
  const need = 8 * m * d;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const mem = new Float64Array(k.memory.buffer, 0, m * d);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) mem[j * m + i] = buf[(lo + i) * d + j];
  return d === 2 ? k.sum2(0, m) : k.sum3(0, m);
}
