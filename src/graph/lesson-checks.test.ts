import { describe, expect, it } from 'vitest';
import { checkPasses, emptyObservations, registerWatches, type RunObservations } from './lesson-checks.ts';
import { readLesson, type LessonCheck } from './lesson.ts';
import { resolveBoard, type ResolvedBoard } from './resolve.ts';

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

const bare = resolved({ boardlab: 1, name: 'bare', objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '1M' } } }, memory: [{ map: 'ram.mem', at: '0x80000000' }] });
/** The same board with a UART (named as a student might), mapped, wired through a PLIC. */
const wired = resolved({
  boardlab: 1,
  name: 'wired',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '1M' } }, serial: { type: 'ns16550a', props: { 'clock-frequency': '10 MHz' } }, pic: { type: 'plic' } },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'serial.regs', at: '0x10000000', space: 'system' },
  ],
  irqs: [
    { from: 'serial.irq', to: 'pic.in[10]' },
    { from: 'pic.meip[0]', to: 'cpu0.meip' },
  ],
});

function valid(check: LessonCheck): LessonCheck {
  const result = readLesson({ lessonFormat: 1, title: 't', board: { boardlab: 1, name: 'b', objects: {} }, steps: [{ title: 's', text: '', checks: [check] }] });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return check;
}

const m = 'message';

describe('board checks: fail on a board without it, pass with it (whatever the student named the objects)', () => {
  it.each<[string, LessonCheck]>([
    ['object of a type', { kind: 'object', type: 'ns16550a', message: m }],
    ['object of an interface', { kind: 'object', type: 'interrupt-controller', message: m }],
    ['object with a count', { kind: 'object', type: 'plic', count: 1, message: m }],
    ['property (effective value, written as the board language writes it)', { kind: 'property', object: 'ns16550a', property: 'clock-frequency', equals: 10_000_000, message: m }],
    ['property by path', { kind: 'property', object: '/machine/serial', property: 'clock-frequency', equals: '0x989680', message: m }],
    ['irq to a line', { kind: 'irq', from: 'ns16550a.irq', to: 'plic.in[10]', message: m }],
    ['irq to any line', { kind: 'irq', from: 'ns16550a.irq', to: 'plic.in', message: m }],
    ['irq into a hart by path', { kind: 'irq', from: 'plic.meip', to: '/machine/cpu0.meip', message: m }],
    ['mapped at an address', { kind: 'mapped', region: 'ns16550a.regs', at: '0x10000000', message: m }],
    ['mapped anywhere in a space', { kind: 'mapped', region: 'ns16550a.regs', space: 'system', message: m }],
  ])('%s', (_, check) => {
    expect(checkPasses(valid(check), bare, undefined)).toBe(false);
    expect(checkPasses(check, wired, undefined)).toBe(true);
  });

  it.each<[string, LessonCheck]>([
    ['too few objects', { kind: 'object', type: 'ns16550a', count: 2, message: m }],
    ['another property value', { kind: 'property', object: 'ns16550a', property: 'clock-frequency', equals: '1 MHz', message: m }],
    ['another line', { kind: 'irq', from: 'ns16550a.irq', to: 'plic.in[11]', message: m }],
    ['the wire backwards', { kind: 'irq', from: 'plic.in[10]', to: 'ns16550a.irq', message: m }],
    ['another address', { kind: 'mapped', region: 'ns16550a.regs', at: '0x10001000', message: m }],
    ['another space', { kind: 'mapped', region: 'ns16550a.regs', space: 'cpu0-view', message: m }],
    ['a type the board does not have', { kind: 'object', type: 'sifive-test', message: m }],
  ])('fails on the wired board for %s', (_, check) => {
    expect(checkPasses(valid(check), wired, undefined)).toBe(false);
  });
});

describe('run checks on observations', () => {
  const board = wired;
  const seen = (changes: Partial<RunObservations>): RunObservations => ({ ...emptyObservations(), ...changes });

  it.each<[string, LessonCheck, Partial<RunObservations>]>([
    ['uart text', { kind: 'uart', text: 'Hello', message: m }, { uart: { '/machine/serial': 'Hello, world' } }],
    ['uart pattern on a UART by type', { kind: 'uart', pattern: '^He.*d$', uart: 'ns16550a', message: m }, { uart: { '/machine/serial': 'Hello, world' } }],
    ['led on', { kind: 'led', state: 'on', message: m }, { ledsLit: ['/machine/led0'] }],
    ['led toggled', { kind: 'led', state: 'toggled', message: m }, { ledsToggled: ['/machine/led0'] }],
    ['trap', { kind: 'trap', cause: 'machine timer interrupt', cpu: 'cpu', message: m }, { traps: [{ cpu: '/machine/cpu0', cause: 'machine timer interrupt' }] }],
    ['register', { kind: 'register', register: 'a0', equals: -1, at: 'done', message: m }, { registers: [{ cpu: '/machine/cpu0', symbol: 'done', register: 'a0', value: 0xffffffff }] }],
    ['exit', { kind: 'exit', message: m }, { exit: 0 }],
    ['exit with a code', { kind: 'exit', code: 3, message: m }, { exit: 3 }],
  ])('%s: fails before a run and on a run without it, passes on a run with it', (_, check, observed) => {
    expect(checkPasses(valid(check), board, undefined)).toBe(false);
    expect(checkPasses(check, board, emptyObservations())).toBe(false);
    expect(checkPasses(check, board, seen(observed))).toBe(true);
  });

  it('a run check names its objects: output of another object does not count', () => {
    expect(checkPasses({ kind: 'uart', text: 'Hello', uart: '/machine/other', message: m }, board, seen({ uart: { '/machine/serial': 'Hello' } }))).toBe(false);
    expect(checkPasses({ kind: 'exit', code: 0, message: m }, board, seen({ exit: 1 }))).toBe(false);
    expect(checkPasses({ kind: 'register', register: 'a0', equals: 1, at: 'done', message: m }, board, seen({ registers: [{ cpu: '/machine/cpu0', symbol: 'done', register: 'a1', value: 1 }] }))).toBe(false);
  });

  it('registerWatches lists each symbol and register a run must read, once', () => {
    const check: LessonCheck = { kind: 'register', register: 'a0', equals: 55, at: 'done', message: m };
    const lesson = readLesson({ lessonFormat: 1, title: 't', board: { boardlab: 1, name: 'b', objects: {} }, steps: [{ title: 's', text: '', checks: [check, { ...check, equals: 56 }, { kind: 'exit', message: m }] }] });
    expect(lesson.ok && registerWatches(lesson.lesson)).toEqual([{ symbol: 'done', register: 'a0', cpu: undefined }]);
  });
});
