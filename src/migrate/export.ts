/**
 * The per-customer before/after table for export (a CRM acts on the movers), with text cells that a
 * spreadsheet would run as formulas neutralised (the rule of src/io/write.ts, which CSV writes also apply).
 */
import pl from 'nodejs-polars';
import { neutraliseFormulas } from '../io/write';
import type { Migration, Move } from './options';

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
