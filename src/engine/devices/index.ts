// Device models by catalog type name. (Later: loaded lazily per family, see DESIGN.md principle 10.)
import type { Device, DeviceContext } from './device.ts';
import { Ns16550a } from './ns16550a.ts';
import { Ram } from './ram.ts';
import { SifiveTest } from './sifive-test.ts';

export const deviceFactories: Record<string, (context: DeviceContext) => Device> = {
  ram: (context) => new Ram(context),
  ns16550a: (context) => new Ns16550a(context),
  'sifive-test': (context) => new SifiveTest(context),
};

export type { Device, DeviceContext, IrqLine, Region } from './device.ts';
export { Ns16550a, Ram, SifiveTest };
