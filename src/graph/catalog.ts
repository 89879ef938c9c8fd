// The type catalog: every object type's properties and ports, as data. It can be listed and
// described without instantiating anything; the engine looks up the implementation by `module`.

export type PropertyKind = 'int' | 'uint' | 'size' | 'bool' | 'string' | 'enum' | 'address' | 'frequency';

export interface PropertySpec {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly default: number | string | boolean;
  readonly doc: string;
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  readonly values?: readonly string[];
}

/** An MMIO or memory region the object exposes; `size` is bytes or the name of a size property. */
export interface RegionPortSpec {
  readonly name: string;
  readonly size: number | { readonly prop: string };
  readonly doc: string;
}

export interface IrqPortSpec {
  readonly name: string;
  readonly direction: 'in' | 'out';
  readonly count: number;
  readonly doc: string;
}

export interface TypeSpec {
  readonly name: string;
  readonly category: 'cpu' | 'memory' | 'serial' | 'misc';
  readonly interfaces: readonly string[];
  readonly doc: string;
  readonly props: readonly PropertySpec[];
  readonly regions: readonly RegionPortSpec[];
  readonly irqs: readonly IrqPortSpec[];
  /** The engine module implementing the type. */
  readonly module: string;
}

const types: TypeSpec[] = [
  {
    name: 'rv32',
    category: 'cpu',
    interfaces: ['cpu', 'riscv-hart'],
    doc: 'A 32-bit RISC-V hart (RV32I base with M-mode traps). It fetches its first instruction at reset-vector, or at the entry point of its ELF image.',
    props: [
      { name: 'hart-id', kind: 'uint', default: 0, min: 0, max: 1023, doc: 'Value of the mhartid CSR.' },
      { name: 'reset-vector', kind: 'address', default: 0x80000000, doc: 'Address of the first instruction after reset when no ELF entry point is given.' },
    ],
    regions: [],
    irqs: [],
    module: 'engine/cpu/rv32',
  },
  {
    name: 'ram',
    category: 'memory',
    interfaces: ['memory'],
    doc: 'Random-access memory, backed by a SharedArrayBuffer in the browser so the UI can read it live.',
    props: [{ name: 'size', kind: 'size', default: 128 * 1024 * 1024, min: 4, max: 1024 * 1024 * 1024, unit: 'bytes', doc: 'Size of the memory in bytes (e.g. "128M").' }],
    regions: [{ name: 'mem', size: { prop: 'size' }, doc: 'The memory contents.' }],
    irqs: [],
    module: 'engine/devices/ram',
  },
  {
    name: 'ns16550a',
    category: 'serial',
    interfaces: ['serial', 'mmio-device'],
    doc: 'An NS16550A-compatible UART (the one on QEMU virt at 0x10000000). Transmitted bytes go to the terminal or stdout.',
    props: [],
    regions: [{ name: 'regs', size: 0x100, doc: 'The eight UART registers, one byte apart.' }],
    irqs: [{ name: 'irq', direction: 'out', count: 1, doc: 'Interrupt request, raised while an enabled interrupt condition holds.' }],
    module: 'engine/devices/ns16550a',
  },
  {
    name: 'sifive-test',
    category: 'misc',
    interfaces: ['finisher', 'mmio-device'],
    doc: 'The test/finisher device of QEMU virt: writing 0x5555 stops the board with success, (code << 16) | 0x3333 with failure code, 0x7777 resets it.',
    props: [],
    regions: [{ name: 'regs', size: 0x1000, doc: 'The finisher register at offset 0.' }],
    irqs: [],
    module: 'engine/devices/sifive-test',
  },
];

const byName = new Map(types.map((t) => [t.name, t]));

export function listTypes(): readonly TypeSpec[] {
  return types;
}

export function findType(name: string): TypeSpec | undefined {
  return byName.get(name);
}
