import { describe, expect, it } from 'vitest';
import { formatSize, parseFrequency, parseInteger, parseSize } from './values.ts';

describe('values', () => {
  it('parses integers in decimal, hex, binary, with underscores', () => {
    expect(parseInteger(42)).toBe(42);
    expect(parseInteger('0x8000_0000')).toBe(0x80000000);
    expect(parseInteger('0b101')).toBe(5);
    expect(parseInteger('-3')).toBe(-3);
    expect(parseInteger('12abc')).toBeUndefined();
    expect(parseInteger(1.5)).toBeUndefined();
    expect(parseInteger(true)).toBeUndefined();
  });

  it('parses sizes in 1024 units', () => {
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('128M')).toBe(128 * 1024 * 1024);
    expect(parseSize('1 GiB')).toBe(1024 ** 3);
    expect(parseSize('0x1000')).toBe(4096);
    expect(parseSize('1.5K')).toBe(1536);
    expect(parseSize('12 parsecs')).toBeUndefined();
  });

  it('parses frequencies', () => {
    expect(parseFrequency('10 MHz')).toBe(10_000_000);
    expect(parseFrequency(32768)).toBe(32768);
  });

  it('formats sizes for humans', () => {
    expect(formatSize(4096)).toBe('4 KiB');
    expect(formatSize(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(100)).toBe('100 B');
  });
});
