// The page's run loop observes an open lesson's run checks on the real engine: the same observer
// as `boardlab lesson check` (../engine/lesson-run.ts), fed from the worker's machine.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBoard } from '../graph/index.ts';
import { Machine } from '../engine/machine.ts';
import { createControl, readControl, requestRun, WorkerRunState } from './control.ts';
import { Runner } from './runner.ts';
import { createSerialRingBuffer, SerialRing } from './serial-ring.ts';
import { until, yieldToEventLoop } from './run-loop-testing.ts';

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

function helloRunner() {
  const control = createControl();
  const ringBuffer = createSerialRingBuffer();
  const runner = new Runner(control, ringBuffer, (board, images, onSerialOutput) => Machine.build(board, images, { sharesGuestMemory: true, onSerialOutput }), { yieldToEventLoop });
  runners.push(runner);
  runner.start();
  const parsed = parseBoard(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const images = new Map([['firmware/hello.elf', new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)))]]);
  return { control, runner, board: parsed.board, images, ring: new SerialRing(ringBuffer) };
}

describe('Runner with a lesson open', () => {
  it('observes UART text, the finisher and registers at a symbol, and the guest still runs to its end without pausing', async () => {
    const t = helloRunner();
    t.runner.watchLesson([{ symbol: 'uart_put_udec', register: 'a0', cpu: undefined }]);
    expect(t.runner.load(t.board, t.images).ok).toBe(true);
    // no look at the observations before the run (a look re-arms the watches: the first run must not need it)
    requestRun(t.control);
    await until(() => readControl(t.control).state === WorkerRunState.HALTED_PASS, 'halted: pass');
    const seen = t.runner.lessonObservations();
    expect(seen?.uart['/machine/uart0']).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    expect(seen?.exit).toBe(0);
    expect(seen?.registers).toEqual([{ cpu: '/machine/cpu0', symbol: 'uart_put_udec', register: 'a0', value: 5050 }]);
    // the terminal got everything too
    expect(new TextDecoder().decode(t.ring.read())).toContain('5050');
  });

  it('observes nothing without a lesson, and stops observing when the lesson closes', async () => {
    const t = helloRunner();
    t.runner.load(t.board, t.images);
    expect(t.runner.lessonObservations()).toBeNull();
    t.runner.watchLesson([]);
    t.runner.load(t.board, t.images);
    expect(t.runner.lessonObservations()).not.toBeNull();
    t.runner.watchLesson(null);
    expect(t.runner.lessonObservations()).toBeNull();
  });
});
