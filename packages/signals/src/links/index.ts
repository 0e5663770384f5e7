// Shared infrastructure and temporal coordination between accounts: the
// account graph the farm stage builds on. See README.md in this folder.
export * from './link-params.js';
export * from './link-weights.js';
export * from './link-tables.js';
export * from './link-holdings.js';
export * from './account-links.js';
export * from './coordination-pairs.js';
export * from './account-handoffs.js';
export * from './links-stages.js';
export * from './link-carry.js';
