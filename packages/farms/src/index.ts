// @farmscope/farms: farm reconstruction and distillation scoring over the signal tables.
export {};
