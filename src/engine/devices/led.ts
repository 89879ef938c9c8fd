// A light-emitting diode: lit while its input line is high. It has no registers; the designer
// shows it glowing in its colour, so it reports every change to an observer.
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceContext, Region } from './device.ts';

export const LED_COLORS = ['red', 'green', 'blue', 'yellow', 'white'] as const;
export type LedColor = (typeof LED_COLORS)[number];

/** Whether the LED is lit (the level of its input line as last driven). The colour is configuration. */
export const LED_STATE = defineState({
  name: 'led',
  version: 1,
  fields: [{ name: 'on', type: 'bool', doc: 'lit: the input line was last driven high' }],
});

export class Led implements Device, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region> = new Map();
  readonly stateDescriptor = LED_STATE;
  readonly color: LedColor;
  /** Called when the LED turns on or off (the UI shows it). */
  onChange: ((lit: boolean) => void) | undefined;
  private on = false;

  constructor(context: DeviceContext) {
    this.path = context.path;
    const color = context.props.color ?? 'green';
    if (!LED_COLORS.includes(color as LedColor)) throw new Error(`${this.path}: unknown LED color ${String(color)}`);
    this.color = color as LedColor;
  }

  get lit(): boolean {
    return this.on;
  }

  setIrqInput(port: string, index: number, level: boolean): void {
    if (port !== 'in' || index !== 0 || level === this.on) return;
    this.on = level;
    this.onChange?.(level);
  }

  /** The LED follows its input line, which a reset does not change. */
  reset(): void {}

  /** After loadState: tell the observer (the UI) whether the LED is lit now. */
  postLoad(): void {
    this.onChange?.(this.on);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { led: (context: DeviceContext) => new Led(context) };
