import { describe, expect, it } from 'vitest';
import { WorkerRunState } from '../workers/control.ts';
import { addressText, describeStop, parseAddress, stopIsCurrent } from './disassembly.ts';

describe('disassembly view helpers', () => {
  it('reads addresses typed with or without 0x, as hex', () => {
    expect(parseAddress('0x80000010')).toBe(0x8000_0010);
    expect(parseAddress(' 80000124 ')).toBe(0x8000_0124);
    expect(parseAddress('0XFFFFFFFF')).toBe(0xffff_ffff);
    expect(parseAddress('main')).toBeUndefined();
    expect(parseAddress('0x123456789')).toBeUndefined();
    expect(parseAddress('')).toBeUndefined();
  });

  it('shows addresses with 8 hex digits', () => {
    expect(addressText(0x10)).toBe('00000010');
    expect(addressText(-1)).toBe('ffffffff');
  });

  it('keeps a breakpoint stop as the reason only while nothing ran since', () => {
    const stop = { hart: '/machine/cpu0', address: 0x8000_0124, kind: 'breakpoint' as const, instructions: 500, seq: 1 };
    expect(stopIsCurrent(stop, WorkerRunState.PAUSED, 500)).toBe(true);
    expect(stopIsCurrent(stop, WorkerRunState.PAUSED, 501)).toBe(false);
    expect(stopIsCurrent(stop, WorkerRunState.RUNNING, 500)).toBe(false);
    expect(stopIsCurrent(null, WorkerRunState.PAUSED, 500)).toBe(false);
    const hartName = (path: string) => path.split('/').pop()!;
    expect(describeStop(stop, hartName)).toBe('breakpoint at 0x80000124 on cpu0');
    expect(describeStop({ ...stop, kind: 'step-over' }, hartName)).toBe('stepped over the call, at 0x80000124 on cpu0');
    expect(describeStop({ ...stop, kind: 'run-to' }, hartName)).toBe('ran to 0x80000124 on cpu0');
  });
});
