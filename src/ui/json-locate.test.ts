import { describe, expect, it } from 'vitest';
import { locatePointer, pointerRanges } from './json-locate';

const text = `{
  "name": "x",
  "objects": { "cpu0": { "type": "rv32", "props": { "a/b": 1 } } },
  "memory": [ { "map": "ram.mem", "at": "0x80000000" }, true ]
}`;

const at = (pointer: string) => {
  const range = locatePointer(text, pointer);
  return range && text.slice(range.start, range.end);
};

describe('locatePointer', () => {
  it('finds members from key to value end, array items and the whole document', () => {
    expect(at('/name')).toBe('"name": "x"');
    expect(at('/objects/cpu0/type')).toBe('"type": "rv32"');
    expect(at('/memory/0/at')).toBe('"at": "0x80000000"');
    expect(at('/memory/1')).toBe('true');
    expect(at('/objects/cpu0/props/a~1b')).toBe('"a/b": 1');
    expect(at('')).toBe(text);
  });

  it('falls back to the nearest existing ancestor', () => {
    expect(at('/objects/cpu0/props/missing')).toBe('"props": { "a/b": 1 }');
    expect(at('/irqs/0/from')).toBe(text);
  });

  it('keeps what it scanned before a syntax error', () => {
    const broken = '{ "name": "x", "objects": { "cpu0": { "type": "rv32" }, oops } }';
    expect(pointerRanges(broken).has('/objects/cpu0/type')).toBe(true);
    expect(locatePointer(broken, '/objects/cpu0')).not.toBeNull();
    expect(locatePointer('not json', '/x')).toBeNull();
  });
});
