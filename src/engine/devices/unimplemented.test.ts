import { describe, expect, it } from 'vitest';
import { resolveBoard, type BoardDocument } from '../../graph/index.ts';
import { UnimplementedDevice } from './unimplemented.ts';
import { privateRam } from './device.ts';

describe('unimplemented-device', () => {
  it('reads 0 and ignores writes', () => {
    const stub = new UnimplementedDevice({ path: '/machine/stub', props: {}, allocateRam: privateRam });
    stub.write(0x10, 0xffffffff, 4);
    expect(stub.read(0x10, 4)).toBe(0);
  });

  it('unimplemented-device.size: the block covers that many bytes of the address space', () => {
    const board = (size: string): BoardDocument => ({ boardlab: 1, name: 'stub', objects: { stub: { type: 'unimplemented-device', props: { size } } }, memory: [{ map: 'stub.regs', at: '0x40000000' }] });
    for (const [size, bytes] of [['4K', 0x1000], ['64K', 0x10000]] as const) {
      const result = resolveBoard(board(size));
      if (!result.ok) throw new Error(result.problems[0].message);
      expect(result.board.memory.map((m) => [m.base, m.size])).toEqual([[0x40000000, bytes]]);
    }
  });
});
