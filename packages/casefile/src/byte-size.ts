// Parsing and printing of byte sizes ("4GiB", "512MB", "60%") for memory options.
import { totalmem } from 'node:os';
import { InputError } from './errors.js';

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40,
};

/** Bytes from "4GiB", "512MB", "1.5g", "60%" (of physical memory) or a plain number of bytes. */
export function parseByteSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z%]*)\s*$/.exec(text);
  if (m) {
    const value = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    if (unit === '%' && value > 0 && value <= 100) return Math.floor((totalmem() * value) / 100);
    const scale = unit === '' ? 1 : UNITS[unit];
    if (scale !== undefined && value > 0) return Math.floor(value * scale);
  }
  throw new InputError(`invalid ${what}: "${text}" (expected e.g. 4GiB, 512MB or 60%)`);
}

/** "3.2 GiB"-style text for a byte count. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${i === 0 ? value : value.toFixed(1)} ${units[i]}`;
}
