// Error classes that carry their exit code, so one place (the CLI) can map any
// failure to the documented exit status.
import { EXIT_BAD_INPUT, EXIT_INTERNAL } from './exit-codes.js';

export class FarmscopeError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = EXIT_INTERNAL, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FarmscopeError';
    this.exitCode = exitCode;
  }
}

/** The user's input (a file, a column, a scenario, an option value) is wrong. Exit code 2. */
export class InputError extends FarmscopeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_BAD_INPUT, options);
    this.name = 'InputError';
  }
}

/** The first line of a DuckDB error message, without its "LINE 1: ..." caret context. */
export function duckdbMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const cut = text.indexOf('\n\nLINE ');
  return (cut >= 0 ? text.slice(0, cut) : text).trim();
}

/** Exit code for any thrown value: our own errors carry one, anything else is internal. */
export function exitCodeOf(error: unknown): number {
  return error instanceof FarmscopeError ? error.exitCode : EXIT_INTERNAL;
}
