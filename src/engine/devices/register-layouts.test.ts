// The catalog's register layouts (src/graph/register-layouts.ts) against the device models: the
// offsets a layout lists are the ones its implementation names, every listed register peeks a
// value, peeking changes nothing (the saved state is the same after peeking every register), and
// peek returns what a read would.
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceRegisterLayout, effectiveType, registerInstances, type RegisterInstance } from '../../graph/index.ts';
import { typesWithRegisterLayouts } from '../../graph/register-layouts.ts';
import { engineModules } from '../registry.ts';
import { saveState } from '../state.ts';
import type { AccessSize } from '../memory.ts';
import { privateRam, type Device, type DeviceContext, type VirtualClock } from './device.ts';
import * as ns16550a from './ns16550a.ts';
import * as plic from './plic.ts';
import * as clint from './clint.ts';
import * as gpio from './gpio.ts';
import * as cmsdkUart from './cmsdk-apb-uart.ts';
import * as cmsdkTimer from './cmsdk-apb-timer.ts';
import * as cmsdkDualTimer from './cmsdk-apb-dualtimer.ts';
import * as scc from './mps2-scc.ts';
import * as fpgaio from './mps2-fpgaio.ts';
import * as mailbox from './mailbox.ts';
import * as resetController from './reset-controller.ts';
import * as sifiveTest from './sifive-test.ts';

/** The register offsets each implementation names: its exported numeric constants with the prefix, minus sizes, strides and counts. */
function namedOffsets(module: Record<string, unknown>, prefix: string, notOffsets: readonly string[] = []): number[] {
  return Object.entries(module)
    .filter(([name, value]) => name.startsWith(prefix) && typeof value === 'number' && !notOffsets.includes(name) && !/_(SIZE|STRIDE|MAX|MAX_[A-Z]+|DEFAULT_[A-Z]+)$/.test(name))
    .map(([, value]) => value as number)
    .sort((a, b) => a - b);
}

const EXPECTED_OFFSETS: Record<string, () => number[]> = {
  ns16550a: () => namedOffsets(ns16550a, 'UART_'),
  // priority[0] is source 0, which does not exist: the layout starts at source 1; the context registers sit in the first context's page
  plic: () => [plic.PLIC_PRIORITY + 4, plic.PLIC_PENDING, plic.PLIC_ENABLE, plic.PLIC_CONTEXT + plic.PLIC_THRESHOLD, plic.PLIC_CONTEXT + plic.PLIC_CLAIM_COMPLETE].sort((a, b) => a - b),
  clint: () => namedOffsets(clint, 'CLINT_'),
  gpio: () => namedOffsets(gpio, 'GPIO_'),
  'cmsdk-apb-uart': () => namedOffsets(cmsdkUart, 'UART_'),
  'cmsdk-apb-timer': () => namedOffsets(cmsdkTimer, 'TIMER_'),
  // DT_TIMER2 is where counter 2's copy starts (the layout's repeat stride), not a register
  'cmsdk-apb-dualtimer': () => namedOffsets(cmsdkDualTimer, 'DT_', ['DT_TIMER2']),
  'mps2-scc': () => namedOffsets(scc, 'SCC_'),
  'mps2-fpgaio': () => namedOffsets(fpgaio, 'FPGAIO_', ['FPGAIO_MAX_LEDS', 'FPGAIO_BUTTONS']),
  mailbox: () => namedOffsets(mailbox, 'MAILBOX_', ['MAILBOX_REGION_SIZE']),
  'reset-controller': () => namedOffsets(resetController, 'RESET_CONTROLLER_', ['RESET_CONTROLLER_LINES']),
  // the finisher's one register at 0 has no named offset; its values are named
  'sifive-test': () => [0],
};

function defaultProps(type: string): Record<string, number | string | boolean | null> {
  return Object.fromEntries((effectiveType(type)?.props ?? []).map((p) => [p.name, p.default ?? null]));
}

class StillClock implements VirtualClock {
  time = 1_234_567;
  now(): number {
    return this.time;
  }
  schedule(): number {
    return 1;
  }
  cancel(): void {}
}

function build(type: string, clock = new StillClock()): { device: Device; instances: RegisterInstance[] } {
  const props = defaultProps(type);
  const context: DeviceContext = { path: `/machine/${type}0`, props, allocateRam: privateRam, clock };
  const device = engineModules.deviceFactory(type)!(context);
  const instances = deviceRegisterLayout(type)!.flatMap((block) => registerInstances(block, props));
  return { device, instances };
}

/** Peek every register (64-bit ones as two words). */
function peekAll(device: Device, instances: readonly RegisterInstance[]): (number | undefined)[] {
  return instances.flatMap((i) => (i.layout.width === 64 ? [device.peek!(i.region, i.offset, 4), device.peek!(i.region, i.offset + 4, 4)] : [device.peek!(i.region, i.offset, (i.layout.width / 8) as AccessSize)]));
}

beforeAll(async () => {
  await engineModules.loadCatalogModules();
});

