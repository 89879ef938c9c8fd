import { describe, expect, it } from 'vitest';
import type { GuestFault } from '../engine/index.ts';
import { FAULT_LINES_PRINTED, FaultNotes, UNRECOVERED_AFTER_INSTRUCTIONS } from './fault-notes.ts';

const fault = (kind: GuestFault['kind'], address: number, cpu = '/machine/cpu0'): GuestFault => ({
  cpu, kind, cause: 5, causeName: 'load access fault', pc: 0x100, address, message: `${kind} at ${address}`, hint: 'hint',
});

function notes() {
  const lines: string[] = [];
  let instructions = 0;
  const n = new FaultNotes((line) => lines.push(line), () => instructions);
  return { n, lines, advance: (count: number) => (instructions += count) };
}

describe('FaultNotes: which guest faults boardlab run notes', () => {
  it('drops an access fault the guest recovers from (its handler returns), and only that hart\'s', () => {
    const { n, lines } = notes();
    n.report(fault('unmapped-access', 1));
    n.report(fault('unmapped-access', 2, '/machine/cpu1'));
    n.recovered('/machine/cpu0');
    n.flush();
    expect(lines).toEqual(['boardlab: unmapped-access at 2 — hint']);
  });

  it('notes an access fault the guest has not recovered from after UNRECOVERED_AFTER_INSTRUCTIONS, between slices', () => {
    const { n, lines, advance } = notes();
    n.report(fault('refused-access', 1));
    advance(UNRECOVERED_AFTER_INSTRUCTIONS - 1);
    n.settle();
    expect(lines).toEqual([]);
    advance(1);
    n.settle();
    expect(lines).toEqual(['boardlab: refused-access at 1 — hint']);
    n.flush();
    expect(lines).toHaveLength(1); // once
  });

  it('notes a trap loop, fault spin or lockup at once, after the access faults that led into it', () => {
    const { n, lines } = notes();
    n.report(fault('unmapped-access', 1));
    n.report(fault('trap-loop', 0));
    expect(lines).toEqual(['boardlab: unmapped-access at 1 — hint', 'boardlab: trap-loop at 0 — hint']);
  });

  it(`prints FAULT_LINES_PRINTED lines, then says more follow, once`, () => {
    const { n, lines } = notes();
    for (let i = 0; i < FAULT_LINES_PRINTED + 5; i++) n.report(fault('fault-spin', i));
    expect(lines).toHaveLength(FAULT_LINES_PRINTED + 1);
    expect(lines.at(-1)).toBe('boardlab: more guest faults follow; not printing them');
  });
});
