/**
 * Help text shared by the CLI: the "Examples:" block every command ends its help with, the
 * one-line summaries of `segkit --help`'s command list, and the hint printed after a usage error.
 */
import type { Command } from 'commander';

/** An "Examples:" block for `.addHelpText('after', …)`: each line is a command without the `$ `. */
export function examples(lines: readonly string[], notes: readonly string[] = []): string {
  return ['', 'Examples:', ...lines.map((l) => `  $ ${l}`), ...(notes.length ? ['', ...notes] : [])].join('\n') + '\n';
}

/**
 * Short summaries for the command list of `segkit --help` (a command's own `--help` shows its full
 * description). Commands not listed here fall back to their description.
 */
export const SUMMARIES: Readonly<Record<string, string>> = {
  run: 'run a notebook with parameters (papermill-style) and save the executed copy',
  inspect: 'list the parameters a notebook declares (name, type, default, description)',
  report: 'the whole analysis → HTML + PDF report and a per-customer CSV',
  eda: 'explore a transactions file: tables (CSV), charts (SVG) and one HTML page',
  rfm: 'recency, frequency, monetary per customer, scores and named segments',
  assign: 'score new customers with a saved segment model',
  generate: 'write seeded synthetic transactions (sample data, benchmarks)',
  load: 'load a transactions file into a PostgreSQL or ClickHouse table (for --source)',
  migrate: 'who moved between segments from one date to another: matrix, moves, flows, movers CSV',
  clv: 'customer lifetime value: BG/NBD + Gamma-Gamma, with an optional holdout check',
};

/** The examples of `segkit --help`: one typical line per command, in the order of an analysis. */
export const PROGRAM_EXAMPLES: readonly string[] = [
  'segkit generate --out data/sample_transactions.csv --customers 2000 --rows 40000',
  'segkit eda --input data/sample_transactions.csv --out-dir reports/eda',
  'segkit rfm --input data/sample_transactions.csv --out reports/rfm.csv',
  'segkit report --input data/sample_transactions.csv --k auto --out-dir reports',
  "segkit load --input data/sample_transactions.csv --source 'postgres://seg@127.0.0.1:5432/shop?table=tx'",
  "segkit report --source 'postgres://seg@127.0.0.1:5432/shop?table=tx'",
  'segkit migrate --input data/sample_transactions.csv --as-of 2011-06-30 --as-of 2011-12-10 --out reports/movers.csv',
  'segkit clv --input data/sample_transactions.csv --horizon 12 --out reports/clv.csv',
  'segkit inspect notebooks/segmentation.ipynb',
  'segkit run notebooks/segmentation.ipynb -p k 5 -p name k5 -o reports/k5.ipynb --html --report-mode',
  'segkit assign --model model.json --recency 34 --frequency 5 --monetary 660',
];

/** The text after `segkit --help`'s option and command lists. */
export function programHelpText(): string {
  return examples(PROGRAM_EXAMPLES, [
    'Run "segkit <command> --help" for the options and examples of one command.',
    'Errors print one line ("segkit <stage> error [code]: …") and a hint, and exit with code 1;',
    'add --verbose for the stack trace.',
  ]);
}

/** The hint printed after a usage error of `command` (unknown option, missing value, …). */
export function usageHint(command?: string): string {
  const name = command ? `segkit ${command}` : 'segkit';
  return `  Hint: run "${name} --help" for the options and examples`;
}

/** Give every subcommand of `program` its summary and its own usage hint. */
export function decorateCommands(program: Command): void {
  for (const cmd of program.commands) {
    const summary = SUMMARIES[cmd.name()];
    if (summary && !cmd.summary()) cmd.summary(summary);
    cmd.showHelpAfterError(usageHint(cmd.name()));
  }
}
