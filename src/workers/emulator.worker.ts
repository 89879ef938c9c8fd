/// <reference lib="webworker" />
// The emulator worker: builds machines from board documents and runs them (./runner.ts).
//
// Load-type calls (init, load, lastError) come in through comlink. Run / Pause / Reset and the
// stats never do: they travel through the shared control words (./control.ts), which the run loop
// reads between slices. UART output goes out through the shared serial ring (./serial-ring.ts),
// which the UI drains once per animation frame; typed input, button presses and LED levels use the
// shared board I/O buffers (./board-io.ts). Guest RAM (and framebuffer pixels) live in
// SharedArrayBuffers the UI can read directly.
import * as Comlink from 'comlink';
import { Machine } from '../engine/index.ts';
import type { ResolvedBoard } from '../graph/index.ts';
import type { BoardIoBuffers } from './board-io.ts';
import type { MachineInfo } from './machine-devices.ts';
import { Runner, type HartRegisters, type LoadResult, type MachineBuilder, type SharedMemory } from './runner.ts';

export type { HartRegisters, LoadResult, SharedMemory } from './runner.ts';
export type { BoardDevices, ButtonInfo, FramebufferInfo, LedInfo, MachineInfo } from './machine-devices.ts';

export interface EmulatorApi {
  /** Hands over the shared control words, serial ring and board I/O (cloned, never transferred). Called once. */
  init(control: Int32Array, serialRing: SharedArrayBuffer, io: BoardIoBuffers): void;
  /**
   * Builds a machine from a board document and its image files (file name → bytes) and makes it
   * the running one. On failure the previous machine is untouched and keeps running.
   */
  /** Build and run a resolved board (the UI resolves it: it has the libraries and knows the platform). */
  load(board: ResolvedBoard, images: Record<string, Uint8Array>): LoadResult;
  /** Why the run loop stopped with RunState.CRASHED, or null. */
  lastError(): string | null;
  /** Life-cycle state of every object and the engine's recent events (null before a load). */
  inspect(): MachineInfo | null;
  /** Registers of every hart of the running machine. */
  registers(): HartRegisters[];
  /** The running machine's RAM buffers (SharedArrayBuffers, shared with the page, not copied): call once after a load. */
  sharedMemory(): SharedMemory[];
}

const buildMachine: MachineBuilder = (board, images, onSerialOutput) =>
  Machine.build(board, images, { allocateRam: (bytes) => new SharedArrayBuffer(bytes), onSerialOutput });

let runner: Runner | null = null;

const api: EmulatorApi = {
  init(control, serialRing, io) {
    if (runner) throw new Error('emulator worker: init called twice');
    runner = new Runner(control, serialRing, buildMachine, {}, io);
    runner.start();
  },

  load(board, images) {
    if (!runner) return { ok: false, problems: [{ pointer: '', message: 'the emulator is not initialised', hint: 'Reload the page.' }] };
    return runner.load(board, new Map(Object.entries(images)));
  },

  lastError() {
    return runner?.lastError() ?? null;
  },
  inspect() {
    return runner?.info() ?? null;
  },
  registers() {
    return runner?.registers() ?? [];
  },
  sharedMemory() {
    return runner?.sharedMemory() ?? [];
  },
};

Comlink.expose(api);
