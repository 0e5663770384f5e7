// Byte-stable JSON for investigate's hashed outputs; lives in @farmscope/report, which writes the reports too.
export { canonicalJson } from '@farmscope/report';
