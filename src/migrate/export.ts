/**
 * The per-customer before/after table for export (a CRM acts on the movers), with text cells that a
 * spreadsheet would run as formulas neutralised. (src/io/write.ts writes cells as they are.)
 */
import pl from 'nodejs-polars';
import type { Migration, Move } from './options';

/** A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text columns with every cell that starts with = + - @ tab or CR prefixed with an apostrophe
 * (OWASP "CSV injection"), so it is shown as text. Other columns are unchanged.
 */
export function neutraliseFormulas(df: pl.DataFrame): pl.DataFrame {
  const text = df.columns.filter((c, i) => ['Utf8', 'String', 'Categorical'].includes(df.dtypes[i].variant));
  if (!text.length) return df;
  return df.withColumns(
    ...text.map((c) => {
      const v = pl.col(c).cast(pl.Utf8);
      return pl.when(v.str.contains(FORMULA_START.source)).then(pl.concatString([pl.lit("'"), v], '')).otherwise(v).alias(c);
    }),
  );
}

export interface MoversOptions {
  /** Keep only these moves (e.g. ['down', 'new']). Default: every customer. */
  moves?: Move[];
  /** Neutralise formula-like text cells (for CSV). Default true. */
  safe?: boolean;
}

/** The customers table of a migration, filtered to `moves`, ready to write with writeTable. */
export function moversTable(m: Migration, options: MoversOptions = {}): pl.DataFrame {
  let df = m.customers;
  if (options.moves?.length) df = df.filter(pl.col('move').isIn(options.moves));
  return options.safe === false ? df : neutraliseFormulas(df);
}