describe('register layouts', () => {
  it('cover the devices the view explains', () => {
    expect(typesWithRegisterLayouts().sort()).toEqual(Object.keys(EXPECTED_OFFSETS).sort());
  });

  for (const type of Object.keys(EXPECTED_OFFSETS)) {
    it(`${type}: the layout lists the register offsets its implementation names, in regions the catalog has`, () => {
      const layout = deviceRegisterLayout(type)!;
      const regions = new Map((effectiveType(type)?.regions ?? []).map((r) => [r.name, r]));
      for (const block of layout) {
        expect(regions.has(block.region), `${type} has region ${block.region}`).toBe(true);
        expect([...new Set(block.registers.map((r) => r.offset))].sort((a, b) => a - b)).toEqual(EXPECTED_OFFSETS[type]());
      }
    });

    it(`${type}: every register peeks a value, and peeking changes nothing`, () => {
      const { device, instances } = build(type);
      expect(instances.length).toBeGreaterThan(0);
      const regionSize = (region: string) => {
        const size = effectiveType(type)?.regions.find((r) => r.name === region)?.size;
        return typeof size === 'number' ? size : Infinity;
      };
      for (const instance of instances) expect(instance.offset + instance.layout.width / 8, instance.name).toBeLessThanOrEqual(regionSize(instance.region));
      const before = saveState(device);
      const values = peekAll(device, instances);
      for (const [index, value] of values.entries()) expect(typeof value, `${type} value ${index}`).toBe('number');
      expect(saveState(device)).toEqual(before);
      expect(peekAll(device, instances)).toEqual(values);
    });
  }

  it('sifive-test: the finisher values the layout names are the ones the device acts on', () => {
    const status = deviceRegisterLayout('sifive-test')![0].registers[0].fields!.find((field) => field.name === 'status')!;
    expect(status.values).toEqual({ [sifiveTest.FINISHER_FAIL]: 'fail', [sifiveTest.FINISHER_PASS]: 'pass', [sifiveTest.FINISHER_RESET]: 'reset' });
  });

  it('ns16550a: RBR shows the oldest received byte without taking it; LSR keeps OE; IIR keeps the THR-empty interrupt', () => {
    const { device } = build('ns16550a');
    const uart = device as ns16550a.Ns16550a;
    uart.write(ns16550a.UART_IER, ns16550a.IER_THRI, 1);
    uart.receive(Array.from({ length: 17 }, (_, i) => 0x41 + i)); // one more than the FIFO holds: overrun
    for (let i = 0; i < 3; i++) {
      expect(uart.peek('regs', ns16550a.UART_RBR_THR, 1)).toBe(0x41);
      expect(uart.peek('regs', ns16550a.UART_LSR, 1) & (ns16550a.LSR_DR | ns16550a.LSR_OE)).toBe(ns16550a.LSR_DR | ns16550a.LSR_OE);
      expect(uart.peek('regs', ns16550a.UART_IIR_FCR, 1) & 0x0f).toBe(ns16550a.IIR_THRI);
    }
    // a read does what the peek showed, and has its side effects
    expect(uart.read(ns16550a.UART_LSR, 1) & ns16550a.LSR_OE).toBe(ns16550a.LSR_OE);
    expect(uart.peek('regs', ns16550a.UART_LSR, 1) & ns16550a.LSR_OE).toBe(0);
    expect(uart.read(ns16550a.UART_RBR_THR, 1)).toBe(0x41);
    expect(uart.peek('regs', ns16550a.UART_RBR_THR, 1)).toBe(0x42);
  });

  it('plic: claim/complete shows the source a claim would return, without claiming it', () => {
    const { device } = build('plic');
    const controller = device as plic.Plic;
    const claim = plic.PLIC_CONTEXT + plic.PLIC_CLAIM_COMPLETE;
    controller.write(plic.PLIC_PRIORITY + 4 * 10, 1, 4);
    controller.write(plic.PLIC_ENABLE, 1 << 10, 4);
    controller.setIrqInput('in', 10, true);
    expect(controller.peek('regs', claim, 4)).toBe(10);
    expect(controller.peek('regs', claim, 4)).toBe(10);
    expect(controller.peek('regs', plic.PLIC_PENDING, 4)).toBe(1 << 10);
    expect(controller.read(claim, 4)).toBe(10);
    expect(controller.peek('regs', claim, 4)).toBe(0); // claimed now
    expect(controller.peek('regs', plic.PLIC_PENDING, 4)).toBe(0);
  });

  it('mailbox and cmsdk-apb-uart: RX and DATA show the waiting word without taking it', () => {
    const { device } = build('mailbox');
    const box = device as mailbox.Mailbox;
    box.write('a', mailbox.MAILBOX_TX, 0xcafe, 4);
    expect(box.peek('b.regs', mailbox.MAILBOX_RX, 4)).toBe(0xcafe);
    expect(box.peek('b.regs', mailbox.MAILBOX_RXCOUNT, 4)).toBe(1);
    expect(box.peek('a.regs', mailbox.MAILBOX_RXCOUNT, 4)).toBe(0);
    expect(box.peek('c.regs', mailbox.MAILBOX_RX, 4)).toBeUndefined();
    const uart = build('cmsdk-apb-uart').device as cmsdkUart.CmsdkApbUart;
    uart.write(cmsdkUart.UART_CTRL, cmsdkUart.CTRL_RXEN, 4);
    uart.receive([0x5a]);
    expect(uart.peek('regs', cmsdkUart.UART_DATA, 4)).toBe(0x5a);
    expect(uart.peek('regs', cmsdkUart.UART_STATE, 4) & cmsdkUart.STATE_RXFULL).toBe(cmsdkUart.STATE_RXFULL);
  });
});
