// A reset controller, as AMP SoCs have one for their second core (i.MX7's SRC holding the M4,
// STM32MP1's RCC holding the M4's boot): one register whose bits hold reset lines asserted. A CPU
// wired to a held line (a reset wire from `rstctl.hold1` to it) does not run; clearing the bit
// releases it, and it starts from its reset state (a Cortex-M core reads its vector table then, so
// another CPU may put its firmware in place first). Setting the bit again puts it back into reset.
//
// Registers (4 KiB block):
//   0x00 HOLD (r/w) bit n: reset output holdN is asserted. After a board reset it reads the
//                   `hold-at-reset` property, so a CPU can start held and wait for another to release it.
// Every other offset reads 0 and ignores writes.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceContext, Region, ResetLine } from './device.ts';

export const RESET_CONTROLLER_HOLD = 0x00;
/** Reset outputs hold0 … hold3. */
export const RESET_CONTROLLER_LINES = 4;
const HOLD_MASK = (1 << RESET_CONTROLLER_LINES) - 1;

export const RESET_CONTROLLER_STATE = defineState({
  name: 'reset-controller',
  version: 1,
  fields: [{ name: 'hold', type: 'u32', mask: HOLD_MASK, doc: 'HOLD: bit n asserts reset output holdN' }],
});

export class ResetController implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = RESET_CONTROLLER_STATE;
  readonly holdAtReset: number;
  hold: number;
  private readonly lines: Array<ResetLine | undefined> = [];

  constructor(context: DeviceContext) {
    this.path = context.path;
    const holdAtReset = context.props['hold-at-reset'] ?? 0;
    if (typeof holdAtReset !== 'number' || !Number.isInteger(holdAtReset) || holdAtReset < 0 || holdAtReset > HOLD_MASK) {
      throw new Error(`${this.path}: hold-at-reset must be a mask of the ${RESET_CONTROLLER_LINES} lines (0 to ${HOLD_MASK}), not ${String(holdAtReset)}`);
    }
    this.holdAtReset = holdAtReset;
    this.hold = holdAtReset;
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
  }

  /** Its reads have no side effects: the register view reads as the guest does. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return this.read(offset, size);
  }

  read(offset: number, _size: AccessSize = 4): number {
    return offset === RESET_CONTROLLER_HOLD ? this.hold : 0;
  }

  write(offset: number, value: number, _size: AccessSize = 4): void {
    if (offset === RESET_CONTROLLER_HOLD) this.setHold(value & HOLD_MASK);
  }

  private setHold(hold: number): void {
    const changed = this.hold ^ hold;
    this.hold = hold;
    for (let line = 0; line < RESET_CONTROLLER_LINES; line++) if ((changed >> line) & 1) this.lines[line]?.set(((hold >> line) & 1) !== 0);
  }

  connectResetOutput(port: string, line: ResetLine): void {
    const index = /^hold(\d)$/.exec(port);
    if (index === null || Number(index[1]) >= RESET_CONTROLLER_LINES) return;
    this.lines[Number(index[1])] = line;
    line.set(((this.hold >> Number(index[1])) & 1) !== 0);
  }

  reset(): void {
    this.setHold(this.holdAtReset);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'reset-controller': (context: DeviceContext) => new ResetController(context) };
