/**
 * The `segkit` command line. Each command lives in ./commands/<name>.ts and exports
 * `register(program)`; this file wires them and turns errors into one clear line.
 */
import { Command, CommanderError } from 'commander';
import { isSegkitError } from '../errors';
import { VERSION } from '../version';
import * as commands from './commands';

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('segkit')
    .description('Customer segmentation: RFM, k-means with evidence for k, notebooks and reports.')
    .version(VERSION)
    .option('--verbose', 'print stack traces and extra detail on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of Object.values(commands)) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode;
    }
    const verbose = argv.includes('--verbose');
    if (isSegkitError(e)) {
      process.stderr.write(e.toLine() + '\n');
      if (verbose && e.stack) process.stderr.write(e.stack + '\n');
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`segkit: ${msg}\n`);
      if (verbose && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
      else process.stderr.write('  (run with --verbose for details)\n');
    }
    return 1;
  }
}
