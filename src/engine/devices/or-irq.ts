// An OR gate for interrupt lines (QEMU's "or-irq"): its output is high while any of its inputs is.
// A board input takes one output, so where hardware ORs several interrupt sources into one line
// (mps2-an385 ORs the overrun interrupts of UARTs 0–2 into IRQ 12), the board wires them through
// one of these.
import { defineState, StateError, type SavedValue, type Stateful } from '../state.ts';
import type { Device, DeviceContext, IrqLine, Region } from './device.ts';

export const OR_IRQ_MAX_LINES = 32;

export const OR_IRQ_STATE = defineState({
  name: 'or-irq',
  version: 1,
  fields: [{ name: 'levels', type: 'u32', doc: 'input levels, bit i: in[i]' }],
});

export class OrIrq implements Device, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region> = new Map();
  readonly stateDescriptor = OR_IRQ_STATE;
  readonly numLines: number;
  private levels = 0;
  private out: IrqLine | undefined;

  constructor(context: DeviceContext) {
    this.path = context.path;
    const lines = context.props['num-lines'] ?? 2;
    if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 1 || lines > OR_IRQ_MAX_LINES) throw new Error(`${this.path}: num-lines must be 1 to ${OR_IRQ_MAX_LINES}, not ${String(lines)}`);
    this.numLines = lines;
  }

  connectIrqOutput(port: string, _index: number, line: IrqLine): void {
    if (port !== 'out') return;
    this.out = line;
    line.set(this.levels !== 0);
  }

  setIrqInput(port: string, index: number, level: boolean): void {
    if (port !== 'in' || index < 0 || index >= this.numLines) return;
    const before = this.levels !== 0;
    this.levels = (level ? this.levels | (1 << index) : this.levels & ~(1 << index)) >>> 0;
    if ((this.levels !== 0) !== before) this.out?.set(this.levels !== 0);
  }

  /** Its inputs keep their levels: they belong to what drives them. */
  reset(): void {}

  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    const levels = fields.levels as number;
    if (this.numLines < 32 && levels >>> this.numLines !== 0) throw new StateError(`${this.path} (or-irq): field levels = 0x${levels.toString(16)} has bits beyond the ${this.numLines} inputs`, 'or-irq', 'levels');
  }

  postLoad(): void {
    this.out?.set(this.levels !== 0);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'or-irq': (context: DeviceContext) => new OrIrq(context) };
