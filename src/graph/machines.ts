// Canned, versioned machine types. Each is a board document (so it can be described without
// building anything) plus a compat layer: property defaults that version had, applied below the
// user's globals and explicit values. A board `extends` one and adds, removes, re-wires or
// re-configures objects.
import { isA } from './catalog.ts';
import { interpolate } from './expr.ts';
import type { BoardDocument, ParamDocument, PropertyValueDocument } from './schema.ts';

export interface MachineTypeSpec {
  readonly name: string;
  readonly version: string;
  /** What people call it, for messages ("QEMU virt"). */
  readonly title: string;
  readonly doc: string;
  /** Parameters with their ranges; a board's `params` override the defaults. */
  readonly params: Readonly<Record<string, ParamDocument>>;
  readonly document: BoardDocument;
  /** type → property → value: what this version's devices defaulted to (applies to subtypes). */
  readonly compat: Readonly<Record<string, Readonly<Record<string, PropertyValueDocument>>>>;
}

/** QEMU virt's memory map and IRQ numbers (hw/riscv/virt.c), for 1–8 harts. */
function riscvVirtDocument(): BoardDocument {
  return {
    boardlab: 1,
    name: 'riscv-virt',
    description: "QEMU's RISC-V virt board: harts start in the boot ROM at 0x1000, which passes the hart id and a device tree to the firmware in RAM at 0x80000000; CLINT, PLIC, NS16550A UART at 0x10000000 on PLIC source 10, test/finisher at 0x100000.",
    objects: {
      'cpu${i}': { type: 'rv32', repeat: 'harts', props: { 'hart-id': '${i}', 'reset-vector': '0x1000', 'time-base': 'clint' } },
      mrom: { type: 'boot-rom' },
      ram: { type: 'ram', props: { size: '128M' } },
      test: { type: 'sifive-test' },
      clint: { type: 'clint', props: { 'num-harts': '${harts}' } },
      plic: { type: 'plic', props: { 'num-harts': '${harts}', 'num-sources': 97 } },
      uart0: { type: 'ns16550a' },
    },
    memory: [
      { map: 'mrom.mem', at: '0x1000' },
      { map: 'test.regs', at: '0x100000' },
      { map: 'clint.regs', at: '0x2000000' },
      { map: 'plic.regs', at: '0xc000000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    irqs: [
      { from: 'clint.msip[${i}]', to: 'cpu${i}.msip', repeat: 'harts' },
      { from: 'clint.mtip[${i}]', to: 'cpu${i}.mtip', repeat: 'harts' },
      { from: 'plic.meip[${i}]', to: 'cpu${i}.meip', repeat: 'harts' },
      { from: 'plic.seip[${i}]', to: 'cpu${i}.seip', repeat: 'harts' },
      { from: 'uart0.irq', to: 'plic.in[10]' },
    ],
    resets: [{ from: 'test.system-reset', to: 'board' }],
    images: [],
  };
}

/**
 * A microcontroller-class board: one hart starting from flash at address 0, on-chip SRAM, a UART,
 * a GPIO bank with two LEDs and a button, and a CLINT as the system timer.
 */
function mcuDocument(): BoardDocument {
  return {
    boardlab: 1,
    name: 'boardlab-mcu',
    description: 'A microcontroller: one RV32IMC hart booting from 256 KiB of flash at 0x0, 64 KiB of SRAM at 0x20000000, UART, GPIO with two LEDs and a button, CLINT timer.',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x0', a: false, s: false, u: false, 'time-base': 'clint' } },
      flash: { type: 'flash', props: { size: '256K' } },
      sram: { type: 'ram', props: { size: '64K' } },
      clint: { type: 'clint', props: { 'num-harts': 1 } },
      plic: { type: 'plic', props: { 'num-harts': 1, 'num-sources': 32 } },
      uart0: { type: 'ns16550a' },
      gpio: { type: 'gpio', props: { 'num-lines': 8 } },
      led0: { type: 'led', props: { color: 'green' } },
      led1: { type: 'led', props: { color: 'red' } },
      button0: { type: 'button' },
      test: { type: 'sifive-test' },
    },
    memory: [
      { map: 'flash.mem', at: '0x0' },
      { map: 'test.regs', at: '0x100000' },
      { map: 'clint.regs', at: '0x2000000' },
      { map: 'plic.regs', at: '0xc000000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'gpio.regs', at: '0x10012000' },
      { map: 'sram.mem', at: '0x20000000' },
    ],
    irqs: [
      { from: 'clint.msip[0]', to: 'cpu0.msip' },
      { from: 'clint.mtip[0]', to: 'cpu0.mtip' },
      { from: 'plic.meip[0]', to: 'cpu0.meip' },
      { from: 'plic.seip[0]', to: 'cpu0.seip' },
      { from: 'uart0.irq', to: 'plic.in[1]' },
      { from: 'gpio.irq', to: 'plic.in[2]' },
      { from: 'gpio.out[0]', to: 'led0.in' },
      { from: 'gpio.out[1]', to: 'led1.in' },
      { from: 'button0.out', to: 'gpio.in[4]' },
    ],
    resets: [{ from: 'test.system-reset', to: 'board' }],
    images: [],
  };
}

/** The blocks QEMU 7.2's mps2-an385 maps as unimplemented-device (reads 0, writes ignored), where no RAM or device covers them. */
const AN385_UNIMPLEMENTED: ReadonlyArray<{ at: number; size: number; /** QEMU's name for it */ what: string }> = [
  { at: 0x0080_0000, size: 0x0080_0000, what: 'RESERVED 1' },
  { at: 0x0101_0000, size: 0x1eff_0000, what: 'RESERVED 2' },
  { at: 0x2080_0000, size: 0x0080_0000, what: 'RESERVED 3' },
  { at: 0x4000_0000, size: 0x0001_0000, what: 'CMSDK APB peripheral region (the watchdog at 0x40008000 among them)' },
  { at: 0x4001_0000, size: 0x0001_0000, what: 'CMSDK AHB peripheral region (the four AHB GPIOs)' },
  { at: 0x4002_0000, size: 0x0001_0000, what: 'extra peripheral region (SPI, I2C, I2S)' },
  { at: 0x4003_0000, size: 0x001d_0000, what: 'RESERVED 4' },
  { at: 0x4100_0000, size: 0x0020_0000, what: 'VGA' },
];

/** UART i of mps2-an385: base address and its RX interrupt (TX is the next one). */
const AN385_UARTS: ReadonlyArray<{ at: number; rxIrq: number }> = [
  { at: 0x4000_4000, rxIrq: 0 },
  { at: 0x4000_5000, rxIrq: 2 },
  { at: 0x4000_6000, rxIrq: 4 },
  { at: 0x4000_7000, rxIrq: 18 },
  { at: 0x4000_9000, rxIrq: 20 },
];

const hexAddress = (n: number) => `0x${n.toString(16)}`;

/**
 * QEMU 7.2's mps2-an385 (hw/arm/mps2.c; its `info mtree`): a Cortex-M3 at 25 MHz with 32 external
 * interrupts and bit-banding; ZBT SSRAM1 (4 MiB at 0, mirrored at 0x400000), block RAM (16 KiB at
 * 0x1000000, mirrored three times), ZBT SSRAM2&3 (4 MiB at 0x20000000, mirrored at 0x20400000)
 * and PSRAM (16 MiB at 0x21000000); CMSDK timers at 0x40000000/0x40001000 (IRQ 8, 9), the dual
 * timer at 0x40002000 (IRQ 10), UARTs 0–4 at 0x40004000–0x40007000 and 0x40009000 (RX IRQ 0, 2,
 * 4, 18, 20, TX one higher; the overruns of UARTs 0–2 ORed into IRQ 12), FPGAIO at 0x40028000 (two
 * LEDs, two buttons), SCC at 0x4002F000. The blocks QEMU leaves unimplemented read 0 here too; the
 * devices QEMU has and BoardLab does not model (watchdog, SPI, I2C, the LAN9118 at 0x40200000)
 * are not there (inside a stub block they read 0; the LAN9118 is unmapped).
 */
function mps2An385Document(): BoardDocument {
  const objects: BoardDocument['objects'] = {
    cpu0: { type: 'cortex-m3', props: { 'num-irq': 32, 'clock-frequency': 25_000_000, 'refclk-frequency': 1_000_000, bitband: true } },
    ssram1: { type: 'ram', props: { size: '4M' } },
    blockram: { type: 'ram', props: { size: '16K' } },
    ssram23: { type: 'ram', props: { size: '4M' } },
    psram: { type: 'ram', props: { size: '16M' } },
    ...Object.fromEntries(AN385_UARTS.map((_, i) => [`uart${i}`, { type: 'cmsdk-apb-uart' }])),
    timer0: { type: 'cmsdk-apb-timer' },
    timer1: { type: 'cmsdk-apb-timer' },
    dualtimer: { type: 'cmsdk-apb-dualtimer' },
    uartovr: { type: 'or-irq', props: { 'num-lines': 6 } },
    fpgaio: { type: 'mps2-fpgaio', props: { 'num-leds': 2 } },
    led0: { type: 'led', props: { color: 'green' } },
    led1: { type: 'led', props: { color: 'green' } },
    button0: { type: 'button' },
    button1: { type: 'button' },
    scc: { type: 'mps2-scc', props: { 'scc-id': '0x41043850', 'scc-aid': '0x00200008', 'scc-cfg4': 2 } },
    unimplemented: { type: 'unimplemented-device', props: { size: '0x42000000' } },
  };
  const memory: NonNullable<BoardDocument['memory']> = [
    { map: 'ssram1.mem', at: '0x0' },
    { alias: 'ssram1.mem', offset: '0x0', size: '4M', at: '0x400000' },
    { map: 'blockram.mem', at: '0x1000000' },
    { alias: 'blockram.mem', offset: '0x0', size: '16K', at: '0x1004000' },
    { alias: 'blockram.mem', offset: '0x0', size: '16K', at: '0x1008000' },
    { alias: 'blockram.mem', offset: '0x0', size: '16K', at: '0x100c000' },
    { map: 'ssram23.mem', at: '0x20000000' },
    { alias: 'ssram23.mem', offset: '0x0', size: '4M', at: '0x20400000' },
    { map: 'psram.mem', at: '0x21000000' },
    { map: 'timer0.regs', at: '0x40000000' },
    { map: 'timer1.regs', at: '0x40001000' },
    { map: 'dualtimer.regs', at: '0x40002000' },
    ...AN385_UARTS.map((u, i) => ({ map: `uart${i}.regs`, at: hexAddress(u.at) })),
    { map: 'fpgaio.regs', at: '0x40028000' },
    { map: 'scc.regs', at: '0x4002f000' },
    // QEMU's unimplemented-device blocks, under the devices (QEMU maps them at priority -1000).
    ...AN385_UNIMPLEMENTED.map((b) => ({ alias: 'unimplemented.regs', offset: hexAddress(b.at), size: hexAddress(b.size), at: hexAddress(b.at), priority: -1000 })),
  ];
  const irqs: NonNullable<BoardDocument['irqs']> = [
    ...AN385_UARTS.flatMap((u, i) => [
      { from: `uart${i}.rx`, to: `cpu0.irq[${u.rxIrq}]` },
      { from: `uart${i}.tx`, to: `cpu0.irq[${u.rxIrq + 1}]` },
    ]),
    // The overrun interrupts of UARTs 0–2 share IRQ 12; those of UARTs 3 and 4 go nowhere (as QEMU).
    ...[0, 1, 2].flatMap((i) => [
      { from: `uart${i}.txovr`, to: `uartovr.in[${2 * i}]` },
      { from: `uart${i}.rxovr`, to: `uartovr.in[${2 * i + 1}]` },
    ]),
    { from: 'uartovr.out', to: 'cpu0.irq[12]' },
    { from: 'timer0.irq', to: 'cpu0.irq[8]' },
    { from: 'timer1.irq', to: 'cpu0.irq[9]' },
    { from: 'dualtimer.timintc', to: 'cpu0.irq[10]' },
    { from: 'fpgaio.led[0]', to: 'led0.in' },
    { from: 'fpgaio.led[1]', to: 'led1.in' },
    { from: 'button0.out', to: 'fpgaio.button[0]' },
    { from: 'button1.out', to: 'fpgaio.button[1]' },
  ];
  return {
    boardlab: 1,
    name: 'mps2-an385',
    description:
      "QEMU's mps2-an385 (ARM MPS2 with the AN385 FPGA image): a Cortex-M3 at 25 MHz booting from the vector table at 0 in 4 MiB of SSRAM, 4 MiB more at 0x20000000, CMSDK UARTs from 0x40004000 (UART0: RX IRQ 0, TX IRQ 1), CMSDK timers, the FPGA I/O block with two LEDs and the SCC.",
    objects,
    memory,
    irqs,
    resets: [{ from: 'cpu0.sysresetreq', to: 'board' }],
    images: [],
  };
}

/**
 * A Cortex-M0+ microcontroller of BoardLab's own: 256 KiB of flash at 0 (the vector table),
 * 32 KiB of SRAM at 0x20000000, and at the addresses and IRQs mps2-an385 uses for them a CMSDK
 * UART (0x40004000, RX IRQ 0, TX IRQ 1) and a CMSDK timer (0x40000000, IRQ 8); a GPIO bank at
 * 0x40010000 (IRQ 6) with two LEDs on lines 0 and 1 and two buttons on lines 4 and 5.
 */
function m0Document(): BoardDocument {
  return {
    boardlab: 1,
    name: 'boardlab-m0',
    description: 'A Cortex-M0+ microcontroller: 256 KiB of flash at 0x0, 32 KiB of SRAM at 0x20000000, CMSDK UART at 0x40004000, CMSDK timer at 0x40000000, GPIO with two LEDs and two buttons at 0x40010000.',
    objects: {
      cpu0: { type: 'cortex-m0plus', props: { 'num-irq': 32, 'clock-frequency': 25_000_000 } },
      flash: { type: 'flash', props: { size: '256K' } },
      sram: { type: 'ram', props: { size: '32K' } },
      uart0: { type: 'cmsdk-apb-uart' },
      timer0: { type: 'cmsdk-apb-timer' },
      gpio: { type: 'gpio', props: { 'num-lines': 8 } },
      led0: { type: 'led', props: { color: 'green' } },
      led1: { type: 'led', props: { color: 'red' } },
      button0: { type: 'button' },
      button1: { type: 'button' },
    },
    memory: [
      { map: 'flash.mem', at: '0x0' },
      { map: 'sram.mem', at: '0x20000000' },
      { map: 'timer0.regs', at: '0x40000000' },
      { map: 'uart0.regs', at: '0x40004000' },
      { map: 'gpio.regs', at: '0x40010000' },
    ],
    irqs: [
      { from: 'uart0.rx', to: 'cpu0.irq[0]' },
      { from: 'uart0.tx', to: 'cpu0.irq[1]' },
      { from: 'gpio.irq', to: 'cpu0.irq[6]' },
      { from: 'timer0.irq', to: 'cpu0.irq[8]' },
      { from: 'gpio.out[0]', to: 'led0.in' },
      { from: 'gpio.out[1]', to: 'led1.in' },
      { from: 'button0.out', to: 'gpio.in[4]' },
      { from: 'button1.out', to: 'gpio.in[5]' },
    ],
    resets: [{ from: 'cpu0.sysresetreq', to: 'board' }],
    images: [],
  };
}

const HARTS: ParamDocument = { default: 1, min: 1, max: 8, doc: 'Number of harts (cpu0 … cpuN-1), as QEMU -smp.' };

/**
 * The floating-point and bit-manipulation extensions and the debug trigger module, off: the harts of
 * riscv-virt before 1.2 had none of them, and a saved board or snapshot of those versions keeps
 * exactly that CPU (whatever the catalog's default).
 */
const WITHOUT_1_2_EXTENSIONS = { f: false, d: false, zba: false, zbb: false, zbc: false, zbs: false, debug: false } as const;
/** QEMU 7.2's virt CPU (rv32) enables F, D, Zba, Zbb, Zbc, Zbs and the trigger module ("debug") by default (target/riscv/cpu.c). */
const WITH_1_2_EXTENSIONS = { f: true, d: true, zba: true, zbb: true, zbc: true, zbs: true, debug: true } as const;

const machineTypes: MachineTypeSpec[] = [
  {
    name: 'riscv-virt',
    version: '1.0',
    title: 'QEMU virt',
    doc: 'QEMU virt, first version: the UART has a one-byte receive FIFO; the harts have no floating point, no bit-manipulation extensions and no debug trigger module.',
    params: { harts: HARTS },
    document: riscvVirtDocument(),
    compat: { ns16550a: { 'fifo-depth': 1 }, 'riscv-cpu': WITHOUT_1_2_EXTENSIONS },
  },
  {
    name: 'riscv-virt',
    version: '1.1',
    title: 'QEMU virt',
    doc: 'QEMU virt: the UART has a 16-byte receive FIFO, as QEMU 7.2 models it; the harts have no floating point, no bit-manipulation extensions and no debug trigger module.',
    params: { harts: HARTS },
    document: riscvVirtDocument(),
    compat: { 'riscv-cpu': WITHOUT_1_2_EXTENSIONS },
  },
  {
    name: 'riscv-virt',
    version: '1.2',
    title: 'QEMU virt',
    doc: "QEMU virt: the UART has a 16-byte receive FIFO and the harts have floating point (F and D), the bit-manipulation extensions Zba, Zbb, Zbc and Zbs and the debug trigger module, as QEMU 7.2's virt CPU does.",
    params: { harts: HARTS },
    document: riscvVirtDocument(),
    compat: { 'riscv-cpu': WITH_1_2_EXTENSIONS },
  },
  {
    name: 'boardlab-mcu',
    version: '1.0',
    title: 'the BoardLab MCU',
    doc: 'A microcontroller-class board (one hart, flash at the reset vector, SRAM, UART, GPIO, timer).',
    params: {},
    document: mcuDocument(),
    compat: {},
  },
  {
    name: 'mps2-an385',
    version: '1.0',
    title: 'QEMU mps2-an385',
    doc: "QEMU 7.2's mps2-an385: ARM's MPS2 board with the AN385 FPGA image (Cortex-M3, CMSDK UARTs and timers, FPGA I/O, SCC), with QEMU's memory map, IRQ numbers and 25 MHz clock.",
    params: {},
    document: mps2An385Document(),
    compat: {},
  },
  {
    name: 'boardlab-m0',
    version: '1.0',
    title: 'the BoardLab M0+ MCU',
    doc: 'A Cortex-M0+ microcontroller (flash at the vector table, SRAM, CMSDK UART and timer, GPIO with two LEDs and two buttons).',
    params: {},
    document: m0Document(),
    compat: {},
  },
];

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Every machine type version, oldest first within a name. */
export function listMachineTypes(): readonly MachineTypeSpec[] {
  return machineTypes;
}

/** Distinct machine type names. */
export function machineTypeNames(): string[] {
  return [...new Set(machineTypes.map((m) => m.name))];
}

/** "riscv-virt@1.0", or "riscv-virt" for the latest version. Undefined when unknown. */
export function findMachineType(reference: string): MachineTypeSpec | undefined {
  const [name, version] = reference.split('@');
  const candidates = machineTypes.filter((m) => m.name === name);
  if (version !== undefined) return candidates.find((m) => m.version === version);
  return [...candidates].sort((a, b) => compareVersions(b.version, a.version))[0];
}

export function machineTypeId(spec: MachineTypeSpec): string {
  return `${spec.name}@${spec.version}`;
}

/** A board document that extends a machine type, with optional parameters. */
export function boardFromMachineType(reference: string, params: Record<string, number> = {}): BoardDocument {
  const spec = findMachineType(reference);
  return {
    boardlab: 1,
    name: spec?.name ?? reference,
    extends: spec ? machineTypeId(spec) : reference,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    objects: {},
  };
}

/**
 * A fresh, self-contained copy of a machine type's document, its parameters set to their defaults
 * and its compat layer as globals (for the designer's "new board from machine type").
 */
export function machineTypeDocument(reference: string): BoardDocument | undefined {
  const spec = findMachineType(reference);
  if (spec === undefined) return undefined;
  const document = structuredClone(spec.document);
  const params = Object.fromEntries(Object.entries(spec.params).map(([name, p]) => [name, p.default]));
  if (Object.keys(params).length > 0) document.params = params;
  if (Object.keys(spec.compat).length > 0) document.globals = structuredClone(spec.compat) as BoardDocument['globals'];
  return document;
}

/** The name of a board's first CPU (in document order, through "extends"), e.g. for attaching firmware. */
export function firstCpuName(document: BoardDocument): string | undefined {
  for (const [key, object] of Object.entries(document.objects)) {
    if (object?.type !== undefined && isA(object.type, 'cpu')) return key.includes('${') ? safeInterpolate(key, document) : key;
  }
  const base = document.extends === undefined ? undefined : findMachineType(document.extends);
  if (base === undefined) return undefined;
  const name = firstCpuName(base.document);
  return name !== undefined && document.objects[name] === null ? undefined : name;
}

function safeInterpolate(key: string, document: BoardDocument): string | undefined {
  try {
    return interpolate(key, { ...(document.params ?? {}), i: 0 });
  } catch {
    return undefined;
  }
}
