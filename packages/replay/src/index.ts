// @farmscope/replay (index left by the sweep helper when it moved its scenario sweeps to packages/sweep).
export * from './replay.js';
