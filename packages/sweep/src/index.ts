// @farmscope/sweep: a synthetic scenario replayed end to end against its truth,
// and sweeps of one scenario knob (the replay-and-compare notebook's engine).
export * from './replay-scenario.js';
export * from './sweep-scenario.js';
