// What the page shows of a built machine: the UART the terminal talks to, LEDs, buttons and
// framebuffers (with their shared pixel memory), and the objects' life-cycle states and engine
// events. Plain data, cloned to the UI by comlink; the device objects stay in the worker.
// Device classes are imported as types only: their code loads lazily (../engine/registry.ts), so
// devices are recognised by their catalog type.
import type { Button } from '../engine/devices/button.ts';
import type { SerialPort } from '../engine/devices/device.ts';
import type { Framebuffer } from '../engine/devices/framebuffer.ts';
import type { Led } from '../engine/devices/led.ts';
import { isA } from '../graph/index.ts';
import type { GuestFault, HartReport } from '../engine/guest-status.ts';
import type { SerialStream } from './serial-streams.ts';

export type { GuestFault, GuestFaultKind, HartReport, HartStatus, TrapInfo } from '../engine/guest-status.ts';
export type { SerialStream } from './serial-streams.ts';

export interface LedInfo {
  path: string;
  /** Bit index in the shared LED words. */
  index: number;
  color: string;
}

export interface ButtonInfo {
  path: string;
  /** Index the UI sends press and release events with. */
  index: number;
  activeLow: boolean;
}

export interface FramebufferInfo {
  path: string;
  width: number;
  height: number;
  format: 'xrgb8888' | 'rgb565';
  /** Bytes from one row to the next. */
  stride: number;
  /** The pixel memory itself, shared with the guest (null if the host could not share it): `stride * height` bytes from `byteOffset`. */
  buffer: SharedArrayBuffer | null;
  byteOffset: number;
}

export interface BoardDevices {
  /** Path of the UART typing goes to at first (the board's first), or null. */
  uart: string | null;
  /** A terminal each: every UART and every semihosting console that sees no UART (./serial-streams.ts). */
  serial: SerialStream[];
  leds: LedInfo[];
  buttons: ButtonInfo[];
  framebuffers: FramebufferInfo[];
}

/** Life-cycle state of every object (by path) and the engine's recent events, oldest first. */
export interface MachineInfo {
  states: Record<string, string>;
  events: string[];
  /** What each hart is doing (running, waiting for an interrupt, faulting, halted, held) and its firmware. */
  harts: HartReport[];
  /** What the guest did wrong since the last build or reset: access faults, trap loops, fault spins. */
  faults: GuestFault[];
}

export const NO_DEVICES: BoardDevices = { uart: null, serial: [], leds: [], buttons: [], framebuffers: [] };

/** What the runner needs to find the devices (src/engine's Machine has all of it). */
export interface DeviceHost {
  readonly devices?: ReadonlyMap<string, unknown>;
  /** The catalog type of each device, by path. */
  readonly deviceTypes?: ReadonlyMap<string, string>;
  /** The serial port of a device (default: the board's first). */
  serialPort?(path?: string): SerialPort | undefined;
  /** Devices that offer a serial port, in board order. */
  readonly serialPaths?: readonly string[];
  readonly states?: ReadonlyMap<string, string>;
  readonly events?: readonly string[];
  hartReports?(): HartReport[];
  readonly guestFaults?: readonly GuestFault[];
}

/** The devices of a machine the UI shows, with the live objects the runner drives. */
export interface AttachedDevices {
  info: BoardDevices;
  uart: SerialPort | undefined;
  leds: Led[];
  buttons: Button[];
}

export function findDevices(machine: DeviceHost, maxLeds: number, maxButtons: number): AttachedDevices {
  const uart = machine.serialPort?.();
  const info: BoardDevices = { uart: uart === undefined ? null : (machine.serialPaths?.[0] ?? null), serial: [], leds: [], buttons: [], framebuffers: [] };
  const leds: Led[] = [];
  const buttons: Button[] = [];
  for (const [path, model] of machine.devices ?? []) {
    const type = machine.deviceTypes?.get(path) ?? '';
    if (isA(type, 'led') && leds.length < maxLeds) {
      const device = model as Led;
      info.leds.push({ path, index: leds.length, color: device.color });
      leds.push(device);
    } else if (isA(type, 'button') && buttons.length < maxButtons) {
      const device = model as Button;
      info.buttons.push({ path, index: buttons.length, activeLow: device.activeLow });
      buttons.push(device);
    } else if (isA(type, 'framebuffer')) {
      const device = model as Framebuffer;
      info.framebuffers.push({
        path,
        width: device.width,
        height: device.height,
        format: device.format,
        stride: device.stride,
        buffer: typeof SharedArrayBuffer !== 'undefined' && device.memory.buffer instanceof SharedArrayBuffer ? device.memory.buffer : null,
        byteOffset: device.memory.byteOffset,
      });
    }
  }
  return { info, uart, leds, buttons };
}

export function machineInfo(machine: DeviceHost): MachineInfo {
  return {
    states: Object.fromEntries(machine.states ?? []),
    events: [...(machine.events ?? [])],
    harts: machine.hartReports?.() ?? [],
    faults: [...(machine.guestFaults ?? [])],
  };
}
