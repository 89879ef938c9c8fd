// A bank of up to 32 general-purpose I/O lines (BoardLab's own simple GPIO; QEMU virt has none).
// Output lines drive LEDs and other inputs: line i is high while its output value bit and output
// enable bit are both set. Input lines come from buttons and other outputs; any change of a line
// whose interrupt is enabled latches its pending bit, and the irq output is high while an enabled
// interrupt is pending. Registers accept 8-, 16- and 32-bit accesses (byte lanes, little-endian).
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, StateError, type SavedValue, type Stateful } from '../state.ts';
import type { Device, DeviceContext, IrqLine, Region } from './device.ts';

// Register offsets.
export const GPIO_INPUT = 0x00; // current levels of the input lines (read-only)
export const GPIO_OUTPUT = 0x04; // output value
export const GPIO_OUTPUT_ENABLE = 0x08; // a line drives its output only while enabled
export const GPIO_IRQ_ENABLE = 0x0c; // per-line interrupt on input change
export const GPIO_IRQ_PENDING = 0x10; // latched input changes; write 1 to clear
export const GPIO_SIZE = 0x1000;

/** The registers, the input levels and the levels last driven on the outputs (bit i: line i). */
export const GPIO_STATE = defineState({
  name: 'gpio',
  version: 1,
  fields: [
    { name: 'input', type: 'u32', doc: 'input line levels' },
    { name: 'output', type: 'u32', doc: 'output value register' },
    { name: 'outputEnable', type: 'u32', doc: 'output enable register' },
    { name: 'irqEnable', type: 'u32', doc: 'interrupt enable register' },
    { name: 'irqPending', type: 'u32', doc: 'latched input changes' },
    { name: 'driven', type: 'u32', doc: 'levels last driven on the out lines' },
    { name: 'irqLevel', type: 'bool', doc: 'level last driven on the irq line' },
  ],
});

/** GPIO_STATE fields that hold one bit per line. */
const GPIO_LINE_FIELDS = ['input', 'output', 'outputEnable', 'irqEnable', 'irqPending', 'driven'] as const;

