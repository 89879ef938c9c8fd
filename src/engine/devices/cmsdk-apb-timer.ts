// The CMSDK APB timer (ARM DDI0479C), as QEMU 7.2 models it (hw/timer/cmsdk-apb-timer.c): a
// 32-bit down-counter at the APB clock (pclk-frequency) in virtual time. VALUE counts down from
// RELOAD; when it goes from 1 to 0 the interrupt status latches (if CTRL.IRQEN), it holds 0 for one
// tick and reloads. A RELOAD of 0 stops it at 0. The EXTIN enable/clock selections (CTRL bits 1
// and 2) are kept but not modelled, as on QEMU.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceContext, IrqLine, Region } from './device.ts';
import { DownCounter } from './down-counter.ts';
import { cmsdkIdRegister, frequencyProp } from './cmsdk.ts';

// Register offsets.
export const TIMER_CTRL = 0x00;
export const TIMER_VALUE = 0x04;
export const TIMER_RELOAD = 0x08;
export const TIMER_INTSTATUS = 0x0c; // read: status; write 1: clear

export const CTRL_EN = 0x1;
export const CTRL_SELEXTEN = 0x2;
export const CTRL_SELEXTCLK = 0x4;
export const CTRL_IRQEN = 0x8;
const CTRL_MASK = 0xf;

/** PID4–PID7, PID0–PID3, CID0–CID3 (part number 0x822). */
export const TIMER_ID = [0x04, 0x00, 0x00, 0x00, 0x22, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;

export const CMSDK_APB_TIMER_STATE = defineState({
  name: 'cmsdk-apb-timer',
  version: 1,
  fields: [
    { name: 'ctrl', type: 'u8', mask: CTRL_MASK, doc: 'CTRL: EN, SELEXTEN, SELEXTCLK, IRQEN' },
    { name: 'intstatus', type: 'bool', doc: 'INTSTATUS bit 0 (latched when the count reached 0 with IRQEN)' },
    { name: 'counter', type: 'f64[]', doc: 'the counter: running, one-shot, start time (ns), count at the start, RELOAD' },
  ],
});

export class CmsdkApbTimer implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = CMSDK_APB_TIMER_STATE;
  /** The APB clock the counter counts at (Hz). */
  readonly pclkFrequency: number;
  private ctrl = 0;
  private intstatus = false;
  private readonly timer: DownCounter;
  private irq: IrqLine | undefined;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.pclkFrequency = frequencyProp(context, 'pclk-frequency', 25_000_000);
    this.timer = new DownCounter(context.clock, 1e9 / this.pclkFrequency, () => this.tick());
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
    this.reset();
  }

  /** The counter's state array, saved as one field. */
  get counter(): Float64Array {
    return this.timer.state;
  }

  connectIrqOutput(_port: string, _index: number, line: IrqLine): void {
    this.irq = line;
    line.set(this.intstatus);
  }

  /** Its reads have no side effects: the register view reads as the guest does. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return this.read(offset, size);
  }

  read(offset: number, _size: AccessSize): number {
    switch (offset) {
      case TIMER_CTRL:
        return this.ctrl;
      case TIMER_VALUE:
        return this.timer.count() >>> 0;
      case TIMER_RELOAD:
        return this.timer.limit >>> 0;
      case TIMER_INTSTATUS:
        return this.intstatus ? 1 : 0;
      default:
        return cmsdkIdRegister(TIMER_ID, offset);
    }
  }

  write(offset: number, value: number, _size: AccessSize): void {
    value >>>= 0;
    switch (offset) {
      case TIMER_CTRL:
        this.ctrl = value & CTRL_MASK;
        if (this.ctrl & CTRL_EN) this.timer.run(this.timer.limit === 0);
        else this.timer.stop();
        return;
      case TIMER_RELOAD:
        // Writing RELOAD loads VALUE too.
        if (value === 0) this.timer.stop();
        this.timer.setLimit(value, true);
        if (value !== 0 && this.ctrl & CTRL_EN) this.timer.run(false);
        return;
      case TIMER_VALUE:
        if (value === 0 && this.timer.limit === 0) this.timer.stop();
        this.timer.setCount(value);
        if (value !== 0 && this.ctrl & CTRL_EN) this.timer.run(this.timer.limit === 0);
        return;
      case TIMER_INTSTATUS:
        if (value & 1) this.setIntstatus(false);
        return;
      default:
        return; // ID registers are read-only; other offsets ignore writes
    }
  }

  reset(): void {
    this.ctrl = 0;
    this.timer.reset(0);
    this.setIntstatus(false);
  }

  postLoad(): void {
    this.timer.restore();
    this.irq?.set(this.intstatus);
  }

  unrealize(): void {
    this.timer.release();
  }

  private tick(): void {
    if (this.ctrl & CTRL_IRQEN) this.setIntstatus(true);
  }

  private setIntstatus(level: boolean): void {
    this.intstatus = level;
    this.irq?.set(level);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'cmsdk-apb-timer': (context: DeviceContext) => new CmsdkApbTimer(context) };
