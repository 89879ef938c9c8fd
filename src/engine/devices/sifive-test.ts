// The test/finisher device of QEMU virt (hw/misc/sifive_test.c): one write-only register that
// stops the machine with success or a failure code, or resets it. It offers the host system
// control (./device.ts): the machine hears its requests through onRequest.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceCapabilities, DeviceContext, Region, SystemControl, SystemControlRequest } from './device.ts';

export const FINISHER_FAIL = 0x3333;
export const FINISHER_PASS = 0x5555;
export const FINISHER_RESET = 0x7777;

export type FinisherEvent = SystemControlRequest;

/** The finisher has no state: its one register is write-only and acts at once. */
export const SIFIVE_TEST_STATE = defineState({ name: 'sifive-test', version: 1, fields: [] });

export class SifiveTest implements Device, MmioHandler, Stateful, SystemControl {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = SIFIVE_TEST_STATE;
  readonly capabilities: DeviceCapabilities = { systemControl: this };
  /** Set by the machine: what to do when the guest writes the register. */
  onRequest: (event: FinisherEvent) => void = () => {};

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
  }

  /** The finisher register is write-only: it reads 0, as a guest read does. */
  peek(): number {
    return this.read();
  }

  read(): number {
    return 0;
  }

  write(offset: number, value: number, _size: AccessSize = 4): void {
    if (offset !== 0) return;
    const status = value & 0xffff;
    const code = value >>> 16;
    if (status === FINISHER_PASS) this.onRequest({ kind: 'pass', code: 0 });
    else if (status === FINISHER_FAIL) this.onRequest({ kind: 'fail', code });
    else if (status === FINISHER_RESET) this.onRequest({ kind: 'reset' });
  }

  reset(): void {}
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'sifive-test': (context: DeviceContext) => new SifiveTest(context) };
