// The CMSDK APB dual-input timer (ARM DDI0479C; two SP804-style counters), as QEMU 7.2 models it
// (hw/timer/cmsdk-apb-dualtimer.c). Each counter has LOAD, VALUE, CONTROL (one-shot, 16/32-bit
// size, prescale 1/16/256, interrupt enable, periodic/free-running mode, enable), INTCLR, RIS, MIS
// and BGLOAD, and counts at pclk-frequency / prescale in virtual time. Outputs: each counter's
// interrupt and the combined one (mps2-an385 wires only the combined one, to IRQ 10).
//
// In free-running mode a counter wraps from 0 to 0xFFFF or 0xFFFFFFFF (by size) and LOAD only
// sets the count; in periodic mode it reloads from LOAD. A 16-bit counter keeps the top half of
// VALUE and LOAD as last written, and reads show it (as QEMU does). Integration test mode
// (TIMERITCR, TIMERITOP) drives the outputs from TIMERITOP.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import { cmsdkIdRegister, frequencyProp } from './cmsdk.ts';
import type { Device, DeviceContext, IrqLine, Region } from './device.ts';
import { DownCounter } from './down-counter.ts';

// Register offsets of counter 1; counter 2's are 0x20 higher.
export const DT_LOAD = 0x00;
export const DT_VALUE = 0x04;
export const DT_CONTROL = 0x08;
export const DT_INTCLR = 0x0c;
export const DT_RIS = 0x10;
export const DT_MIS = 0x14;
export const DT_BGLOAD = 0x18;
export const DT_TIMER2 = 0x20;
export const DT_ITCR = 0xf00;
export const DT_ITOP = 0xf04;

// CONTROL bits.
export const CONTROL_ONESHOT = 0x01;
export const CONTROL_SIZE32 = 0x02;
export const CONTROL_PRESCALE_SHIFT = 2; // 2 bits: 0 → /1, 1 → /16, 2 (and the undefined 3) → /256
export const CONTROL_INTEN = 0x20;
export const CONTROL_PERIODIC = 0x40;
export const CONTROL_ENABLE = 0x80;
const CONTROL_MASK = 0xef;

