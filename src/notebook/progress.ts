/**
 * Progress of a notebook run, as events for callers and as one human line per event for the CLI.
 */

/** What {@link executeNotebook}'s `onProgress` receives. */
export type ProgressEvent =
  | { kind: 'kernel'; elapsedMs: number }
  | { kind: 'cell-start'; index: number; ordinal: number; total: number; firstLine: string }
  | {
      kind: 'cell-done';
      /** Index of the cell in the notebook that ran (parameters injected, no banner). */
      index: number;
      /** 1-based number among the code cells, and their count. */
      ordinal: number;
      total: number;
      /** This cell's run time, and the time since the run started. */
      elapsedMs: number;
      totalMs: number;
      status: 'ok' | 'error';
      firstLine: string;
    };

/** Shorten `s` to `max` characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/**
 * One progress line, e.g. `[3/12] 1.2s  const tx = await seg.readTran…` (a finished cell),
 * `[kernel] 2.9s  tslab ready`; null for events not worth a line (cell starts).
 */
export function formatProgress(e: ProgressEvent, width = 60): string | null {
  if (e.kind === 'kernel') return `[kernel] ${(e.elapsedMs / 1000).toFixed(1)}s  tslab ready`;
  if (e.kind === 'cell-start') return null;
  const mark = e.status === 'error' ? '  ✗ failed' : '';
  return `[${e.ordinal}/${e.total}] ${(e.elapsedMs / 1000).toFixed(1)}s  ${truncate(e.firstLine, width)}${mark}`;
}

/** The line of a cell still running, e.g. `[3/12] 4.0s  const sweep = seg.sweepK(… (running)`. */
export function formatRunning(e: Extract<ProgressEvent, { kind: 'cell-start' }>, elapsedMs: number, width = 60): string {
  return `[${e.ordinal}/${e.total}] ${(elapsedMs / 1000).toFixed(1)}s  ${truncate(e.firstLine, width)} (running)`;
}

/**
 * An `onProgress` for a terminal: one line per finished cell and, on a TTY, the running cell's line
 * updated in place every second (its time so far) until it finishes. Returns the callback and `stop`.
 */
export function progressWriter(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let width = 0;
  const put = (line: string, final: boolean): void => {
    if (!stream.isTTY) {
      if (final) stream.write(line + '\n');
      return;
    }
    const pad = width > line.length ? ' '.repeat(width - line.length) : '';
    width = final ? 0 : line.length;
    stream.write(`\r${line}${pad}${final ? '\n' : ''}`);
  };
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const onProgress = (e: ProgressEvent): void => {
    if (e.kind === 'cell-start') {
      stop();
      if (!stream.isTTY) return;
      const t0 = Date.now();
      put(formatRunning(e, 0), false);
      timer = setInterval(() => put(formatRunning(e, Date.now() - t0), false), 1000);
      timer.unref();
      return;
    }
    stop();
    const line = formatProgress(e);
    if (line) put(line, true);
  };
  return { onProgress, stop };
}
