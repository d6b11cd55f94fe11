/** Text progress for long sweeps: a bar line for terminals and a live line for notebooks (`\r` rewrites it). */
import type { Progress } from '../errors';

/** `[██████░░░░░░] 12/40  30%  label` */
export function formatProgress(done: number, total: number, label = '', width = 24): string {
  const f = total > 0 ? Math.min(Math.max(done / total, 0), 1) : 1;
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${done}/${total} ${String(Math.round(f * 100)).padStart(3)}%${label ? `  ${label}` : ''}`;
}

/**
 * A Progress callback that keeps rewriting one line (`\r`), ending it when done: works in a terminal
 * (pass `s => process.stderr.write(s)`) and in Jupyter, whose output area honours `\r`.
 */
export function progressLine(write: (s: string) => void = (s) => process.stdout.write(s), width = 24): Progress {
  let last = '';
  return (done, total, label) => {
    const line = formatProgress(done, total, label, width);
    if (line === last) return;
    const pad = last.length > line.length ? ' '.repeat(last.length - line.length) : '';
    last = line;
    write(`\r${line}${pad}${done >= total ? '\n' : ''}`);
  };
}