export class Gpio implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = GPIO_STATE;
  readonly numLines: number;
  /** Bits of the implemented lines. */
  readonly lineMask: number;
  /** Called after the output levels change (for the UI), with the new outputLevels(). */
  onOutputChange: ((levels: number) => void) | undefined;

  private input = 0;
  private output = 0;
  private outputEnable = 0;
  private irqEnable = 0;
  private irqPending = 0;
  /** Levels last driven on the out lines. */
  private driven = 0;
  private irqLevel = false;
  private readonly outLines: (IrqLine | undefined)[];
  private irqLine: IrqLine | undefined;

  constructor(context: DeviceContext) {
    this.path = context.path;
    const value = context.props['num-lines'];
    this.numLines = value === undefined || value === null ? 32 : Number(value);
    if (!Number.isInteger(this.numLines) || this.numLines < 1 || this.numLines > 32) throw new Error(`${this.path}: num-lines must be 1..32`);
    this.lineMask = this.numLines === 32 ? 0xffffffff : (1 << this.numLines) - 1;
    this.outLines = new Array<IrqLine | undefined>(this.numLines).fill(undefined);
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
  }

  connectIrqOutput(port: string, index: number, line: IrqLine): void {
    if (port === 'out' && index >= 0 && index < this.numLines) {
      this.outLines[index] = line;
      line.set(((this.driven >>> index) & 1) !== 0);
    } else if (port === 'irq' && index === 0) {
      this.irqLine = line;
      line.set(this.irqLevel);
    }
  }

  setIrqInput(port: string, index: number, level: boolean): void {
    if (port !== 'in' || index < 0 || index >= this.numLines) return;
    const bit = 1 << index;
    const old = this.input;
    this.input = level ? (old | bit) >>> 0 : (old & ~bit) >>> 0;
    if (old !== this.input && (this.irqEnable & bit) !== 0) {
      this.irqPending = (this.irqPending | bit) >>> 0;
      this.updateIrq();
    }
  }

  /** Levels of the output lines as a bitmask (bit i: out line i is high). */
  outputLevels(): number {
    return this.driven;
  }

  /** Levels of the input lines as a bitmask. */
  inputLevels(): number {
    return this.input;
  }

  /** Its reads have no side effects: the register view reads as the guest does. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return this.read(offset, size);
  }

  read(offset: number, size: AccessSize): number {
    const shift = (offset & 3) * 8;
    const value = this.register(offset & ~3) >>> shift;
    return size === 4 ? value >>> 0 : value & (size === 2 ? 0xffff : 0xff);
  }

  write(offset: number, value: number, size: AccessSize): void {
    const shift = (offset & 3) * 8;
    const laneMask = size === 4 ? 0xffffffff : ((size === 2 ? 0xffff : 0xff) << shift) >>> 0;
    const bits = ((value << shift) & laneMask) >>> 0;
    const merge = (old: number) => (((old & ~laneMask) | bits) & this.lineMask) >>> 0;
    switch (offset & ~3) {
      case GPIO_OUTPUT:
        this.output = merge(this.output);
        this.updateOutputs();
        return;
      case GPIO_OUTPUT_ENABLE:
        this.outputEnable = merge(this.outputEnable);
        this.updateOutputs();
        return;
      case GPIO_IRQ_ENABLE:
        this.irqEnable = merge(this.irqEnable);
        this.updateIrq();
        return;
      case GPIO_IRQ_PENDING:
        this.irqPending = (this.irqPending & ~bits) >>> 0;
        this.updateIrq();
        return;
      default:
        return; // the input register is read-only
    }
  }

  /** Registers cleared and outputs low; input levels stay (they belong to what drives them). */
  reset(): void {
    this.output = 0;
    this.outputEnable = 0;
    this.irqEnable = 0;
    this.irqPending = 0;
    this.updateOutputs();
    this.updateIrq();
  }

  /** Saved state may only have bits of the lines this instance implements. */
  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    for (const name of GPIO_LINE_FIELDS) {
      const value = fields[name] as number;
      if ((value & ~this.lineMask) >>> 0 !== 0) {
        throw new StateError(`${this.path} (gpio): field ${name} = 0x${value.toString(16)} has bits beyond the ${this.numLines} lines`, 'gpio', name);
      }
    }
  }

  /**
   * After loadState: drive every out line and the irq line at their loaded levels, tell the
   * observer, then settle anything the registers imply (nothing, for state saved by a Gpio).
   */
  postLoad(): void {
    for (let line = 0; line < this.numLines; line++) this.outLines[line]?.set(((this.driven >>> line) & 1) !== 0);
    this.irqLine?.set(this.irqLevel);
    this.onOutputChange?.(this.driven);
    this.updateOutputs();
    this.updateIrq();
  }

  private register(offset: number): number {
    switch (offset) {
      case GPIO_INPUT:
        return this.input;
      case GPIO_OUTPUT:
        return this.output;
      case GPIO_OUTPUT_ENABLE:
        return this.outputEnable;
      case GPIO_IRQ_ENABLE:
        return this.irqEnable;
      case GPIO_IRQ_PENDING:
        return this.irqPending;
      default:
        return 0;
    }
  }

  private updateOutputs(): void {
    const levels = (this.output & this.outputEnable) >>> 0;
    const changed = (levels ^ this.driven) >>> 0;
    if (changed === 0) return;
    this.driven = levels;
    for (let line = 0; line < this.numLines; line++) {
      if (((changed >>> line) & 1) !== 0) this.outLines[line]?.set(((levels >>> line) & 1) !== 0);
    }
    this.onOutputChange?.(levels);
  }

  private updateIrq(): void {
    const level = (this.irqPending & this.irqEnable) !== 0;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.irqLine?.set(level);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { gpio: (context: DeviceContext) => new Gpio(context) };
