// Resolved boards built by hand for the device-tree tests (no resolver involved, so the tests
// pin the exporter alone).
import type { PropertyValue, ResolvedBoard, ResolvedIrq, ResolvedMapping, ResolvedObject } from './resolve.ts';

export interface FixtureObject {
  name: string;
  type: string;
  props?: Record<string, PropertyValue>;
}

export interface FixtureBoard {
  name: string;
  description?: string;
  objects: FixtureObject[];
  /** [object name, region, base, size, space?] */
  memory: Array<[string, string, number, number, string?]>;
  /** ["uart0.irq[0]", "plic.in[10]"] */
  irqs: Array<[string, string]>;
}

const path = (name: string): string => `/machine/${name}`;

function endpoint(reference: string): { object: string; port: string; index: number } {
  const m = /^(.+)\.([a-z0-9_-]+)(?:\[(\d+)\])?$/.exec(reference);
  if (!m) throw new Error(`bad fixture endpoint ${reference}`);
  return { object: path(m[1]), port: m[2], index: m[3] === undefined ? 0 : Number(m[3]) };
}

function o_kind(object: string, board: FixtureBoard): 'ram' | 'rom' | 'mmio' {
  const type = board.objects.find((o) => o.name === object)?.type;
  return type === 'ram' || type === 'framebuffer' ? 'ram' : type === 'rom' || type === 'flash' ? 'rom' : 'mmio';
}

export function fixtureBoard(board: FixtureBoard): ResolvedBoard {
  const objects: ResolvedObject[] = board.objects.map((o, i) => ({
    path: path(o.name),
    name: o.name,
    type: o.type,
    parent: '/machine',
    props: { ...(o.props ?? {}) },
    origins: {},
    pointer: `/objects/${i}`,
    source: 'board',
  }));
  const memory: ResolvedMapping[] = board.memory.map(([object, region, base, size, space], i) => ({
    object: path(object),
    region,
    base,
    size,
    space: space ?? 'system',
    kind: o_kind(object, board),
    priorities: [0],
    containers: [],
    pointer: `/memory/${i}`,
  }));
  const irqs: ResolvedIrq[] = board.irqs.map(([from, to], i) => ({ from, to, source: endpoint(from), target: endpoint(to), pointer: `/irqs/${i}` }));
  return { name: board.name, description: board.description ?? '', machineType: undefined, platform: 'node@1', params: {}, objects, memory, containers: [], irqs, resets: [], images: [] };
}

/** QEMU virt's layout with one hart, as the riscv-virt machine type resolves today. */
export function helloBoard(name = 'hello'): ResolvedBoard {
  return fixtureBoard({
    name,
    description: 'One RV32 hart, 128 MiB of RAM, a UART and the finisher.',
    objects: [
      { name: 'cpu0', type: 'rv32', props: { 'hart-id': 0, 'reset-vector': 0x80000000 } },
      { name: 'ram', type: 'ram', props: { size: 128 * 1024 * 1024 } },
      { name: 'uart0', type: 'ns16550a' },
      { name: 'test', type: 'sifive-test' },
    ],
    memory: [
      ['test', 'regs', 0x100000, 0x1000],
      ['uart0', 'regs', 0x10000000, 0x100],
      ['ram', 'mem', 0x80000000, 128 * 1024 * 1024],
    ],
    irqs: [],
  });
}

/**
 * Two harts (the second without C and S), two RAM banks, three UARTs on PLIC sources 10-12, a
 * CLINT and a PLIC wired to both harts, the finisher, a GPIO bank, a framebuffer, a LED (no
 * device-tree node) and an object of a type the exporter does not know.
 */
export function smpBoard(): ResolvedBoard {
  return fixtureBoard({
    name: 'Dual Hart Lab',
    description: 'Two harts, three UARTs, CLINT and PLIC.\nUsed by the device-tree tests.',
    objects: [
      { name: 'hart1', type: 'rv32', props: { 'hart-id': 1, m: true, a: true, c: false, s: false, u: true } },
      { name: 'hart0', type: 'rv32', props: { 'hart-id': 0, m: true, a: true, c: true, s: true, u: true } },
      { name: 'ram', type: 'ram', props: { size: 256 * 1024 * 1024 } },
      { name: 'sram', type: 'ram', props: { size: 0x10000 } },
      { name: 'console', type: 'ns16550a', props: { 'clock-frequency': 3686400 } },
      { name: 'uart1', type: 'ns16550a', props: { 'clock-frequency': 1843200 } },
      { name: 'uart2', type: 'ns16550a' },
      { name: 'test', type: 'sifive-test' },
      { name: 'clint', type: 'clint', props: { 'num-harts': 2, 'timebase-frequency': 1_000_000 } },
      { name: 'plic', type: 'plic', props: { 'num-sources': 97, 'num-harts': 2 } },
      { name: 'gpio', type: 'gpio', props: { 'num-lines': 8 } },
      { name: 'fb', type: 'framebuffer', props: { width: 64, height: 32, format: 'xrgb8888' } },
      { name: 'led', type: 'led', props: { color: 'red' } },
      { name: 'widget', type: 'mystery-widget' },
    ],
    memory: [
      ['test', 'regs', 0x100000, 0x1000],
      ['clint', 'regs', 0x2000000, 0x10000],
      ['plic', 'regs', 0xc000000, 0x600000],
      ['console', 'regs', 0x10000000, 0x100],
      ['uart1', 'regs', 0x10000100, 0x100],
      ['uart2', 'regs', 0x10000200, 0x100],
      ['gpio', 'regs', 0x10012000, 0x1000],
      ['fb', 'vram', 0x50000000, 64 * 32 * 4],
      ['ram', 'mem', 0x80000000, 256 * 1024 * 1024],
      ['sram', 'mem', 0x08000000, 0x10000],
      ['widget', 'regs', 0x10020000, 0x1000],
    ],
    irqs: [
      ['console.irq', 'plic.in[10]'],
      ['uart1.irq', 'plic.in[11]'],
      ['uart2.irq', 'plic.in[12]'],
      ['gpio.irq', 'plic.in[20]'],
      ['gpio.out[3]', 'led.in'],
      ['clint.msip[0]', 'hart0.msip'],
      ['clint.mtip[0]', 'hart0.mtip'],
      ['clint.msip[1]', 'hart1.msip'],
      ['clint.mtip[1]', 'hart1.mtip'],
      ['plic.meip[0]', 'hart0.meip'],
      ['plic.seip[0]', 'hart0.seip'],
      ['plic.meip[1]', 'hart1.meip'],
    ],
  });
}
