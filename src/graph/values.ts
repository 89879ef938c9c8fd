// Parsing of property and address values written in board documents: integers, hex, sizes with
// binary suffixes (K/M/G in 1024 units, as QEMU), frequencies.

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1024, kib: 1024,
  m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

const FREQUENCY_UNITS: Record<string, number> = { '': 1, hz: 1, khz: 1e3, mhz: 1e6, ghz: 1e9 };

/** Parse an integer written as a number or a string ("4096", "0x1000", "0b101", "-3"). */
export function parseInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/_/g, '');
  if (/^-?(0x[0-9a-f]+|0b[01]+|0o[0-7]+|[0-9]+)$/i.test(text)) {
    const negative = text.startsWith('-');
    const n = Number(negative ? text.slice(1) : text);
    return Number.isSafeInteger(n) ? (negative ? -n : n) : undefined;
  }
  return undefined;
}

function parseWithUnits(value: unknown, units: Record<string, number>): number | undefined {
  const plain = parseInteger(value);
  if (plain !== undefined) return plain;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(0x[0-9a-f]+|[0-9]+(?:\.[0-9]+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return undefined;
  const scale = units[m[2].toLowerCase()];
  if (scale === undefined) return undefined;
  const n = Number(m[1]) * scale;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parse a size: 4096, "0x1000", "64K", "128 MiB". Units are powers of 1024. */
export function parseSize(value: unknown): number | undefined {
  return parseWithUnits(value, SIZE_UNITS);
}

/** Parse a frequency: 10000000, "10 MHz". */
export function parseFrequency(value: unknown): number | undefined {
  return parseWithUnits(value, FREQUENCY_UNITS);
}

export function hex(n: number, digits = 8): string {
  return '0x' + (n >>> 0).toString(16).padStart(digits, '0');
}

/** A size for humans: 4 KiB, 64 MiB, 1.5 GiB, 100 B. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${Number.isInteger(n) ? n : n.toFixed(1)} ${units[i]}`;
}
