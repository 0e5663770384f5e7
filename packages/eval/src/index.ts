// @farmscope/eval: scores an investigation's output against ground truth.
export {};
