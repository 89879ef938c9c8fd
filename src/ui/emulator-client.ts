// The UI's handle on the emulator worker: the comlink proxy for load-type calls, and the shared
// control words, serial ring and board I/O (typed input, buttons, LEDs) it reads and writes every
// animation frame. Creating it starts the worker.
import * as Comlink from 'comlink';
import {
  createControl,
  readControl,
  requestPacing,
  requestPause,
  requestReset,
  requestRun,
  requestStep,
  type ControlSnapshot,
} from '../workers/control.ts';
import { ButtonSender, createBoardIo, LedReader, readInfoSeq, TerminalInput } from '../workers/board-io.ts';
import { createSerialRingBuffer, SerialRing } from '../workers/serial-ring.ts';
import { SerialDrain, type SerialSink } from './serial-drain.ts';
import type { EmulatorApi, HartRegisters, LoadResult, MachineInfo, SharedMemory } from '../workers/emulator.worker.ts';
import type { ResolvedBoard } from '../graph/index.ts';

export class EmulatorClient {
  readonly control = createControl();
  readonly ring = new SerialRing(createSerialRingBuffer(1 << 18));
  readonly io = createBoardIo();
  /** Bytes typed into the terminal, on their way to the guest's UART. */
  readonly input = new TerminalInput(this.io.input, this.control);
  readonly buttons = new ButtonSender(this.io.buttons, this.control);
  readonly leds = new LedReader(this.io.words);
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<EmulatorApi>;
  private readonly ready: Promise<void>;
  private readonly drain = new SerialDrain(this.ring, () => readControl(this.control));

  constructor() {
    this.worker = new Worker(new URL('../workers/emulator.worker.ts', import.meta.url), { type: 'module', name: 'boardlab-emulator' });
    this.api = Comlink.wrap<EmulatorApi>(this.worker);
    // The SharedArrayBuffers are cloned (shared), never transferred.
    this.ready = Promise.resolve(this.api.init(this.control, this.ring.buffer as SharedArrayBuffer, this.io));
  }

  async load(board: ResolvedBoard, images: Record<string, Uint8Array>): Promise<LoadResult> {
    await this.ready;
    return this.api.load(board, images);
  }

  async lastError(): Promise<string | null> {
    await this.ready;
    return this.api.lastError();
  }

  async inspect(): Promise<MachineInfo | null> {
    await this.ready;
    return this.api.inspect();
  }

  async registers(): Promise<HartRegisters[]> {
    await this.ready;
    return this.api.registers();
  }

  async sharedMemory(): Promise<SharedMemory[]> {
    await this.ready;
    return this.api.sharedMemory();
  }

  step(): void {
    requestStep(this.control);
  }

  setPacing(realTime: boolean): void {
    requestPacing(this.control, realTime);
  }

  /** Bumped by the worker when life-cycle states or engine events changed. */
  infoSeq(): number {
    return readInfoSeq(this.io.words);
  }

  run(): void {
    requestRun(this.control);
  }

  pause(): void {
    requestPause(this.control);
  }

  reset(): void {
    requestReset(this.control);
  }

  snapshot(): ControlSnapshot {
    return readControl(this.control);
  }

  /** Moves pending serial output into `sink` (see SerialDrain for the session boundary rules). */
  drainSerial(sink: SerialSink, max = Infinity): void {
    this.drain.drain(sink, max);
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
