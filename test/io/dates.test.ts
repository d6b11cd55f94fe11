import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { DATE_LAYOUTS, guessDateLayout, layoutFromOption, parseDateExpr } from '../../src/io/dates';

const parse = (vals: Array<string | null>, layout = DATE_LAYOUTS.iso): Array<string | null> =>
  (pl.DataFrame({ d: pl.Series('d', vals, pl.Utf8) }).select(parseDateExpr(pl.col('d'), layout).alias('p')).getColumn('p').toArray() as unknown as Array<Date | null>).map((d) =>
    d ? d.toISOString().slice(0, 19) : null,
  );

describe('date layouts', () => {
  it('guesses ISO, YYYYMMDD, DD.MM.YYYY and settles slash dates only when the values do', () => {
    expect(guessDateLayout(['2011-12-09 12:50:00', '2011-12-09']).kind).toBe('layout');
    expect((guessDateLayout(['20111209']) as { layout: { name: string } }).layout.name).toBe('YYYYMMDD');
    expect((guessDateLayout(['09.12.2011 12:50']) as { layout: { name: string } }).layout.name).toMatch(/^DD\.MM/);
    expect((guessDateLayout(['13/01/2011 10:00', '01/02/2011 10:00']) as { layout: { name: string } }).layout.name).toMatch(/^DD\/MM/);
    expect((guessDateLayout(['01/13/2011 10:00']) as { layout: { name: string } }).layout.name).toMatch(/^MM\/DD/);
    expect(guessDateLayout(['01/02/2011 10:00'])).toEqual({ kind: 'dayMonthUnknown', sep: '/' });
    expect(guessDateLayout(['13/01/2011', '01/13/2011']).kind).toBe('unknown');
    expect(guessDateLayout(['yesterday'])).toEqual({ kind: 'unknown', example: 'yesterday' });
  });

  it('parses exactly: no partial matches, no impossible calendar days', () => {
    expect(parse(['2011-12-09 12:50:00', '2011-12-09T12:50', '2011-12-09', ' 2011-12-09 ', '2011-02-30', '2011-12-09 12:50:00 extra', null])).toEqual([
      '2011-12-09T12:50:00', '2011-12-09T12:50:00', '2011-12-09T00:00:00', '2011-12-09T00:00:00', null, null, null,
    ]);
    expect(parse(['31/02/2011 10:00', '1/2/2011 8:26', '01/02/2011'], DATE_LAYOUTS.dmy)).toEqual([null, '2011-02-01T08:26:00', '2011-02-01T00:00:00']);
    expect(parse(['12/31/2011 23:59:59'], DATE_LAYOUTS.mdy)).toEqual(['2011-12-31T23:59:59']);
    expect(parse(['2011-12-09T12:50:00+02:00', '2011-12-09T12:50:00Z'], DATE_LAYOUTS.isoTz)).toEqual(['2011-12-09T10:50:00', '2011-12-09T12:50:00']);
  });

  it('dateFormat presets and strftime formats', () => {
    expect(layoutFromOption('dd/mm/yyyy hh:mm')).toBe(DATE_LAYOUTS.dmy);
    expect(layoutFromOption('MM/DD/YYYY')).toBe(DATE_LAYOUTS.mdy);
    expect(layoutFromOption('%d-%b-%Y').formats).toEqual(['%d-%b-%Y']);
    expect(() => layoutFromOption('DD-MON-YY')).toThrow(/unknown date format/);
  });
});
