/**
 * Text from the data reaches the terminal inside messages (a bad value, a file name, a column name).
 * `terminalSafe` makes a message safe to print: control characters (escape sequences, BEL, NUL, CR) and
 * bidirectional overrides are shown escaped (`\x1b`, `\u202e`) instead of acting on the terminal, long
 * quoted values are cut to an excerpt with their length, and a line stays at most a few thousand
 * characters (its start and its end, where a message names the place, are kept).
 */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
/** Quoted values longer than this are cut to an excerpt. */
export const MAX_QUOTED = 120;
/** Lines longer than this keep their start and end. */
export const MAX_LINE = 3000;

const escape = (c: string): string => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** `text` with control characters escaped (newlines and tabs kept), long quoted values and long lines cut. */
export function terminalSafe(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let l = line.replace(CONTROL, escape);
      l = l.replace(/"([^"\n]{121,})"/g, (_m, v: string) => `"${v.slice(0, MAX_QUOTED - 20)}…" (${v.length.toLocaleString('en-GB')} characters)`);
      if (l.length > MAX_LINE) l = `${l.slice(0, MAX_LINE / 2)} … (${(l.length - MAX_LINE).toLocaleString('en-GB')} characters left out) … ${l.slice(-MAX_LINE / 2)}`;
      return l;
    })
    .join('\n');
}
