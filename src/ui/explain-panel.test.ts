// The trap log's lines and the watch list's parsing (./explain-panel.ts), and the register view's
// rows (./register-view.ts).
import { describe, expect, it } from 'vitest';
import type { TrapLogEntry } from '../workers/emulator.worker.ts';
import { appendTraps, parseWatch, trapLine, TRAPS_SHOWN, watchText } from './explain-panel.ts';
import { coreRegisterRows, deviceRegisterRows, groupRows, rowValues } from './register-view.ts';

const CPUS = ['/machine/cpu0', '/machine/cluster/cpu1'];

function entry(seq: number, more: Partial<TrapLogEntry> = {}): TrapLogEntry {
  return { seq, cpu: '/machine/cpu0', kind: 'interrupt', access: undefined, cause: 0x8000_0007, causeName: 'machine timer interrupt', pc: 0x8000_0010, value: 0, handler: 0x8000_0100, vector: 'mtvec', returnRegister: 'mepc', instret: 42, timeNs: 100, ...more };
}

describe('the trap log', () => {
  it('prints a trap as QEMU’s -d int does: cause by name and number, pc, tval only where it means something, handler with its symbol', () => {
    expect(trapLine(entry(3, { handlerSymbol: 'trap_entry' }))).toEqual({
      seq: 3,
      cpu: 'cpu0',
      cause: 'machine timer interrupt (cause 0x80000007)',
      pc: '0x80000010',
      value: '',
      handler: '0x80000100 <trap_entry>',
      instret: '42',
      interrupt: true,
    });
    const fault = trapLine(entry(4, { kind: 'access-fault', access: 'load', cause: 5, causeName: 'load access fault', value: 0x1000_0005 }));
    expect([fault.value, fault.handler, fault.interrupt]).toEqual(['0x10000005', '0x80000100', false]);
  });

  it('keeps the newest TRAPS_SHOWN entries', () => {
    const many = Array.from({ length: TRAPS_SHOWN + 10 }, (_, i) => entry(i));
    const log = appendTraps(many.slice(0, 20), many.slice(20));
    expect(log.length).toBe(TRAPS_SHOWN);
    expect(log[0].seq).toBe(10);
    expect(log[log.length - 1].seq).toBe(TRAPS_SHOWN + 9);
  });
});

describe('parsing a watch', () => {
  it('addresses, with a size', () => {
    expect(parseWatch('0x80001000', '/machine/cpu0', CPUS)).toEqual({ kind: 'target', target: { kind: 'memory', address: 0x8000_1000, size: 4 } });
    expect(parseWatch(' 0x1000_0005:b ', '/machine/cpu0', CPUS)).toEqual({ kind: 'target', target: { kind: 'memory', address: 0x1000_0005, size: 1 } });
    expect(parseWatch('4096:h', '/machine/cpu0', CPUS)).toEqual({ kind: 'target', target: { kind: 'memory', address: 4096, size: 2 } });
  });

  it('names: a register of the given CPU or another, or a symbol (the worker decides which)', () => {
    expect(parseWatch('a0', '/machine/cpu0', CPUS)).toEqual({ kind: 'name', name: 'a0', cpu: '/machine/cpu0', size: 4 });
    expect(parseWatch('counter:b', '/machine/cpu0', CPUS)).toEqual({ kind: 'name', name: 'counter', cpu: '/machine/cpu0', size: 1 });
    expect(parseWatch('cluster/cpu1.mstatus', '/machine/cpu0', CPUS)).toEqual({ kind: 'target', target: { kind: 'register', cpu: '/machine/cluster/cpu1', register: 'mstatus' } });
  });

  it('says what is wrong', () => {
    expect(parseWatch('', '/machine/cpu0', CPUS)).toEqual({ kind: 'error', message: 'type an address (0x…), a symbol or a register' });
    expect(parseWatch('0x80001001', '/machine/cpu0', CPUS)).toEqual({ kind: 'error', message: '0x80001001 is not aligned to 4 bytes' });
    expect(parseWatch('0x100000000', '/machine/cpu0', CPUS)).toEqual({ kind: 'error', message: '0x100000000 is not a 32-bit address' });
    expect(parseWatch('x:q', '/machine/cpu0', CPUS)).toEqual({ kind: 'error', message: '"q" is not a size: use :b, :h or :w' });
    expect(parseWatch('a+b', '/machine/cpu0', CPUS)).toEqual({ kind: 'error', message: '"a+b" is neither an address, a symbol nor a register' });
  });

  it('shows a value as wide as it is read', () => {
    expect(watchText(0x12, { kind: 'memory', address: 0, size: 1 })).toBe('0x12 (18)');
    expect(watchText(0x12, { kind: 'register', cpu: '/machine/cpu0', register: 'a0' })).toBe('0x00000012 (18)');
    expect(watchText(null, { kind: 'memory', address: 0, size: 4 })).toBe('—');
  });
});

describe('register view rows', () => {
  it('decodes a device’s registers and marks what changed since the last poll', () => {
    const values = (lsr: number) => ({ path: '/machine/uart0', type: 'ns16550a', values: [0, 1, 2, 3, 4, 5, 6, 7].map((offset) => ({ region: 'regs', offset, value: offset === 5 ? lsr : 0 })) });
    const first = deviceRegisterRows(values(0x60), {}, new Map());
    const lsr = first.find((row) => row.name === 'LSR')!;
    expect(lsr).toMatchObject({ valueText: '0x60', where: '+0x5', changed: false });
    expect(lsr.fields.filter((f) => f.value === 1).map((f) => f.name)).toEqual(['THRE', 'TEMT']);
    const second = deviceRegisterRows(values(0x61), {}, rowValues(first));
    expect(second.filter((row) => row.changed).map((row) => row.name)).toEqual(['LSR']);
  });

  it('numbers a PLIC’s pending sources by word, and groups repeated registers', () => {
    const values = { path: '/machine/plic', type: 'plic', values: [{ region: 'regs', offset: 0x1004, value: 2 }] };
    const rows = deviceRegisterRows(values, { 'num-sources': 97, 'num-harts': 1 }, new Map());
    expect(rows.find((row) => row.name === 'pending[1]')!.fields[0].text).toBe('pending: source 33');
    expect(rows.find((row) => row.name === 'pending[0]')!.valueText).toBe('—');
    expect(groupRows(rows).map((group) => [group[0].group, group.length])).toEqual([
      ['regs:priority', 96],
      ['regs:pending', 4],
      ['regs:enable', 8],
      ['regs:threshold', 2],
      ['regs:claim/complete', 2],
    ]);
  });

  it('decodes a core’s registers; ARM SCB registers show their address', () => {
    const rows = coreRegisterRows({ path: '/machine/cpu0', architecture: 'ARM', values: [{ name: 'ICSR', value: 0x0400_f00f }] }, new Map());
    const icsr = rows.find((row) => row.name === 'ICSR')!;
    expect(icsr.where).toBe('0xe000ed04');
    expect(icsr.fields.map((f) => f.text)).toContain('VECTACTIVE = 0xf (SysTick)');
    expect(rows.find((row) => row.name === 'xPSR')!.valueText).toBe('—');
  });
});
