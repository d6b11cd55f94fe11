/**
 * Column mapping: which source column plays which role (customer, invoice, date, quantity, unit price,
 * amount, product, description, country).
 *
 * Roles are taken from, in order: positional roles (headerless files), explicit names, then detection
 * from known schemas — UCI Online Retail (InvoiceNo, UnitPrice, CustomerID), UCI Online Retail II
 * (Invoice, Price, "Customer ID") — and common lower/snake/camel-case names (customer_id, order_date, qty…).
 */
import { SegkitError, closest } from '../errors';
import type { ColumnMapping, Role } from '../types';

export const ROLES: readonly Role[] = ['customer', 'invoice', 'date', 'quantity', 'unitPrice', 'amount', 'product', 'description', 'country'];

/** CLI flag for each role (the CLI rewrites `columns: { role: 'NAME' }` in messages with these). */
export const ROLE_FLAGS: Record<Role, string> = {
  customer: '--customer-col',
  invoice: '--invoice-col',
  date: '--date-col',
  quantity: '--quantity-col',
  unitPrice: '--price-col',
  amount: '--amount-col',
  product: '--product-col',
  description: '--description-col',
  country: '--country-col',
};

/** Names recognised for each role, compared after lower-casing and removing everything but letters and digits. */
export const ROLE_SYNONYMS: Record<Role, readonly string[]> = {
  customer: ['customerid', 'customer', 'custid', 'customerno', 'customernumber', 'customercode', 'clientid', 'client', 'clientno', 'userid', 'memberid', 'accountid', 'buyerid', 'shopperid'],
  invoice: ['invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'orderid', 'order', 'orderno', 'ordernumber', 'transactionid', 'transactionno', 'receiptid', 'receiptno', 'basketid', 'billno', 'ticketid'],
  date: ['invoicedate', 'date', 'orderdate', 'transactiondate', 'purchasedate', 'datetime', 'timestamp', 'saledate', 'txdate', 'transactiontime', 'ordertime', 'createdat', 'time'],
  quantity: ['quantity', 'qty', 'units', 'quantityordered', 'unitssold', 'itemcount', 'nitems', 'numitems'],
  unitPrice: ['unitprice', 'price', 'priceeach', 'unitcost', 'itemprice', 'priceperunit', 'saleprice'],
  amount: ['amount', 'lineamount', 'linetotal', 'totalprice', 'total', 'sales', 'revenue', 'salesamount', 'totalamount', 'value', 'spend', 'netamount', 'monetary'],
  product: ['stockcode', 'productid', 'product', 'productcode', 'sku', 'itemid', 'item', 'itemcode', 'articleid', 'article'],
  description: ['description', 'productname', 'itemname', 'productdescription', 'itemdescription'],
  country: ['country', 'countryname', 'countrycode', 'nation'],
};

/** Known exports, recognised by their exact column names. */
export const KNOWN_SCHEMAS: ReadonlyArray<{ name: string; mapping: ColumnMapping }> = [
  {
    name: 'UCI Online Retail',
    mapping: { invoice: 'InvoiceNo', product: 'StockCode', description: 'Description', quantity: 'Quantity', date: 'InvoiceDate', unitPrice: 'UnitPrice', customer: 'CustomerID', country: 'Country' },
  },
  {
    name: 'UCI Online Retail II',
    mapping: { invoice: 'Invoice', product: 'StockCode', description: 'Description', quantity: 'Quantity', date: 'InvoiceDate', unitPrice: 'Price', customer: 'Customer ID', country: 'Country' },
  },
];

export const normName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** True when `name` is a recognised name for some role. */
export function isKnownColumnName(name: string): boolean {
  const n = normName(name);
  return ROLES.some((r) => ROLE_SYNONYMS[r].includes(n));
}

/** Role → column, where `null` means "this role is absent, do not detect it". */
export type ColumnsOption = Partial<Record<Role, string | null>>;

/** Accepted spellings of roles in positional lists (`--columns customer,date,qty,amount`); `_`/`skip` ignores a column. */
export function parseRoleName(s: string, where: string): Role | null {
  const n = normName(s);
  if (n === '' || n === 'skip' || n === 'ignore' || n === 'none') return null;
  const aliases: Record<string, Role> = {
    customer: 'customer', customerid: 'customer', cust: 'customer', invoice: 'invoice', order: 'invoice', orderid: 'invoice',
    date: 'date', datetime: 'date', quantity: 'quantity', qty: 'quantity', unitprice: 'unitPrice', price: 'unitPrice',
    amount: 'amount', total: 'amount', product: 'product', stockcode: 'product', sku: 'product', description: 'description',
    country: 'country',
  };
  const r = aliases[n];
  if (!r) {
    throw new SegkitError('io', 'unknown_role', `unknown column role "${s}"`, {
      where,
      hint: `use roles from: ${ROLES.join(', ')} (or "_" to skip a column); did you mean ${closest(s, Object.keys(aliases), 2).join(' or ')}?`,
    });
  }
  return r;
}

export interface MappingResult {
  mapping: ColumnMapping;
  /** The known schema recognised, if any. */
  schema?: string;
}

/** A column name for a message: control characters escaped, at most 40 characters. */
function shorten(name: string): string {
  const safe = name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return safe.length > 40 ? `${safe.slice(0, 37)}…` : safe;
}

/** The columns of a file for a message: each shortened, at most 30 of them. */
function listColumns(found: string[]): string {
  const shown = found.slice(0, 30).map(shorten).join(', ');
  return found.length > 30 ? `${shown}, … (${found.length.toLocaleString('en-GB')} columns in all)` : shown;
}

/**
 * Resolve the role → column mapping for a file whose columns are `found`.
 *
 * @param explicit role → column name given by the user (`null` to mark a role absent)
 * @param positional roles by column position (headerless files); `null` entries skip a column
 * @param file used in error messages
 * @throws SegkitError 'column_not_found' (an explicit name that is not in the file, with suggestions),
 *   'missing_column' (a required role not found: customer, date, and a price or amount),
 *   'duplicate_role' (one column mapped to two roles)
 */
export function resolveMapping(found: string[], explicit: ColumnsOption = {}, positional: Array<Role | null> | undefined, file: string): MappingResult {
  const mapping: ColumnMapping = {};
  let schema: string | undefined;
  if (positional) {
    if (positional.length !== found.length) {
      // fewer roles than columns would silently leave the last columns out, and usually means a role is missing in the middle
      throw new SegkitError('io', 'positional_mismatch', `${positional.length} positional roles were given (${positional.map((r) => r ?? '_').join(',')}) but the file has ${found.length} columns`, {
        where: `${file}, positional roles (option columns)`,
        hint: `give exactly ${found.length} roles, one per column in order, "_" for a column to skip${positional.length < found.length ? ` (e.g. add ${',_'.repeat(found.length - positional.length).slice(1)} at the end to skip the last ${found.length - positional.length})` : ''}`,
      });
    }
    const twice = positional.find((r, i) => r !== null && positional.indexOf(r) !== i);
    if (twice) {
      throw new SegkitError('io', 'duplicate_role', `the role "${twice}" is given twice in the positional roles (${positional.map((r) => r ?? '_').join(',')})`, {
        where: `${file}, positional roles (option columns)`,
        hint: 'give each role once; "_" skips a column',
      });
    }
    positional.forEach((r, i) => {
      if (r) mapping[r] = found[i];
    });
  }
  for (const [role, col] of Object.entries(explicit) as Array<[Role, string | null | undefined]>) {
    if (col === undefined) continue;
    if (col === null || col === '') {
      delete mapping[role];
      continue;
    }
    if (!found.includes(col)) {
      const ci = found.find((f) => f.toLowerCase() === col.toLowerCase());
      const near = ci ? [ci] : closest(col, found, 3);
      throw new SegkitError('io', 'column_not_found', `column "${shorten(col)}" (given for ${role}) is not in the file; columns found: ${listColumns(found)}`, {
        where: file,
        hint: `did you mean ${near.map((n) => `"${n}"`).join(' or ')}? Pass columns: { ${role}: '${near[0]}' }`,
      });
    }
    mapping[role] = col;
  }
  if (!positional) {
    const used = new Set(Object.values(mapping));
    const known = KNOWN_SCHEMAS.find((s) => Object.values(s.mapping).every((c) => found.includes(c as string)));
    if (known) schema = known.name;
    for (const role of ROLES) {
      if (mapping[role] || explicit[role] === null) continue;
      let col: string | undefined = known?.mapping[role];
      if (col && used.has(col)) col = undefined;
      if (!col) {
        // synonyms in order of preference: the first synonym that matches a column wins
        for (const syn of ROLE_SYNONYMS[role]) {
          col = found.find((f) => normName(f) === syn && !used.has(f));
          if (col) break;
        }
      }
      if (col) {
        mapping[role] = col;
        used.add(col);
      }
    }
  }
  const seen = new Map<string, Role>();
  for (const [role, col] of Object.entries(mapping) as Array<[Role, string]>) {
    const prev = seen.get(col);
    if (prev) {
      throw new SegkitError('io', 'duplicate_role', `column "${col}" is mapped to both ${prev} and ${role}`, {
        where: file,
        hint: `map each role to its own column: columns: { ${prev}: 'NAME', ${role}: 'OTHER' }`,
      });
    }
    seen.set(col, role);
  }
  const missing = (role: Role, what: string): never => {
    const guess = closest(what.split(' ')[0], found, 3);
    const unsplit = found.length === 1 ? [',', ';', '\t', '|'].find((d) => found[0].includes(d)) : undefined;
    const headerless = !positional && found.length > 0 && found.every((f) => /^column_\d+$/.test(f));
    throw new SegkitError('io', 'missing_column', `no ${what} column found; columns found: ${listColumns(found)}`, {
      where: file,
      hint: positional
        ? `include "${role}" in the positional roles (option columns), one role per column`
        : unsplit
          ? `the header was not split into columns, yet it holds ${unsplit === '\t' ? 'tabs' : `"${unsplit}"`}: pass it with delimiter (CLI --delimiter ${unsplit === '\t' ? 'tab' : unsplit === ';' ? 'semicolon' : unsplit === '|' ? 'pipe' : 'comma'})`
          : headerless
            ? `the file has no header line: give one role per column, in order, with columns (CLI --columns customer,_,date,…)`
            : `name the column with columns: { ${role}: 'NAME' }; perhaps ${guess.map((g) => `"${g}"`).join(' or ')}?`,
    });
  };
  if (!mapping.customer) missing('customer', 'customer id');
  if (!mapping.date) missing('date', 'date');
  if (!mapping.unitPrice && !mapping.amount) missing(mapping.quantity ? 'unitPrice' : 'amount', mapping.quantity ? 'unit price (or line amount)' : 'amount (or unit price)');
  return { mapping, schema };
}
