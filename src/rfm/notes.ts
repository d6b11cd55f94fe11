/** The warnings of computeRfm, in one place for every source (files in compute.ts, databases in source/sql/rfm.ts). */
export const RFM_NOTES = {
  missing_customer: (n: number, rowsIn: number): string => `${n} of ${rowsIn} rows have no customer id and were left out of RFM (cleanTransactions normally removes them first)`,
  missing_values: (n: number): string => `${n} rows with a customer id have no date or no amount and were left out of RFM`,
  after_as_of: (n: number, asOf: string, last: string): string => `${n} rows dated after asOf ${asOf} (up to ${last}) were left out`,
  returns_dropped: (n: number): string =>
    `${n} return/cancellation rows (negative amount or quantity, or an invoice starting with "C") were left out; pass returns: 'net' to subtract them from spend`,
  no_returns: (): string =>
    "returns: 'net' was asked for but the input has no return rows; the default cleaning removes them: clean with cleanTransactions(tx, { rules: { cancelled_invoice: false, nonpositive_quantity: false } }) to net them",
  missing_invoice: (n: number): string => `${n} purchase rows have no invoice number: each customer's such rows count as one order per calendar day`,
  returns_only: (customers: number, rows: number): string =>
    `${customers} customers have returns but no purchase on or before asOf (no recency): their ${rows} rows were left out`,
  negative_monetary: (n: number, ids: unknown[]): string => `${n} customers have a negative monetary value after netting returns (e.g. ${ids.join(', ')}); they are kept and score lowest on M`,
};
