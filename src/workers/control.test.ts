import { describe, expect, it } from 'vitest';
import {
  adoptControl,
  beginSession,
  ControlReader,
  createControl,
  Desired,
  readControl,
  readInstructions,
  requestPause,
  requestReset,
  requestRun,
  WorkerRunState,
  runStateName,
  Word,
  writeInstructions,
  writeIps,
  writeState,
} from './control';

describe('control words', () => {
  it('live in a SharedArrayBuffer and start empty and paused', () => {
    const words = createControl();
    expect(words.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(adoptControl(words)).toBe(words);
    const snapshot = readControl(words);
    expect(snapshot.state).toBe(WorkerRunState.EMPTY);
    expect(snapshot.desired).toBe(Desired.PAUSE);
    expect(snapshot.instructions).toBe(0);
  });

  it('adoptControl rejects plain buffers and short arrays', () => {
    expect(() => adoptControl(new Int32Array(16))).toThrow(/SharedArrayBuffer/);
    expect(() => adoptControl(new Int32Array(new SharedArrayBuffer(8)))).toThrow(/need/);
  });

  it('stores 64-bit instruction counts across two words', () => {
    const words = createControl();
    for (const count of [0, 1, 0xffff_ffff, 0x1_0000_0000, 123_456_789_012_345, 2 ** 53 - 1]) {
      writeInstructions(words, count);
      expect(readInstructions(words)).toBe(count);
    }
  });

  it('clamps the IPS figure into an unsigned word', () => {
    const words = createControl();
    writeIps(words, 3_500_000_000);
    expect(readControl(words).ips).toBe(3_500_000_000);
    writeIps(words, -5);
    expect(readControl(words).ips).toBe(0);
  });

  it('names run states for the indicator', () => {
    expect(runStateName(WorkerRunState.RUNNING, 0)).toBe('running');
    expect(runStateName(WorkerRunState.PAUSED, 0)).toBe('paused');
    expect(runStateName(WorkerRunState.HALTED_PASS, 0)).toBe('halted: pass');
    expect(runStateName(WorkerRunState.HALTED_FAIL, 3)).toBe('halted: fail code 3');
    const words = createControl();
    writeState(words, WorkerRunState.HALTED_FAIL, 7);
    const snapshot = readControl(words);
    expect(runStateName(snapshot.state, snapshot.exitCode)).toBe('halted: fail code 7');
  });

  it('the worker sees the latest run level and every reset, however many clicks came between slices', () => {
    const words = createControl();
    const reader = new ControlReader(words);
    expect(reader.changed()).toBe(false);
    requestRun(words);
    requestPause(words);
    requestRun(words);
    requestReset(words);
    requestReset(words);
    expect(reader.changed()).toBe(true);
    expect(reader.takeRequests()).toMatchObject({ reset: true, desired: Desired.RUN });
    expect(reader.changed()).toBe(false);
    expect(reader.takeRequests()).toMatchObject({ reset: false, desired: Desired.RUN });
    requestPause(words);
    expect(reader.takeRequests()).toMatchObject({ reset: false, desired: Desired.PAUSE });
    reader.acknowledgeReset();
    expect(Atomics.load(words, Word.RESET_DONE)).toBe(2);
  });

  it('waitForRequest sleeps until the UI rings the doorbell', async () => {
    const words = createControl();
    const reader = new ControlReader(words);
    reader.takeRequests();
    let woke = false;
    const waiting = reader.waitForRequest().then(() => (woke = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woke).toBe(false);
    requestRun(words);
    await waiting;
    expect(woke).toBe(true);
  });

  it('waitForRequest returns at once if a request is already pending, and honours a timeout', async () => {
    const words = createControl();
    const reader = new ControlReader(words);
    requestRun(words);
    await reader.waitForRequest(); // would hang if it missed the pending request
    reader.takeRequests();
    const started = Date.now();
    await reader.waitForRequest(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
  });

  it('beginSession records where in the serial stream a session starts', () => {
    const words = createControl();
    expect(beginSession(words, 42)).toBe(1);
    expect(beginSession(words, 100)).toBe(2);
    const snapshot = readControl(words);
    expect(snapshot.session).toBe(2);
    expect(snapshot.sessionStart).toBe(100);
  });
});

describe('control words: Step and pacing', () => {
  it('counts steps between takes, pauses, and carries the pacing level', async () => {
    const { createControl: create, requestStep: step, requestPacing: pacing, ControlReader: Reader, Desired: D } = await import('./control');
    const words = create();
    const reader = new Reader(words);
    step(words);
    step(words);
    pacing(words, true);
    expect(reader.takeRequests()).toEqual({ reset: false, desired: D.PAUSE, steps: 2, pacing: true });
    expect(reader.takeRequests()).toMatchObject({ steps: 0, pacing: true });
  });
});
