import { describe, expect, it } from 'vitest';
import { addressHint, lookupAddress, resolveBoard, type ResolvedBoard } from './index.ts';

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** The hello board with its UART moved to 0x10001000, where hello.elf does not look for it. */
const movedUart = () =>
  resolved({
    boardlab: 1,
    name: 'moved',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
      ram: { type: 'ram', props: { size: '128M' } },
      uart0: { type: 'ns16550a' },
      test: { type: 'sifive-test' },
      fb: { type: 'framebuffer', props: { width: 16, height: 16 } },
    },
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10001000' },
      { map: 'fb.vram', at: '0x20001000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
  });

describe('addressHint', () => {
  it('names the nearest mapped region when nothing is mapped at the address', () => {
    expect(addressHint(movedUart(), 0x1000_0000)).toBe('nothing is mapped at 0x10000000; uart0 is at 0x10001000–0x100010ff');
  });

  it('names the region that ends just below an address past its end', () => {
    expect(addressHint(movedUart(), 0x8800_0000)).toBe('nothing is mapped at 0x88000000; ram is at 0x80000000–0x87ffffff');
  });

  it('names both neighbours when they are about as close', () => {
    // 0x10000800 lies between the finisher (ends 0x100fff) and the UART: the UART is far nearer.
    // 0x50000000 lies between the framebuffer (ends 0x200013ff) and RAM (0x80000000), each about as far.
    expect(lookupAddress(movedUart(), 0x1000_0800).nearest.map((s) => s.mapping.object)).toEqual(['/machine/uart0']);
    expect(addressHint(movedUart(), 0x5000_0000)).toMatch(/^nothing is mapped at 0x50000000; fb is at 0x20001000–0x200013ff, ram is at 0x80000000–0x87ffffff$/);
  });

  it('says which region holds a mapped address', () => {
    expect(addressHint(movedUart(), 0x1000_1005)).toBe('0x10001005 is in uart0 (0x10001000–0x100010ff)');
    expect(addressHint(movedUart(), 0x2000_1004)).toMatch(/^0x20001004 is in fb \(0x20001000–/);
    expect(lookupAddress(movedUart(), 0x1000_1005).mapped?.mapping.object).toBe('/machine/uart0');
  });

  it('says when an address space maps nothing at all', () => {
    const empty = resolved({ boardlab: 1, name: 'empty', objects: {} });
    expect(addressHint(empty, 0x1000)).toBe('nothing is mapped at 0x00001000; the board maps no memory');
  });
});
