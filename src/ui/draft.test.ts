import { describe, expect, it } from 'vitest';
import { previewBoard } from './draft';

describe('previewBoard', () => {
  it('draws a board that does not resolve yet: a CPU without memory, a wire to a missing object, a bad value', () => {
    const text = JSON.stringify({
      boardlab: 1,
      name: 'draft',
      objects: { cpu0: { type: 'rv32' }, uart0: { type: 'ns16550a', props: { 'reg-shift': 'lots' } }, ram: { type: 'ram' } },
      memory: [{ map: 'uart0.regs', at: '0x10000000' }, { map: 'nothing.regs', at: '0x20000000' }],
    });
    const board = previewBoard(text);
    expect(board).not.toBeNull();
    expect(board!.objects.map((o) => o.name).sort()).toEqual(['cpu0', 'ram', 'uart0']);
    expect(board!.memory.map((m) => m.object)).toEqual(['/machine/uart0']);
    expect(board!.images).toEqual([]);
  });

  it('gives up on text that is not a board', () => {
    expect(previewBoard('{ not json')).toBeNull();
    expect(previewBoard('[]')).toBeNull();
  });
});
