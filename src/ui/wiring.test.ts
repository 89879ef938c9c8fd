import { describe, expect, it } from 'vitest';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { connectionPlan, suggestAddress } from './wiring';

function resolve(document: unknown): ResolvedBoard {
  const result = parseBoard(JSON.stringify(document));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.board;
}

const board = resolve({
  boardlab: 1,
  name: 'wiring',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '1M' } }, uart0: { type: 'ns16550a' }, uart1: { type: 'ns16550a' }, plic: { type: 'plic' }, led0: { type: 'led' }, test: { type: 'sifive-test' } },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'plic.regs', at: '0x0c000000' },
  ],
  irqs: [{ from: 'uart0.irq', to: 'plic.in[0]' }],
});

describe('connection plans', () => {
  it('wires an IRQ output to the first free line of an input, either way round', () => {
    expect(connectionPlan('irq', board, { source: '/machine/uart1', sourceHandle: 'out:irq', target: '/machine/plic', targetHandle: 'in:in' })).toEqual({ ok: true, kind: 'irq', from: 'uart1.irq', to: 'plic.in[1]' });
    expect(connectionPlan('irq', board, { source: '/machine/plic', sourceHandle: 'in:in', target: '/machine/uart1', targetHandle: 'out:irq' })).toMatchObject({ ok: true, from: 'uart1.irq' });
  });

  it('refuses incompatible ends with a reason', () => {
    expect(connectionPlan('irq', board, { source: '/machine/uart1', sourceHandle: 'out:irq', target: '/machine/uart0', targetHandle: 'out:irq' })).toEqual({ ok: false, reason: 'both ends are outputs; a wire joins an output to an input' });
    const led = resolve({ boardlab: 1, name: 'l', objects: { a: { type: 'button' }, b: { type: 'button' }, led0: { type: 'led' } }, irqs: [{ from: 'a.out', to: 'led0.in' }] });
    const plan = connectionPlan('irq', led, { source: '/machine/b', sourceHandle: 'out:out', target: '/machine/led0', targetHandle: 'in:in' });
    expect(plan).toEqual({ ok: false, reason: 'led0.in is already driven by a.out (an input takes one output)' });
  });

  it('wires a reset output to the board', () => {
    expect(connectionPlan('reset', board, { source: '/machine/test', sourceHandle: 'out:system-reset', target: 'board', targetHandle: 'in:reset' })).toEqual({ ok: true, kind: 'reset', from: 'test.system-reset', to: 'board' });
  });

  it('maps an unmapped region at a free address; a mapped one is refused', () => {
    expect(connectionPlan('memory', board, { source: 'space:system', sourceHandle: 'out:map', target: '/machine/uart1.regs', targetHandle: 'in:map' })).toEqual({ ok: true, kind: 'map', region: 'uart1.regs', at: 0x10001000 });
    expect(connectionPlan('memory', board, { source: 'space:system', sourceHandle: 'out:map', target: '/machine/ram.mem', targetHandle: 'in:map' })).toEqual({ ok: false, reason: 'ram.mem is already mapped at 0x80000000' });
    expect(suggestAddress(board, 'ram', 0x1000)).toBe(0x80100000);
  });
});