/** PID4–PID7, PID0–PID3, CID0–CID3 (part number 0x823). */
export const DUALTIMER_ID = [0x04, 0x00, 0x00, 0x00, 0x23, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;

function prescaleDivisor(control: number): number {
  const prescale = (control >>> CONTROL_PRESCALE_SHIFT) & 3;
  return prescale === 0 ? 1 : prescale === 1 ? 16 : 256;
}

/** Replace the low 16 bits of `high` with those of `low`. */
function withLow16(high: number, low: number): number {
  return ((high & 0xffff0000) | (low & 0xffff)) >>> 0;
}

/** The registers of both counters, as typed arrays (index 0: counter 1), so they are the saved state as they are. */
interface DualTimerRegisters {
  readonly control: Uint8Array;
  readonly intstatus: Uint8Array;
  /** LOAD as written (all 32 bits, also in 16-bit mode). */
  readonly load: Uint32Array;
  /** VALUE's top half in 16-bit mode (the counter only counts the low half). */
  readonly value: Uint32Array;
}

/** One of the two counters. */
class DualTimerModule {
  readonly counter: DownCounter;

  constructor(
    private readonly regs: DualTimerRegisters,
    private readonly index: number,
    clock: DeviceContext['clock'],
    private readonly pclkHz: number,
    onZero: () => void,
  ) {
    this.counter = new DownCounter(clock, this.tickNs(0), onZero);
  }

  get control(): number {
    return this.regs.control[this.index];
  }
  set control(value: number) {
    this.regs.control[this.index] = value;
  }
  get intstatus(): boolean {
    return this.regs.intstatus[this.index] !== 0;
  }
  set intstatus(value: boolean) {
    this.regs.intstatus[this.index] = value ? 1 : 0;
  }
  get load(): number {
    return this.regs.load[this.index];
  }
  set load(value: number) {
    this.regs.load[this.index] = value;
  }
  get value(): number {
    return this.regs.value[this.index];
  }
  set value(value: number) {
    this.regs.value[this.index] = value;
  }

  tickNs(control: number): number {
    return (1e9 * prescaleDivisor(control)) / this.pclkHz;
  }

  get masked(): boolean {
    return this.intstatus && (this.control & CONTROL_INTEN) !== 0;
  }

  reset(): void {
    this.control = CONTROL_INTEN;
    this.intstatus = false;
    this.load = 0;
    this.value = 0xffffffff;
    // Free-running, 16-bit: counts and wraps at 0xFFFF.
    this.counter.reset(0xffff);
    this.counter.setTickNs(this.tickNs(this.control));
  }

  readLoad(): number {
    if (!(this.control & CONTROL_PERIODIC)) return this.load;
    const limit = this.counter.limit;
    return this.control & CONTROL_SIZE32 ? limit >>> 0 : withLow16(this.load, limit);
  }

  readValue(): number {
    const count = this.counter.count();
    return this.control & CONTROL_SIZE32 ? count >>> 0 : withLow16(this.value, count);
  }

  writeLoad(value: number): void {
    this.load = value;
    this.value = value;
    const count = this.control & CONTROL_SIZE32 ? value : value & 0xffff;
    if (!(this.control & CONTROL_PERIODIC)) {
      this.counter.setCount(count); // free-running: no limit, only the count
      return;
    }
    if (count === 0) this.counter.stop();
    this.counter.setLimit(count, true);
    if (count !== 0 && this.control & CONTROL_ENABLE) this.counter.run(true);
  }

  writeBgload(value: number): void {
    this.load = value;
    if (!(this.control & CONTROL_PERIODIC)) return;
    this.counter.setLimit(this.control & CONTROL_SIZE32 ? value : value & 0xffff, false);
  }

  writeControl(written: number): void {
    const next = written & CONTROL_MASK;
    const changed = this.control ^ next;
    const counter = this.counter;
    if (changed & ~next & CONTROL_ENABLE) counter.stop();
    if (changed & (3 << CONTROL_PRESCALE_SHIFT)) counter.setTickNs(this.tickNs(next));
    if (changed & CONTROL_PERIODIC) {
      let limit: number;
      if (next & CONTROL_PERIODIC) limit = this.load;
      else {
        // To free-running: the limit goes back into LOAD, and the counter wraps at its full range.
        const old = counter.limit;
        this.load = this.control & CONTROL_SIZE32 ? old : withLow16(this.load, old);
        limit = 0xffffffff;
      }
      if (!(this.control & CONTROL_SIZE32)) limit &= 0xffff;
      counter.setLimit(limit >>> 0, false);
    }
    if (changed & CONTROL_SIZE32) {
      let count = counter.count();
      let limit = counter.limit;
      if (next & CONTROL_SIZE32) count = withLow16(this.value, count);
      else {
        this.value = count;
        count &= 0xffff;
      }
      if (next & CONTROL_PERIODIC) {
        if (next & CONTROL_SIZE32) limit = withLow16(this.load, limit);
        else {
          this.load = limit;
          limit &= 0xffff;
        }
      } else limit = next & CONTROL_SIZE32 ? 0xffffffff : 0xffff;
      counter.setCount(count >>> 0);
      counter.setLimit(limit >>> 0, false);
    }
    // Enabled: (re)start after the other changes, also when ENABLE did not change (an expired one-shot).
    if (next & CONTROL_ENABLE) counter.run((next & CONTROL_ONESHOT) !== 0);
    this.control = next;
  }
}

export const CMSDK_APB_DUALTIMER_STATE = defineState({
  name: 'cmsdk-apb-dualtimer',
  version: 1,
  fields: [
    { name: 'control', type: 'u8[]', mask: CONTROL_MASK, doc: 'CONTROL of counter 1 and 2' },
    { name: 'intstatus', type: 'u8[]', mask: 1, doc: 'raw interrupt status (RIS) of counter 1 and 2' },
    { name: 'load', type: 'u32[]', doc: 'LOAD as written, counter 1 and 2' },
    { name: 'value', type: 'u32[]', doc: 'top half of VALUE in 16-bit mode, counter 1 and 2' },
    { name: 'counter1', type: 'f64[]', doc: 'counter 1: running, one-shot, start time (ns), count at the start, limit' },
    { name: 'counter2', type: 'f64[]', doc: 'counter 2: running, one-shot, start time (ns), count at the start, limit' },
    { name: 'itcr', type: 'u8', mask: 1, doc: 'TIMERITCR: integration test mode' },
    { name: 'itop', type: 'u8', mask: 3, doc: 'TIMERITOP: the outputs in test mode' },
  ],
});

export class CmsdkApbDualTimer implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = CMSDK_APB_DUALTIMER_STATE;
  readonly pclkFrequency: number;
  private readonly modules: [DualTimerModule, DualTimerModule];
  private itcr = 0;
  private itop = 0;
  // The registers of both counters (saved as they are).
  readonly control = new Uint8Array(2);
  readonly intstatus = new Uint8Array(2);
  readonly load = new Uint32Array(2);
  readonly value = new Uint32Array(2);
  private readonly lines = new Map<string, IrqLine>();
  private readonly levels = new Map<string, boolean>();

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.pclkFrequency = frequencyProp(context, 'pclk-frequency', 25_000_000);
    this.modules = [0, 1].map((i) => new DualTimerModule(this, i, context.clock, this.pclkFrequency, () => this.tick(i))) as [DualTimerModule, DualTimerModule];
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
    this.reset();
  }

  get counter1(): Float64Array {
    return this.modules[0].counter.state;
  }

  get counter2(): Float64Array {
    return this.modules[1].counter.state;
  }

  connectIrqOutput(port: string, index: number, line: IrqLine): void {
    const key = port === 'timint' ? `timint${index}` : port;
    this.lines.set(key, line);
    line.set(this.levels.get(key) ?? false);
  }

  /** Its reads have no side effects: the register view reads as the guest does. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return this.read(offset, size);
  }

  read(offset: number, _size: AccessSize): number {
    if (offset >= DT_ITCR) return offset === DT_ITCR ? this.itcr : cmsdkIdRegister(DUALTIMER_ID, offset);
    const m = this.modules[offset >>> 5];
    if (m === undefined) return 0;
    switch (offset & 0x1f) {
      case DT_LOAD:
      case DT_BGLOAD:
        return m.readLoad();
      case DT_VALUE:
        return m.readValue();
      case DT_CONTROL:
        return m.control;
      case DT_RIS:
        return m.intstatus ? 1 : 0;
      case DT_MIS:
        return m.masked ? 1 : 0;
      default:
        return 0;
    }
  }

  write(offset: number, value: number, _size: AccessSize): void {
    value >>>= 0;
    if (offset >= DT_ITCR) {
      if (offset === DT_ITCR) this.itcr = value & 1;
      else if (offset === DT_ITOP) this.itop = value & 3;
      this.update();
      return;
    }
    const m = this.modules[offset >>> 5];
    if (m === undefined) return;
    switch (offset & 0x1f) {
      case DT_LOAD:
        m.writeLoad(value);
        break;
      case DT_BGLOAD:
        m.writeBgload(value);
        break;
      case DT_CONTROL:
        m.writeControl(value);
        this.update();
        break;
      case DT_INTCLR:
        m.intstatus = false;
        this.update();
        break;
      default:
        break;
    }
  }

  reset(): void {
    for (const m of this.modules) m.reset();
    this.itcr = 0;
    this.itop = 0;
    this.update();
  }

  postLoad(): void {
    for (const m of this.modules) m.counter.restore();
    this.update();
  }

  unrealize(): void {
    for (const m of this.modules) m.counter.release();
  }

  private tick(index: number): void {
    this.modules[index].intstatus = true;
    this.update();
  }

  private update(): void {
    const [a, b] = this.modules;
    const int1 = this.itcr ? (this.itop & 1) !== 0 : a.masked;
    const int2 = this.itcr ? (this.itop & 2) !== 0 : b.masked;
    this.drive('timint0', int1);
    this.drive('timint1', int2);
    this.drive('timintc', int1 || int2);
  }

  private drive(key: string, level: boolean): void {
    if (this.levels.get(key) === level) return;
    this.levels.set(key, level);
    this.lines.get(key)?.set(level);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'cmsdk-apb-dualtimer': (context: DeviceContext) => new CmsdkApbDualTimer(context) };
