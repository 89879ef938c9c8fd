import { describe, expect, it } from 'vitest';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { serialRouting } from './serial-streams.ts';

function resolve(document: unknown): ResolvedBoard {
  const result = parseBoard(JSON.stringify(document));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** A hart with uart0 in its space, a Cortex-M3 with m3uart in its own, both with RAM. */
function amp(options: { m3Semihosting?: boolean; m3Uart?: boolean } = {}) {
  return resolve({
    boardlab: 1,
    name: 'amp',
    objects: {
      hart: { type: 'rv32', props: { 'address-space': 'hart' } },
      m3: { type: 'cortex-m3', props: { 'address-space': 'm3', semihosting: options.m3Semihosting ?? false } },
      ram: { type: 'ram', props: { size: '64K' } },
      code: { type: 'ram', props: { size: '64K' } },
      uart0: { type: 'ns16550a' },
      ...(options.m3Uart !== false && { m3uart: { type: 'cmsdk-apb-uart' } }),
    },
    memory: [
      { map: 'ram.mem', at: '0x80000000', space: 'hart' },
      { map: 'uart0.regs', at: '0x10000000', space: 'hart' },
      { map: 'code.mem', at: '0x0', space: 'm3' },
      ...(options.m3Uart !== false ? [{ map: 'm3uart.regs', at: '0x40004000', space: 'm3' }] : []),
    ],
  });
}

describe('serialRouting', () => {
  it('gives every UART its own ring, in board order', () => {
    const { streams, ringOf } = serialRouting(amp(), ['/machine/uart0', '/machine/m3uart']);
    expect(streams).toEqual([
      { ring: 0, path: '/machine/uart0', kind: 'uart', consoles: [] },
      { ring: 1, path: '/machine/m3uart', kind: 'uart', consoles: [] },
    ]);
    expect(ringOf.get('/machine/m3uart')).toBe(1);
  });

  it("sends a CPU's semihosting console to the first UART that CPU sees, not to another CPU's", () => {
    const { streams, ringOf } = serialRouting(amp({ m3Semihosting: true }), ['/machine/uart0', '/machine/m3uart']);
    expect(streams.map((s) => [s.path, s.consoles])).toEqual([
      ['/machine/uart0', []],
      ['/machine/m3uart', ['/machine/m3']],
    ]);
    expect(ringOf.get('/machine/m3')).toBe(1);
  });

  it('gives the console of a CPU that sees no UART a stream of its own', () => {
    const { streams, ringOf } = serialRouting(amp({ m3Semihosting: true, m3Uart: false }), ['/machine/uart0']);
    expect(streams).toEqual([
      { ring: 0, path: '/machine/uart0', kind: 'uart', consoles: [] },
      { ring: 1, path: '/machine/m3', kind: 'console', consoles: ['/machine/m3'] },
    ]);
    expect(ringOf.get('/machine/m3')).toBe(1);
  });

  it('shares the last ring among the streams past it', () => {
    const { streams } = serialRouting(amp(), ['/machine/a', '/machine/b', '/machine/c', '/machine/d'], 3);
    expect(streams.map((s) => s.ring)).toEqual([0, 1, 2, 2]);
  });
});
