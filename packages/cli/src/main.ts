// Entry point: builds the program, runs it, and maps every failure to the
// documented exit codes (0 ok, 1 internal error, 2 bad usage or bad input).
import { CommanderError } from 'commander';
import { EXIT_BAD_INPUT, EXIT_OK, exitCodeOf, FarmscopeError } from '@farmscope/casefile';
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<number> {
  // `farmscope ... | head` closes stdout early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    // A command may finish its output and still report failure (e.g. a file that did not load).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version).
      return error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`farmscope: error: ${message}\n`);
    if (!(error instanceof FarmscopeError) || process.env.FARMSCOPE_DEBUG) {
      if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    }
    return code;
  }
}
