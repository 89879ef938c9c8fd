// The FPGA system control and I/O block of the MPS2 FPGA images, as QEMU 7.2 models it
// (hw/misc/mps2-fpgaio.c; mps2-an385 maps it at 0x40028000): LED0 drives the user LEDs (out ports
// led[0]…, wired to led objects the designer shows), BUTTON reads the user buttons (in ports
// button[0], button[1]; QEMU has none wired and reads 0, as an unwired input does here), and four
// counters run from virtual time: CLK1HZ and CLK100HZ count at 1 Hz and 100 Hz, PSCNTR counts
// down at prescale-frequency and reloads from PRESCALE one tick after reaching 0, when COUNTER
// increments. MISC reads as written (its SPI/CLCD control bits do nothing, as on QEMU).
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, StateError, type SavedValue, type Stateful } from '../state.ts';
import { frequencyProp } from './cmsdk.ts';
import type { Device, DeviceContext, IrqLine, Region, VirtualClock } from './device.ts';

// Register offsets.
export const FPGAIO_LED0 = 0x00;
export const FPGAIO_BUTTON = 0x08;
export const FPGAIO_CLK1HZ = 0x10;
export const FPGAIO_CLK100HZ = 0x14;
export const FPGAIO_COUNTER = 0x18;
export const FPGAIO_PRESCALE = 0x1c;
export const FPGAIO_PSCNTR = 0x20;
export const FPGAIO_MISC = 0x4c;

const NS_PER_SECOND = 1e9;
export const FPGAIO_MAX_LEDS = 32;
export const FPGAIO_BUTTONS = 2;

export const MPS2_FPGAIO_STATE = defineState({
  name: 'mps2-fpgaio',
  version: 1,
  fields: [
    { name: 'led0', type: 'u32', doc: 'LED0: one bit per LED' },
    { name: 'buttons', type: 'u8', mask: (1 << FPGAIO_BUTTONS) - 1, doc: 'levels of the button inputs' },
    { name: 'prescale', type: 'u32', doc: 'PRESCALE: the reload value of PSCNTR' },
    { name: 'misc', type: 'u32', doc: 'MISC as written' },
    { name: 'clk1hzOffsetNs', type: 'f64', doc: 'virtual time at which CLK1HZ read 0' },
    { name: 'clk100hzOffsetNs', type: 'f64', doc: 'virtual time at which CLK100HZ read 0' },
    { name: 'counter', type: 'u32', doc: 'COUNTER at the last synchronisation' },
    { name: 'pscntr', type: 'u32', doc: 'PSCNTR at the last synchronisation' },
    { name: 'pscntrSyncNs', type: 'f64', doc: 'virtual time of the PSCNTR tick COUNTER and PSCNTR were last brought up to' },
  ],
});

