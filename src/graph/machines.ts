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
