/**
 * The `segkit` command line. Each command lives in ./commands/<name>.ts and exports
 * `register(program)`; this file wires them and turns errors into one clear line.
 */
import { Command, CommanderError } from 'commander';
import { isSegkitError } from '../errors';
import { VERSION } from '../version';
import * as commands from './commands';
import { decorateCommands, programHelpText, usageHint } from './help';

let pipeGuarded = false;
/** `segkit … | head` closes stdout early: stop quietly instead of crashing with EPIPE. */
function exitQuietlyOnBrokenPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** The causes under an error (`new SegkitError(…, { cause })`), outermost first. */
function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  let c = e instanceof Error ? e.cause : undefined;
  while (c !== undefined && out.length < 5) {
    out.push(c);
    c = c instanceof Error ? c.cause : undefined;
  }
  return out;
}

function writeDetail(e: unknown): void {
  if (e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  for (const c of causes(e)) process.stderr.write(`Caused by: ${c instanceof Error ? (c.stack ?? c.message) : String(c)}\n`);
}

/**
 * The `segkit` program with every command registered. Usage errors print as one line like a
 * SegkitError's ("segkit rfm error: unknown option '--bogus'") followed by a hint.
 */
export function createProgram(): Command {
  let active = 'segkit'; // "segkit rfm" once commander dispatches to a command
  const program = new Command();
  program
    .name('segkit')
    .description('Customer segmentation: RFM, k-means with evidence for k, notebooks and reports.')
    .version(VERSION)
    .option('--verbose', 'print stack traces and extra detail on errors')
    .configureOutput({ outputError: (str, write) => write(`${active} ${str.replace(/\n\((Did you mean [^)\n]*)\)/, ' ($1)')}`) })
    .showHelpAfterError(usageHint())
    .allowExcessArguments(false)
    .exitOverride()
    .hook('preSubcommand', (_program, sub) => {
      active = `segkit ${sub.name()}`;
    });
  for (const register of Object.values(commands)) register(program);
  decorateCommands(program);
  program.addHelpText('after', programHelpText());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnBrokenPipe();
  const verbose = argv.includes('--verbose');
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode;
    }
    if (isSegkitError(e)) {
      process.stderr.write(e.toLine() + '\n');
      if (verbose) writeDetail(e);
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`segkit error: ${msg}\n`);
      if (verbose) writeDetail(e);
      else process.stderr.write('  Hint: this is unexpected; run again with --verbose for the stack trace\n');
    }
    return 1;
  }
}
