// A push button: its output line is high while pressed, or low while pressed when active-low (a
// button that pulls the line to ground). The designer and the API press and release it.
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceContext, IrqLine, Region } from './device.ts';

/** Whether the button is held down; the output level follows from it and active-low (configuration). */
export const BUTTON_STATE = defineState({
  name: 'button',
  version: 1,
  fields: [{ name: 'down', type: 'bool', doc: 'pressed' }],
});

export class Button implements Device, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region> = new Map();
  readonly stateDescriptor = BUTTON_STATE;
  readonly activeLow: boolean;
  private down = false;
  private line: IrqLine | undefined;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.activeLow = context.props['active-low'] === true;
  }

  get pressed(): boolean {
    return this.down;
  }

  /** The level the output line has now. */
  get level(): boolean {
    return this.down !== this.activeLow;
  }

  connectIrqOutput(port: string, index: number, line: IrqLine): void {
    if (port !== 'out' || index !== 0) return;
    this.line = line;
    line.set(this.level);
  }

  press(): void {
    this.setPressed(true);
  }

  release(): void {
    this.setPressed(false);
  }

  setPressed(pressed: boolean): void {
    if (pressed === this.down) return;
    this.down = pressed;
    this.line?.set(this.level);
  }

  /** A machine reset does not lift a finger off the button: it keeps its state and drives its level again. */
  reset(): void {
    this.line?.set(this.level);
  }

  /** After loadState: drive the output line at the level of the loaded pressed state. */
  postLoad(): void {
    this.line?.set(this.level);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { button: (context: DeviceContext) => new Button(context) };