export class Mps2Fpgaio implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = MPS2_FPGAIO_STATE;
  readonly numLeds: number;
  /** The rate PSCNTR counts at (Hz). */
  readonly prescaleFrequency: number;
  private led0 = 0;
  private buttons = 0;
  private prescale = 0;
  private misc = 0;
  private clk1hzOffsetNs = 0;
  private clk100hzOffsetNs = 0;
  private counter = 0;
  private pscntr = 0;
  private pscntrSyncNs = 0;
  private readonly clock: VirtualClock | undefined;
  private readonly ledLines: (IrqLine | undefined)[];

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.clock = context.clock;
    const leds = context.props['num-leds'] ?? 2;
    if (typeof leds !== 'number' || !Number.isInteger(leds) || leds < 0 || leds > FPGAIO_MAX_LEDS) throw new Error(`${this.path}: num-leds must be 0 to ${FPGAIO_MAX_LEDS}, not ${String(leds)}`);
    this.numLeds = leds;
    this.prescaleFrequency = frequencyProp(context, 'prescale-frequency', 25_000_000);
    this.ledLines = new Array<IrqLine | undefined>(leds).fill(undefined);
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
    this.reset();
  }

  connectIrqOutput(port: string, index: number, line: IrqLine): void {
    if (port !== 'led' || index < 0 || index >= this.numLeds) return;
    this.ledLines[index] = line;
    line.set(((this.led0 >>> index) & 1) !== 0);
  }

  setIrqInput(port: string, index: number, level: boolean): void {
    if (port !== 'button' || index < 0 || index >= FPGAIO_BUTTONS) return;
    this.buttons = level ? this.buttons | (1 << index) : this.buttons & ~(1 << index);
  }

  /**
   * A read without its side effects: COUNTER and PSCNTR are brought up to now as a read does, and
   * the synchronisation point is put back, so the view never moves where later reads round from.
   */
  peek(_region: string, offset: number, size: AccessSize): number {
    const { counter, pscntr, pscntrSyncNs } = this;
    const value = this.read(offset, size);
    this.counter = counter;
    this.pscntr = pscntr;
    this.pscntrSyncNs = pscntrSyncNs;
    return value;
  }

  read(offset: number, _size: AccessSize): number {
    switch (offset) {
      case FPGAIO_LED0:
        return this.led0;
      case FPGAIO_BUTTON:
        return this.buttons;
      case FPGAIO_CLK1HZ:
        return this.clockCount(this.clk1hzOffsetNs, 1);
      case FPGAIO_CLK100HZ:
        return this.clockCount(this.clk100hzOffsetNs, 100);
      case FPGAIO_COUNTER:
        this.resync();
        return this.counter;
      case FPGAIO_PRESCALE:
        return this.prescale;
      case FPGAIO_PSCNTR:
        this.resync();
        return this.pscntr;
      case FPGAIO_MISC:
        return this.misc;
      default:
        return 0;
    }
  }

  write(offset: number, value: number, _size: AccessSize): void {
    value >>>= 0;
    switch (offset) {
      case FPGAIO_LED0:
        this.setLeds(this.numLeds === 32 ? value : value & ((1 << this.numLeds) - 1));
        return;
      case FPGAIO_CLK1HZ:
        this.clk1hzOffsetNs = this.now() - (value * NS_PER_SECOND) / 1;
        return;
      case FPGAIO_CLK100HZ:
        this.clk100hzOffsetNs = this.now() - (value * NS_PER_SECOND) / 100;
        return;
      case FPGAIO_COUNTER:
        this.resync();
        this.counter = value;
        return;
      case FPGAIO_PRESCALE:
        this.resync();
        this.prescale = value;
        return;
      case FPGAIO_PSCNTR:
        this.resync();
        this.pscntr = value;
        return;
      case FPGAIO_MISC:
        this.misc = value;
        return;
      default:
        return; // BUTTON is read-only
    }
  }

  reset(): void {
    const now = this.now();
    this.setLeds(0);
    this.prescale = 0;
    this.misc = 0;
    this.clk1hzOffsetNs = now;
    this.clk100hzOffsetNs = now;
    this.counter = 0;
    this.pscntr = 0;
    this.pscntrSyncNs = now;
  }

  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    const led0 = fields.led0 as number;
    if (this.numLeds < 32 && led0 >>> this.numLeds !== 0) throw new StateError(`${this.path} (mps2-fpgaio): field led0 = 0x${led0.toString(16)} has bits beyond the ${this.numLeds} LEDs`, 'mps2-fpgaio', 'led0');
  }

  postLoad(): void {
    this.ledLines.forEach((line, i) => line?.set(((this.led0 >>> i) & 1) !== 0));
  }

  private now(): number {
    return this.clock?.now() ?? 0;
  }

  /** Ticks at `hz` since the time the counter read 0, as a 32-bit count. */
  private clockCount(offsetNs: number, hz: number): number {
    return Math.floor(((this.now() - offsetNs) * hz) / NS_PER_SECOND) >>> 0;
  }

  /**
   * Bring COUNTER and PSCNTR up to now: PSCNTR has ticked `ticks` times since the last sync; each
   * time it would go below 0 it reloads from PRESCALE instead, and COUNTER increments. The sync
   * time only advances by whole ticks, so repeated reads lose no time.
   */
  private resync(): void {
    const tickNs = NS_PER_SECOND / this.prescaleFrequency;
    const ticks = Math.floor((this.now() - this.pscntrSyncNs) / tickNs + 1e-7);
    if (ticks <= 0) return;
    if (ticks < this.pscntr) this.pscntr -= ticks;
    else if (this.prescale === 0) {
      // Stuck at 0: COUNTER increments on every tick after PSCNTR reached 0.
      this.counter = (this.counter + (ticks - this.pscntr)) >>> 0;
      this.pscntr = 0;
    } else {
      const period = this.prescale + 1;
      const y = ticks - this.pscntr + this.prescale;
      this.pscntr = this.prescale - (y % period);
      this.counter = (this.counter + Math.floor(y / period)) >>> 0;
    }
    this.pscntrSyncNs += ticks * tickNs;
  }

  private setLeds(value: number): void {
    const changed = (this.led0 ^ value) >>> 0;
    this.led0 = value >>> 0;
    for (let i = 0; i < this.numLeds; i++) if ((changed >>> i) & 1) this.ledLines[i]?.set(((value >>> i) & 1) !== 0);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'mps2-fpgaio': (context: DeviceContext) => new Mps2Fpgaio(context) };
