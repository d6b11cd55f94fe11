/**
 * migrateAsOf takes both dates in one pass over the lines (computeRfmPair) and matches customers by
 * position: its result must be exactly migrate() on two separate computeRfm runs (ids matched by a join).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { readTransactions } from '../../src/io';
import { migrate, migrateAsOf, type MigrateOptions } from '../../src/migrate';
import { computeRfm } from '../../src/rfm';
import type { TransactionTable } from '../../src/types';
import { SAMPLE } from '../helpers/shared';

let clean: TransactionTable;
beforeAll(async () => {
  clean = cleanTransactions(await readTransactions(SAMPLE)).clean;
}, 60_000);

describe('migrateAsOf (one pass, customers matched by position) = migrate on two computeRfm runs', () => {
  for (const [dates, options] of [
    [['2011-06-30', '2011-12-10'], {}],
    [['2011-03-31', '2011-09-30'], { thresholds: 'after' }],
    [['2011-06-30', '2011-12-10'], { thresholds: 'each', bins: 4 }],
  ] as Array<[[string, string], MigrateOptions]>) {
    it(`${dates.join(' → ')} ${JSON.stringify(options)}`, () => {
      const fast = migrateAsOf(clean, dates, options);
      const slow = migrate(computeRfm(clean, { asOf: dates[0] }), computeRfm(clean, { asOf: dates[1] }), options);
      expect(fast.customers.columns).toEqual(slow.customers.columns);
      expect(fast.customers.frameEqual(slow.customers, true)).toBe(true);
      const { customers: _a, warnings: wa, ...a } = fast;
      const { customers: _b, warnings: wb, ...b } = slow;
      // cells come from a group_by: compare them in one order
      const order = (c: typeof a.cells): typeof a.cells => [...c].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
      expect(order(a.cells)).toEqual(order(b.cells));
      expect({ ...a, cells: [] }).toEqual({ ...b, cells: [] });
      expect(wa.map((w) => w.code)).toEqual(wb.map((w) => w.code));
    });
  }

  it('refuses dates out of order before reading the lines', () => {
    expect(() => migrateAsOf(clean, ['2011-12-10', '2011-06-30'])).toThrow(/must be before/);
    expect(() => migrateAsOf(clean, ['2011-6-30', '2011-12-10'])).toThrow(/not a calendar date/);
  });
});
