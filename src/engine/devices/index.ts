// Device models by catalog type name. (Later: loaded lazily per family, see DESIGN.md principle 10.)
import { BootRom } from './boot-rom.ts';
import { Button } from './button.ts';
import { Clint } from './clint.ts';
import type { Device, DeviceContext } from './device.ts';
import { Framebuffer } from './framebuffer.ts';
import { Gpio } from './gpio.ts';
import { Led } from './led.ts';
import { Ns16550a } from './ns16550a.ts';
import { Plic } from './plic.ts';
import { Ram, Rom } from './ram.ts';
import { SifiveTest } from './sifive-test.ts';

export const deviceFactories: Record<string, (context: DeviceContext) => Device> = {
  ram: (context) => new Ram(context),
  rom: (context) => new Rom(context),
  flash: (context) => new Rom(context),
  ns16550a: (context) => new Ns16550a(context),
  'sifive-test': (context) => new SifiveTest(context),
  clint: (context) => new Clint(context),
  plic: (context) => new Plic(context),
  gpio: (context) => new Gpio(context),
  led: (context) => new Led(context),
  button: (context) => new Button(context),
  framebuffer: (context) => new Framebuffer(context),
  'boot-rom': (context) => new BootRom(context),
};

export type { Device, DeviceContext, IrqLine, Region, VirtualClock } from './device.ts';
export { BootRom, Button, Clint, Framebuffer, Gpio, Led, Ns16550a, Plic, Ram, Rom, SifiveTest };
