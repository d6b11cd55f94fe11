/**
 * Reading and cleaning with the shared input flags (see ./options for the flags themselves, re-exported
 * here). This module loads the reader, the cleaning rules and the database sources: commands import it
 * in their actions, after the checks that need no data.
 *
 *   sourceFromFlags(opts)           → TransactionSource (a file or a database table)
 *   readInputFromOptions(opts)      → TransactionTable (readTransactions with those options)
 *   cleanOptionsFromFlags(opts)     → CleanOptions
 *   readAndCleanFromOptions(opts)   → CleanResult
 */
import { SegkitError } from '../../errors';
import { cleanTransactions, type CleanOptions } from '../../clean';
import { RULE_ORDER, checkDateWindow, type RuleKey } from '../../clean/rules';
import { readTransactions } from '../../io';
import type { CleanResult, TransactionTable } from '../../types';
import { source, type TransactionSource } from '../../source';
import { parseOutlierSpec, readOptionsFromFlags, type CleanFlags, type InputFlags } from './options';

export * from './options';

/** Open the source the input flags name: a file (--input) or a database table (--source). */
export async function sourceFromFlags(flags: InputFlags): Promise<TransactionSource> {
  const { path, options } = readOptionsFromFlags(flags);
  return source(path, { read: options });
}

/** Read the transactions named by the input flags. */
export async function readInputFromOptions(flags: InputFlags): Promise<TransactionTable> {
  if (flags.source) {
    throw new SegkitError('cli', 'bad_option', 'this command reads files only: --source is not available here', { where: '--source', hint: 'export the table to a file, or use segkit report / eda / rfm, which read database tables' });
  }
  const { path, options } = readOptionsFromFlags(flags);
  return readTransactions(path, options);
}

/** The CleanOptions the cleaning flags ask for; an unknown rule or a bad date window is refused before any data is read. */
export function cleanOptionsFromFlags(flags: CleanFlags): CleanOptions {
  const o: CleanOptions = {};
  const rules: Partial<Record<RuleKey, boolean>> = {};
  for (const r of flags.skipRule ?? []) {
    if (!RULE_ORDER.includes(r as RuleKey)) {
      throw new SegkitError('cli', 'unknown_rule', `unknown cleaning rule "${r}"`, { where: '--skip-rule', hint: `rules are: ${RULE_ORDER.join(', ')}` });
    }
    rules[r as RuleKey] = false;
  }
  if (flags.excludeNonProducts) rules.non_product_code = true;
  if (Object.keys(rules).length) o.rules = rules;
  const outlier = parseOutlierSpec(flags.excludeOutliers);
  if (outlier) o.outlier = outlier;
  if (flags.dateFrom !== undefined || flags.dateTo !== undefined) {
    o.dateWindow = { from: flags.dateFrom, to: flags.dateTo };
    checkDateWindow(o.dateWindow);
  }
  return o;
}

/** Read and clean with the input and cleaning flags. */
export async function readAndCleanFromOptions(flags: InputFlags & CleanFlags): Promise<CleanResult> {
  const tx = await readInputFromOptions(flags);
  return cleanTransactions(tx, cleanOptionsFromFlags(flags));
}
