/**
 * The product catalogue: a few hundred StockCodes with UCI-style descriptions and prices, all
 * derived from the seed, plus the non-product codes of the real file (POST, DOT, M, D,
 * BANK CHARGES). Popularity follows a Zipf law, so a few products dominate the lines.
 */
import { normal } from '../random';
import { csvField, formatPrice } from './csv';
import { STREAM, streamRng } from './hash';

const COLOURS = ['WHITE', 'RED', 'PINK', 'BLUE', 'GREEN', 'IVORY', 'CREAM', 'BLACK', 'SILVER', 'GOLD', 'PURPLE', 'ORANGE'];
const MOTIFS = [
  'HANGING HEART', 'REGENCY', 'VINTAGE', 'RETROSPOT', 'POLKADOT', 'ENGLISH ROSE', 'BIRD', 'STAR', 'PAISLEY',
  'JAM MAKING', 'SPACEBOY', 'DOLLY GIRL', 'WOODLAND', 'CHRISTMAS', 'LOVE', 'BAROQUE', 'FAIRY CAKE', 'GINGHAM',
  'SKULL', 'UNION FLAG', 'CIRCUS PARADE', 'PANTRY', 'SWALLOW', 'BUTTERFLY',
];
const ITEMS = [
  'T-LIGHT HOLDER', 'TEA CUP AND SAUCER', 'LUNCH BAG', 'CAKE STAND', 'DOORMAT', 'MUG', 'NOTEBOOK', 'PHOTO FRAME',
  'CANDLE', 'CUSHION COVER', 'BUNTING', 'CAKE TIN', 'JUMBO BAG', 'WATER BOTTLE', 'PLATE', 'CUTLERY SET',
  'STORAGE JAR', 'WALL CLOCK', 'POCKET TISSUES', 'WRAP', 'GIFT BAG', 'PURSE', 'APRON', 'OVEN GLOVE', 'NAPKINS',
  'HOT WATER BOTTLE', 'CHALKBOARD', 'LANTERN', 'BOWL', 'METAL SIGN', 'COAT HANGER', 'PLASTERS IN TIN',
];

/** Non-product codes as in the UCI file. `price` 0 means the price is drawn per line. */
export const SPECIAL = {
  POST: { code: 'POST', description: 'POSTAGE', price: 18 },
  DOT: { code: 'DOT', description: 'DOTCOM POSTAGE', price: 0 },
  M: { code: 'M', description: 'Manual', price: 0 },
  D: { code: 'D', description: 'Discount', price: 0 },
  BANK: { code: 'BANK CHARGES', description: 'Bank Charges', price: 15 },
} as const;
export type SpecialKey = keyof typeof SPECIAL;

export interface Catalog {
  /** Number of real products; specials follow at indices products.. */
  products: number;
  code: string[];
  description: string[];
  price: number[];
  /** Pre-formatted CSV fields, so writing a line is string concatenation only. */
  codeCsv: string[];
  descCsv: string[];
  priceText: string[];
  /** Index of each special code. */
  special: Record<SpecialKey, number>;
  /** Draws a product index (not a special) by popularity. */
  pick(u: number): number;
}

function plural(item: string): string {
  if (item.endsWith('S')) return item;
  if (item.endsWith('H')) return item + 'ES';
  return item + 'S';
}

/** UCI-looking price: log-normal around £2.10, rounded to pennies (< £1) or 5p steps. */
function drawPrice(rand: () => number): number {
  const p = Math.min(250, Math.max(0.19, Math.exp(Math.log(2.1) + 0.8 * normal(rand))));
  const step = p < 1 ? 1 : 5;
  return Math.max(step, Math.round((p * 100) / step) * step) / 100;
}

/** Builds the catalogue of `n` products for `seed` (default size: DEFAULTS.products = 400). */
export function makeCatalog(seed: number, n: number): Catalog {
  const rand = streamRng(seed, STREAM.catalog);
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const codes = new Set<string>();
  const descs = new Set<string>();
  const code: string[] = [];
  const description: string[] = [];
  const price: number[] = [];
  while (code.length < n) {
    const base = String(20000 + Math.floor(rand() * 70000));
    if (codes.has(base)) continue;
    // About one base code in six comes in lettered colour variants (85123A, 85123B, ...).
    const variants = rand() < 1 / 6 ? 2 + Math.floor(rand() * 3) : 1;
    const motif = pickOf(MOTIFS);
    const item = pickOf(ITEMS);
    const kind = rand();
    const p = drawPrice(rand);
    const colour0 = Math.floor(rand() * COLOURS.length);
    for (let v = 0; v < variants && code.length < n; v++) {
      const c = variants > 1 ? base + 'ABCDE'[v] : base;
      let d: string;
      if (variants > 1) d = `${COLOURS[(colour0 + v) % COLOURS.length]} ${motif} ${item}`;
      else if (kind < 0.55) d = `${pickOf(COLOURS)} ${motif} ${item}`;
      else if (kind < 0.75) d = `SET OF ${pickOf([2, 3, 4, 6, 12])} ${motif} ${plural(item)}`;
      else if (kind < 0.92) d = `${item}, ${motif} DESIGN`; // a comma: the CSV field gets quoted
      else if (kind < 0.96) d = `${motif} ${item} 7" SIZE`; // a quote: escaped as ""
      else d = `${motif} ${item} `; // trailing space, as many UCI descriptions keep
      for (let k = 2; descs.has(d); k++) d = `${d.trimEnd()} ${k}`;
      codes.add(c);
      descs.add(d);
      code.push(c);
      description.push(d);
      price.push(p);
    }
    codes.add(base);
  }
  // Zipf popularity (exponent 0.9) over a random ranking of the products.
  const cdf = new Float64Array(n);
  const rank = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / Math.pow(rank[i] + 1, 0.9);
  for (let i = 0; i < n; i++) cdf[i] /= total;

  const special = {} as Record<SpecialKey, number>;
  for (const key of Object.keys(SPECIAL) as SpecialKey[]) {
    special[key] = code.length;
    code.push(SPECIAL[key].code);
    description.push(SPECIAL[key].description);
    price.push(SPECIAL[key].price);
  }
  return {
    products: n,
    code,
    description,
    price,
    codeCsv: code.map(csvField),
    descCsv: description.map(csvField),
    priceText: price.map(formatPrice),
    special,
    pick(u: number): number {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
