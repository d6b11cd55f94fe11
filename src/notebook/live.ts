/**
 * One progress line, updated in place: in a notebook it is a display replaced by each update (the
 * saved notebook keeps the last state, e.g. "k sweep: 40/40 in 16.2 s"); in a terminal it is a line
 * on stderr rewritten with `\r`. Elsewhere (a pipe, a log file) nothing is written.
 *
 * The line appears only once a step has run for `delayMs`, so quick steps stay silent. Updates are
 * written synchronously, so they reach the notebook while a long synchronous step (a k sweep) runs.
 */
import { liveDisplay, type LiveDisplay } from './kernel';

export interface LiveLineOptions {
  /** Stay silent until the step has run this long. Default 1500 ms ("steps over a couple of seconds"), or $SEGKIT_PROGRESS_DELAY_MS. */
  delayMs?: number;
  /** Least time between two updates. Default 200 ms (the final line is always written). */
  intervalMs?: number;
  /** Where a terminal line goes. Default process.stderr (only when it is a TTY). */
  stream?: NodeJS.WriteStream;
  /** Show the line from the first update (e.g. a long file read, which cannot report while it runs). */
  immediate?: boolean;
}

export const LIVE_DEFAULTS = { delayMs: 1500, intervalMs: 200 } as const;

/** A line that can be updated and finished. */
export interface LiveLine {
  /** The line's text now (elapsed time is appended). */
  update(text: string): void;
  /** The final text; written only if the line was shown. */
  done(text: string): void;
  /** Seconds since the line was made. */
  seconds(): number;
}

/** Where a live line can go here, or null when nowhere (not a notebook, not a terminal). */
export function liveLine(options: LiveLineOptions = {}): LiveLine | null {
  const fromEnv = Number(process.env.SEGKIT_PROGRESS_DELAY_MS);
  const o = { ...LIVE_DEFAULTS, ...(process.env.SEGKIT_PROGRESS_DELAY_MS && fromEnv >= 0 ? { delayMs: fromEnv } : {}), ...options };
  const stream = o.stream ?? process.stderr;
  const display: LiveDisplay | null = liveDisplay();
  if (!display && !stream.isTTY) return null;
  const t0 = performance.now();
  let shown = false;
  let last = 0;
  let width = 0;
  const seconds = (): number => (performance.now() - t0) / 1000;
  const write = (text: string, final: boolean): void => {
    if (display) display.update({ data: { 'text/plain': text } });
    else {
      const pad = width > text.length ? ' '.repeat(width - text.length) : '';
      width = text.length;
      stream.write(`\r${text}${pad}${final ? '\n' : ''}`);
    }
  };
  return {
    update(text) {
      const now = performance.now();
      if (!shown && !o.immediate && now - t0 < o.delayMs) return;
      if (shown && now - last < o.intervalMs) return;
      shown = true;
      last = now;
      write(`${text}  ${seconds().toFixed(1)} s`, false);
    },
    done(text) {
      if (shown) write(text, true);
    },
    seconds,
  };
}
