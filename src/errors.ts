/**
 * One error type for everything segkit refuses to do, and one swappable sink for warnings.
 *
 * Throw a {@link SegkitError} when going on would give wrong numbers. Warn (and count) when a
 * row can be dropped or a value adjusted with an honest record of it.
 */

/** The pipeline stage an error or warning comes from. */
export type Stage =
  | 'io'
  | 'clean'
  | 'eda'
  | 'rfm'
  | 'migrate'
  | 'features'
  | 'cluster'
  | 'select-k'
  | 'profile'
  | 'model'
  | 'charts'
  | 'report'
  | 'notebook'
  | 'cli'
  | 'generate'
  | 'clv';

export interface SegkitErrorOptions {
  /** Where the problem is: file, column, row, parameter. */
  where?: string;
  /** How to fix it, as an instruction to the user. */
  hint?: string;
  cause?: unknown;
}

export class SegkitError extends Error {
  readonly code: string;
  readonly stage: Stage;
  readonly where?: string;
  readonly hint?: string;

  constructor(stage: Stage, code: string, message: string, options: SegkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SegkitError';
    this.stage = stage;
    this.code = code;
    this.where = options.where;
    this.hint = options.hint;
  }

  /** One line for a terminal: `[stage/code] message (where) Hint: …`. */
  toLine(): string {
    const where = this.where ? ` (${this.where})` : '';
    const hint = this.hint ? `\n  Hint: ${this.hint}` : '';
    return `segkit ${this.stage} error [${this.code}]: ${this.message}${where}${hint}`;
  }
}

export function isSegkitError(e: unknown): e is SegkitError {
  return e instanceof SegkitError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'SegkitError');
}

/** A warning: something went on with a record of it (rows dropped, a value clamped, a sample taken). */
export interface SegkitWarning {
  stage: Stage;
  code: string;
  message: string;
}

export type WarningSink = (w: SegkitWarning) => void;

let sink: WarningSink = (w) => {
  process.stderr.write(`segkit ${w.stage} warning [${w.code}]: ${w.message}\n`);
};

/** Replace where warnings go (the CLI collects them for the report; tests capture them). Returns the previous sink. */
export function setWarningSink(next: WarningSink): WarningSink {
  const prev = sink;
  sink = next;
  return prev;
}

/** Emit a warning and return it, so a stage can also keep it in its own result. */
export function warn(stage: Stage, code: string, message: string): SegkitWarning {
  const w = { stage, code, message };
  sink(w);
  return w;
}

/** Closest names to `name` among `candidates` (case-insensitive edit distance, at most `maxDistance` edits), for "did you mean" hints. */
export function closest(name: string, candidates: readonly string[], max = 3, maxDistance = Infinity): string[] {
  const a = name.toLowerCase();
  const dist = (b: string): number => {
    const m = a.length;
    const n = b.length;
    const d = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
    for (let j = 1; j <= n; j++) d[0][j] = j;
    for (let i = 1; i <= m; i++) {
      for (let j = 1; j <= n; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return d[m][n];
  };
  return [...candidates]
    .map((c) => ({ c, d: dist(c.toLowerCase()) }))
    .filter((x) => x.d <= maxDistance)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** Progress callback used by long stages: `done` of `total` units, with an optional label. */
export type Progress = (done: number, total: number, label?: string) => void;
