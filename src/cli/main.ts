/**
 * The `segkit` command line. Each command lives in ./commands/<name>.ts and exports
 * `register(program)`; this file wires them and turns errors into one clear line.
 */
import { protectInputs } from '../io/inputs';
import { terminalSafe } from './safe-text';
import { Command, CommanderError } from 'commander';
import { isSegkitError, setWarningSink, type SegkitError } from '../errors';
import { VERSION } from '../version';
import * as commands from './commands';
import { decorateCommands, programHelpText, usageHint } from './help';
import { cliError, cliText } from './wording';

/** The command commander dispatched to (for rewording option names as its flags). */
let activeCommand: Command | undefined;

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
      activeCommand = sub;
    });
  for (const register of Object.values(commands)) register(program);
  decorateCommands(program);
  program.addHelpText('after', programHelpText());
  return program;
}

/**
 * Run the program. Warnings are printed as they come, worded with the command's flags; an error ends the
 * output: it is always the last thing printed, set apart by a blank line when anything came before it
 * on stderr (warnings, progress), so it is never lost among warnings.
 */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnBrokenPipe();
  protectInputs();
  const verbose = argv.includes('--verbose');
  activeCommand = undefined;
  const program = createProgram();
  let printed = false;
  const stderrWrite = process.stderr.write;
  process.stderr.write = function (this: NodeJS.WriteStream, ...args: Parameters<typeof stderrWrite>) {
    printed = true;
    return stderrWrite.apply(this, args);
  } as typeof stderrWrite;
  const prevSink = setWarningSink((w) => {
    process.stderr.write(`${terminalSafe(`segkit ${w.stage} warning [${w.code}]: ${cliText(w.message, activeCommand)}`)}\n`);
  });
  const errorBlock = (text: string): void => {
    const sep = printed ? '\n' : '';
    process.stderr.write(`${sep}${terminalSafe(text)}\n`);
  };
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode;
    }
    if (isSegkitError(e)) {
      errorBlock(cliError(e as SegkitError, activeCommand).toLine());
      if (verbose) writeDetail(e);
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      errorBlock(`segkit error: ${msg}${verbose ? '' : '\n  Hint: this is unexpected; run again with --verbose for the stack trace'}`);
      if (verbose) writeDetail(e);
    }
    return 1;
  } finally {
    setWarningSink(prevSink);
    process.stderr.write = stderrWrite;
  }
}
