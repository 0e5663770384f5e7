// @farmscope/casefile: the case file (DuckDB), the data contract, errors and exit codes.
export * from './exit-codes.js';
export * from './errors.js';
export * from './sql.js';
export * from './byte-size.js';
export * from './contract.js';
export * from './plain-values.js';
export * from './case-file.js';
export * from './table-definitions.js';
export * from './output-folder.js';
