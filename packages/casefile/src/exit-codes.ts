// The process exit codes every farmscope command uses (documented in the README).
export const EXIT_OK = 0;
/** A bug or an unexpected failure inside farmscope or DuckDB. */
export const EXIT_INTERNAL = 1;
/** Bad usage (unknown option, bad value) or bad input data (missing file, missing column, ...). */
export const EXIT_BAD_INPUT = 2;
