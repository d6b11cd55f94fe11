/** Source URLs, password redaction, identifier checks and value escaping: the pieces that keep SQL and secrets safe. */
import { describe, expect, it } from 'vitest';
import { chString, checkIdentifier, clickhouse, postgres } from '../../src/source/sql/dialect';
import { compactParams } from '../../src/source/postgres';
import { isSourceUrl, parseSourceUrl, redact } from '../../src/source/url';
import { checkNoSecrets } from '../../src/notebook/execute';

describe('parseSourceUrl', () => {
  it('reads PostgreSQL and ClickHouse URLs with their defaults', () => {
    expect(parseSourceUrl('postgres://ann@db.example:6543/shop?table=sales.lines', {})).toMatchObject({
      kind: 'postgres', host: 'db.example', port: 6543, user: 'ann', database: 'shop', table: 'sales.lines', label: 'postgres://ann@db.example:6543/shop?table=sales.lines',
    });
    expect(parseSourceUrl('clickhouse://ch1/analytics?table=tx', {})).toMatchObject({ kind: 'clickhouse', port: 8123, user: 'default', database: 'analytics', secure: false });
    expect(parseSourceUrl('clickhouses://ch1?table=tx', {})).toMatchObject({ port: 8443, secure: true, database: 'default' });
    expect(parseSourceUrl('postgresql://h?table=t', { PGUSER: 'bob' })).toMatchObject({ user: 'bob', database: 'postgres', port: 5432 });
  });

  it('takes the password from the URL or the environment, and never puts it in the label', () => {
    const a = parseSourceUrl('postgres://ann:pa%3Ass@h/db?table=t', {});
    expect(a.password).toBe('pa:ss');
    expect(a.label).toBe('postgres://ann@h:5432/db?table=t');
    expect(parseSourceUrl('postgres://ann@h/db?table=t', { PGPASSWORD: 'envpw' }).password).toBe('envpw');
    expect(parseSourceUrl('clickhouse://h/db?table=t', { CLICKHOUSE_PASSWORD: 'chpw' }).password).toBe('chpw');
  });

  it.each([
    ['no table', 'postgres://h/db', /names no table/],
    ['unknown scheme', 'mysql://h/db?table=t', /unknown source type "mysql"/],
    ['unknown option', 'postgres://h/db?table=t&sslmode=x', /unknown URL option "sslmode"/],
    ['a quote in the table', 'postgres://h/db?table=a%22b', /cannot be used/],
    ['a semicolon in the database', 'postgres://h/db%3Bdrop?table=t', /cannot be used/],
  ])('refuses %s with a clear error', (_, url, re) => {
    expect(() => parseSourceUrl(url, {})).toThrow(re);
  });

  it('an error about a URL never repeats its password', () => {
    try {
      parseSourceUrl('mysql://ann:TopSecret@h/db?table=t', {});
      expect.unreachable();
    } catch (e) {
      const err = e as { message: string; where: string; hint: string };
      expect(`${err.message} ${err.where} ${err.hint}`).not.toContain('TopSecret');
    }
  });

  it('tells URLs from file paths', () => {
    expect(isSourceUrl('postgres://h/db?table=t')).toBe(true);
    expect(isSourceUrl('ClickHouse://h?table=t')).toBe(true);
    expect(isSourceUrl('data/tx.csv')).toBe(false);
    expect(isSourceUrl('C:\\data\\tx.csv')).toBe(false);
  });

  it('redact removes passwords from any URL in a text, and a known password anywhere', () => {
    expect(redact('failed: postgres://ann:s3cr3t@h:5432/db and http://u:p@x/')).toBe('failed: postgres://ann:***@h:5432/db and http://u:***@x/');
    expect(redact('auth failed for s3cr3t', 's3cr3t')).toBe('auth failed for ***');
  });
});

describe('identifiers and values in SQL', () => {
  it.each(['a"b', "a'b", 'a`b', 'a;b', 'a--b', 'a/*b', 'a\\b', 'a\nb', 'a\u0000b', ''])('refuses the identifier %j', (name) => {
    expect(() => checkIdentifier(name, 'column name')).toThrow(expect.objectContaining({ code: 'bad_identifier' }));
  });

  it('quotes plain identifiers, spaces included', () => {
    expect(postgres.ident('Customer ID')).toBe('"Customer ID"');
    expect(clickhouse.ident('Customer ID')).toBe('`Customer ID`');
  });

  it('ClickHouse literals escape quotes, backslashes and control characters', () => {
    expect(chString("O'Brien\\x")).toBe("'O\\'Brien\\\\x'");
    expect(chString('a\nb\u0000')).toBe("'a\\x0ab\\x00'");
    expect(chString("'; DROP TABLE t; --")).toBe("'\\'; DROP TABLE t; --'");
  });

  it('PostgreSQL values are placeholders, never text in the SQL', () => {
    const p = postgres.params();
    const sql = `SELECT ${p.text("x'); DROP TABLE t; --")}, ${p.num(2.5)}`;
    expect(sql).toBe('SELECT CAST($1 AS text), CAST($2 AS double precision)');
    expect(p.values).toEqual(["x'); DROP TABLE t; --", 2.5]);
    expect(() => p.num(Number.NaN)).toThrow(/finite/);
  });

  it('compactParams keeps only the values a statement uses, renumbered, and leaves quoted $n alone', () => {
    expect(compactParams('SELECT $3, $1, $3', ['a', 'b', 'c'])).toEqual({ text: 'SELECT $1, $2, $1', values: ['c', 'a'] });
    expect(compactParams(`SELECT '$2', "col$1", $2`, ['a', 'b'])).toEqual({ text: `SELECT '$2', "col$1", $1`, values: ['b'] });
    expect(compactParams('SELECT 1', ['unused'])).toEqual({ text: 'SELECT 1', values: [] });
  });
});

describe('notebook parameters', () => {
  it('refuse a URL with a password (it would be saved in the executed notebook), in nested values too', () => {
    expect(() => checkNoSecrets({ source: 'postgres://ann:pw@h/db?table=t' })).toThrow(expect.objectContaining({ code: 'secret_in_parameter', where: 'parameter source' }));
    expect(() => checkNoSecrets({ cfg: { urls: ['clickhouse://u:p@h?table=t'] } })).toThrow(/cfg\.urls\[0\]/);
    expect(() => checkNoSecrets({ source: 'postgres://ann@h/db?table=t', input: 'data/x.csv', k: 4 })).not.toThrow();
  });
});
