// SHA-256 and size of a file for the manifest; lives in @farmscope/report, whose evidence package hashes files too.
export { digestFile, type FileDigest } from '@farmscope/report';
