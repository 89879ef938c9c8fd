import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPasses, parseBoard, readLesson, registerWatches, type LessonCheck, type LessonDocument, type ResolvedBoard, type RunObservations } from '../graph/index.ts';
import { LessonRunObserver, cpuSymbols, runObserved } from './lesson-run.ts';
import { Machine, imageFiles } from './machine.ts';

function exampleBoard(name: string): ResolvedBoard {
  const result = parseBoard(readFileSync(new URL(`../../examples/${name}.board.json`, import.meta.url), 'utf8'));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

function lessonWith(checks: LessonCheck[]): LessonDocument {
  const result = readLesson({ lessonFormat: 1, title: 't', board: { boardlab: 1, name: 'b', objects: {} }, steps: [{ title: 's', text: '', checks }] });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.lesson;
}

/** Run a board (its images from public/) observed for `lesson`, as `boardlab lesson check` does. */
function observe(board: ResolvedBoard, lesson: LessonDocument, maxInstructions = 50_000_000): RunObservations {
  const images = new Map(imageFiles(board).map((file) => [file, new Uint8Array(readFileSync(new URL(`../../public/${file}`, import.meta.url)))]));
  const observer = new LessonRunObserver();
  const machine = Machine.build(board, images, { onSerialOutput: observer.onSerialOutput });
  observer.attach(machine, board, cpuSymbols(board, images), registerWatches(lesson));
  runObserved(machine, observer, { maxInstructions, maxVirtualNs: 10e9 });
  machine.destroy();
  return observer.observations();
}

/** Each check's verdict on a run of `board`. */
function verdicts(boardName: string, checks: LessonCheck[], maxInstructions?: number): boolean[] {
  const board = exampleBoard(boardName);
  const lesson = lessonWith(checks);
  const run = observe(board, lesson, maxInstructions);
  return lesson.steps[0].checks.map((check) => checkPasses(check, board, run));
}

describe('run checks on real firmware', () => {
  it('uart: passes on what the UART printed, fails on what it did not print', () => {
    expect(
      verdicts('hello', [
        { kind: 'uart', text: 'Hello, BoardLab!', message: 'm' },
        { kind: 'uart', pattern: '= 50[0-9]0', uart: 'ns16550a', message: 'm' },
        { kind: 'uart', text: 'Goodbye', message: 'm' },
        { kind: 'uart', text: 'Hello', uart: 'plic', message: 'a UART check on an object that is no UART' },
      ]),
    ).toEqual([true, true, false, false]);
  });

  it('exit: passes on the finisher code the guest wrote, fails on another or when the guest never stops the board', () => {
    expect(verdicts('hello', [{ kind: 'exit', message: 'm' }, { kind: 'exit', code: 3, message: 'm' }])).toEqual([true, false]);
    // the echo firmware waits for input forever: no exit
    expect(verdicts('echo', [{ kind: 'exit', message: 'm' }], 2_000_000)).toEqual([false]);
  });

  it('register: reads the register each time the pc reaches the symbol (hello passes the sum 5050 in a0 to uart_put_udec)', () => {
    expect(
      verdicts('hello', [
        { kind: 'register', register: 'a0', equals: 5050, at: 'uart_put_udec', message: 'm' },
        { kind: 'register', register: 'x10', equals: '0x13ba', at: 'uart_put_udec', cpu: 'rv32', message: 'aliases and hex' },
        { kind: 'register', register: 'a0', equals: 5051, at: 'uart_put_udec', message: 'another value' },
        { kind: 'register', register: 'a0', equals: 5050, at: 'no_such_symbol', message: 'a symbol the firmware lacks' },
      ]),
    ).toEqual([true, true, false, false]);
  });

  it('the register watch does not change the run: the guest still prints and passes', () => {
    const board = exampleBoard('hello');
    const lesson = lessonWith([{ kind: 'register', register: 'a0', equals: 5050, at: 'uart_put_udec', message: 'm' }]);
    const run = observe(board, lesson);
    expect(run.uart['/machine/uart0']).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    expect(run.exit).toBe(0);
    expect(run.registers).toEqual([{ cpu: '/machine/cpu0', symbol: 'uart_put_udec', register: 'a0', value: 5050 }]);
  });

  it('led and trap: blinky toggles its LED from the machine timer interrupt; hello does neither', () => {
    const checks: LessonCheck[] = [
      { kind: 'led', state: 'on', message: 'm' },
      { kind: 'led', state: 'toggled', led: 'led', message: 'm' },
      { kind: 'trap', cause: 'machine timer interrupt', message: 'm' },
      { kind: 'trap', cause: 'machine timer interrupt', cpu: '/machine/cpu0', message: 'm' },
      { kind: 'trap', cause: 'environment call from U-mode', message: 'a trap blinky never takes' },
    ];
    expect(verdicts('blinky', checks)).toEqual([true, true, true, true, false]);
    expect(verdicts('hello', checks)).toEqual([false, false, false, false, false]);
  });

  it('trap: conf-priv drops to U-mode and makes an ecall there (a trap from U-mode to M-mode); hello makes none', () => {
    const checks: LessonCheck[] = [{ kind: 'trap', cause: 'environment call from U-mode', message: 'm' }, { kind: 'trap', cause: 'environment call from U-mode', cpu: '/machine/cpu1', message: 'a hart the board lacks' }];
    const result = parseBoard(JSON.stringify({ boardlab: 1, name: 'priv', extends: 'riscv-virt', objects: {}, images: [{ cpu: 'cpu0', file: 'firmware/conf-priv.elf' }] }));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const lesson = lessonWith(checks);
    const run = observe(result.board, lesson);
    expect(lesson.steps[0].checks.map((check) => checkPasses(check, result.board, run))).toEqual([true, false]);
    expect(verdicts('hello', checks)).toEqual([false, false]);
  });

  it('input: typed into the first UART as it takes it (the echo example echoes it and ends on q); without it the guest waits', () => {
    const board = exampleBoard('echo');
    const lesson = lessonWith([{ kind: 'uart', text: 'typed text', message: 'm' }]);
    const images = new Map(imageFiles(board).map((file) => [file, new Uint8Array(readFileSync(new URL(`../../public/${file}`, import.meta.url)))]));
    const runWith = (input: string) => {
      const observer = new LessonRunObserver();
      const machine = Machine.build(board, images, { onSerialOutput: observer.onSerialOutput });
      observer.attach(machine, board, cpuSymbols(board, images), []);
      // more than the UART's 16-byte FIFO holds at once
      const end = runObserved(machine, observer, { maxInstructions: 20_000_000, maxVirtualNs: 10e9 }, new TextEncoder().encode(input));
      machine.destroy();
      return { end, run: observer.observations() };
    };
    const typed = runWith('a long line of typed text\rq');
    expect(typed.end).toBe('finished');
    expect(typed.run.uart['/machine/uart0']).toContain('a long line of typed text');
    expect(checkPasses(lesson.steps[0].checks[0], board, typed.run)).toBe(true);
    const waiting = runWith('');
    expect(waiting.end).toBe('idle');
    expect(checkPasses(lesson.steps[0].checks[0], board, waiting.run)).toBe(false);
  });
});
