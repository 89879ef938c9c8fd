// The type catalog: every object type's parent, interfaces, properties and ports, as data. It can
// be listed and described without instantiating anything; the engine looks up the implementation
// by `module` (loaded lazily), and a module that fails to load makes its types "unavailable".

export type PropertyKind = 'int' | 'uint' | 'size' | 'bool' | 'string' | 'enum' | 'address' | 'frequency' | 'link';

export type PropertyDefault = number | string | boolean | null;

export interface PropertySpec {
  readonly name: string;
  readonly kind: PropertyKind;
  /** null: no default (a link that may stay unset). */
  readonly default: PropertyDefault;
  readonly doc: string;
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  /** enum values */
  readonly values?: readonly string[];
  /** link<T>: the type or interface the target must have */
  readonly linkTo?: string;
  /** Setting the property to `value` needs a platform feature (e.g. shared RAM needs SharedArrayBuffer). */
  readonly needsFeature?: { readonly value: number | string | boolean; readonly feature: string };
  /**
   * Set when the property does not change what the device or CPU does: why, and where the value
   * goes instead (only the device tree, only the designer's drawing). Every other property changes
   * behaviour, with a test that fails if the device ignores it (src/engine/catalog-behaviour.test.ts).
   */
  readonly descriptive?: string;
}

/** A property a type no longer has: a board that still sets it gets this problem, never a silent drop. */
export interface RemovedPropertySpec {
  readonly name: string;
  /** Why it went, for the message. */
  readonly why: string;
  /** What to do instead. */
  readonly hint: string;
}

/**
 * A region port. `size` is bytes, the name of a size property, or an expression over the
 * object's integer properties (e.g. "width * height * 4").
 */
export interface RegionPortSpec {
  readonly name: string;
  readonly kind: 'mmio' | 'ram' | 'rom';
  readonly size: number | { readonly prop: string } | { readonly expr: string };
  readonly doc: string;
}

export interface IrqPortSpec {
  readonly name: string;
  readonly direction: 'in' | 'out';
  /** Number of lines: a constant or an integer property (e.g. one per hart). */
  readonly count: number | { readonly prop: string };
  readonly doc: string;
  /**
   * Input lines the device never raises (PLIC source 0 means "no interrupt"): the designer never
   * offers them, and a wire to one is a warning. `doc` says why.
   */
  readonly reserved?: { readonly lines: readonly number[]; readonly doc: string };
  /**
   * The kind of device meant to drive this input: an interface or type name (isA), e.g.
   * "interrupt-controller" for a hart's external interrupt. A wire from anything else is a warning.
   */
  readonly drivenBy?: string;
  /**
   * What the line means where that belongs to one CPU architecture: the interrupt inputs of a
   * RISC-V hart and the controller outputs made for them ("riscv-hart-interrupt"), the NVIC
   * inputs of an ARM core ("arm-nvic-input"). A wire between two ports that both declare a signal
   * must join the same one (a PLIC's meip cannot drive an ARM core's irq); a plain device line
   * declares none and may drive either.
   */
  readonly signal?: string;
}

/** What each IrqPortSpec.signal means, for messages, and how to wire into a port that takes it, for hints. */
export const IRQ_SIGNALS: Readonly<Record<string, { readonly what: string; readonly wiring: string }>> = {
  'riscv-hart-interrupt': {
    what: "a RISC-V hart's interrupt line (mip.MSIP/MTIP/MEIP/SEIP)",
    wiring: "A RISC-V hart takes its interrupts from a CLINT (msip, mtip) and a PLIC (meip, seip): wire the device's line into a PLIC source and the PLIC's meip to the hart.",
  },
  'arm-nvic-input': {
    what: "an ARM Cortex-M core's NVIC input (irq[n], nmi)",
    wiring: "A Cortex-M core's NVIC takes device interrupt lines directly: wire the device's own output (a mailbox side's irq, a UART's, a timer's) to the core's irq[n].",
  },
};

/** IrqPortSpec.signal of a RISC-V hart's interrupt inputs and of the CLINT and PLIC outputs that drive them. */
const RISCV_HART_INTERRUPT = 'riscv-hart-interrupt';
/** IrqPortSpec.signal of an ARM Cortex-M core's NVIC inputs (irq[n], nmi). */
const ARM_NVIC_INPUT = 'arm-nvic-input';

/** How many lines an IRQ port of an object has: its constant count, or the integer property it names (1 when that is not a positive number). */
export function irqLineCount(spec: Pick<IrqPortSpec, 'count'>, props: Readonly<Record<string, unknown>>): number {
  if (typeof spec.count === 'number') return spec.count;
  const value = Number(props[spec.count.prop]);
  return Number.isFinite(value) && value > 0 ? value : 1;
}

export interface ResetPortSpec {
  readonly name: string;
  readonly direction: 'in' | 'out';
  readonly doc: string;
}

export interface ClockPortSpec {
  readonly name: string;
  readonly doc: string;
}

export type TypeCategory = 'cpu' | 'memory' | 'interrupt' | 'timer' | 'serial' | 'io' | 'display' | 'misc' | 'abstract';

export interface TypeSpec {
  readonly name: string;
  readonly parent?: string;
  readonly abstract?: boolean;
  readonly category: TypeCategory;
  readonly interfaces: readonly string[];
  readonly doc: string;
  readonly props: readonly PropertySpec[];
  readonly regions: readonly RegionPortSpec[];
  readonly irqs: readonly IrqPortSpec[];
  readonly resets?: readonly ResetPortSpec[];
  readonly clocks?: readonly ClockPortSpec[];
  /** The engine module implementing the type (absent for abstract types). */
  readonly module?: string;
  /** Properties the type (and its subtypes) once had. */
  readonly removedProps?: readonly RemovedPropertySpec[];
  /** On an architecture's abstract CPU type: how QMP's CPU model commands see its CPU types. */
  readonly cpuModel?: CpuModelScheme;
  /**
   * On a CPU type: the features of its architecture's CPU model scheme that the core implements
   * and that are not properties (fixed by the core: a Cortex-M3's hardware divide). The scheme's
   * other features that are not properties of the type, it lacks.
   */
  readonly cpuFeatures?: readonly string[];
  /** On an architecture's abstract CPU type: the architecture, for image checks and messages. */
  readonly architecture?: CpuArchitecture;
}

/** What a CPU architecture runs: the ELF machine of its images, and how to build one. */
export interface CpuArchitecture {
  /** "RISC-V", "ARM". */
  readonly name: string;
  /** The ELF header's e_machine of images it runs (EM_RISCV = 243, EM_ARM = 40). */
  readonly elfMachine: number;
  /** The name of that e_machine value in elf.h ("EM_RISCV"). */
  readonly elfMachineName: string;
  /** How to build an image for it, for hints ("{cpu}": the CPU's type, which gcc's -mcpu takes for the Cortex-M cores). */
  readonly build: string;
  /**
   * Addresses the architecture keeps for the core itself, where a board maps nothing into the
   * CPU's view (inclusive ranges): a Cortex-M core's Private Peripheral Bus.
   */
  readonly reservedRanges?: ReadonlyArray<{ readonly start: number; readonly end: number; readonly what: string }>;
}

/**
 * CPU models of an architecture (QMP's query-cpu-model-expansion, -comparison, -baseline): a
 * model is a CPU type of the architecture with its optional extensions as boolean properties.
 */
export interface CpuModelScheme {
  /**
   * The fixed base model of static expansion: no optional extension ("rv32i"). Absent: the
   * architecture's models have no static form and do not compare (as QEMU's ARM models: static
   * expansion "is not supported", and there is no comparison or baseline).
   */
  readonly staticBase?: string;
  /**
   * The architecture's optional extensions, in the order models list them: boolean properties of
   * its CPU types where they are configurable (RISC-V's m, a, c…; the Cortex-M3's bitband), else
   * features fixed by each CPU type (TypeSpec.cpuFeatures: ARM's thumb2, hwdiv…).
   */
  readonly extensions: readonly string[];
  /** Extensions that need another: extension → the one it needs (RISC-V: s needs u). */
  readonly requires?: Readonly<Record<string, string>>;
}

/** A type with everything it inherits from its ancestors merged in (own entries override by name). */
export interface EffectiveType extends TypeSpec {
  readonly ancestors: readonly string[];
  readonly resets: readonly ResetPortSpec[];
  readonly clocks: readonly ClockPortSpec[];
  readonly removedProps: readonly RemovedPropertySpec[];
}

const RESET_IN: ResetPortSpec = { name: 'reset', direction: 'in', doc: 'Reset input: asserting it returns the object to its reset state.' };

/** ARMv6-M fixes the NVIC's priority bits at 2 (priorities 0x00, 0x40, 0x80, 0xC0): declared so cores read one property on every profile. */
const V6M_PRIO_BITS: PropertySpec = {
  name: 'num-prio-bits',
  kind: 'uint',
  default: 2,
  min: 2,
  max: 2,
  doc: 'Implemented priority bits of the NVIC and SHPR registers: ARMv6-M has 2 (a written 0xFF reads back 0xC0).',
};

const types: TypeSpec[] = [
  {
    name: 'device',
    abstract: true,
    category: 'abstract',
    interfaces: [],
    doc: 'The root of all object types.',
    props: [],
    regions: [],
    irqs: [],
    resets: [RESET_IN],
  },
  {
    name: 'cpu',
    parent: 'device',
    abstract: true,
    category: 'abstract',
    interfaces: ['cpu'],
    doc: 'A processor core. Each CPU runs its own image; any number of CPUs, of any architecture, can share a board.',
    props: [
      { name: 'reset-vector', kind: 'address', default: 0x80000000, doc: 'Address of the first instruction after reset when no ELF entry point is given.' },
      { name: 'address-space', kind: 'string', default: 'system', doc: 'The address space this CPU sees: its mappings lie over "system", which every CPU sees. Give a CPU its own for per-CPU memory.' },
      {
        name: 'time-base',
        kind: 'link',
        linkTo: 'time-base',
        default: null,
        doc: "The device whose counter this CPU's time counter reads (RISC-V: the time CSR reads a CLINT's mtime, as on QEMU virt); null: virtual time at 10 MHz.",
      },
    ],
    removedProps: [
      {
        name: 'interrupt-parent',
        why: 'it never changed what the CPU does: the IRQ wires into its interrupt inputs say which controller delivers its external interrupts',
        hint: 'Delete the property; wire the controller to the CPU instead (e.g. plic.meip[0] → cpu0.meip, plic.seip[0] → cpu0.seip).',
      },
    ],
    regions: [],
    irqs: [],
    clocks: [{ name: 'clk', doc: 'Core clock.' }],
  },
  {
    name: 'riscv-cpu',
    parent: 'cpu',
    abstract: true,
    category: 'abstract',
    interfaces: ['riscv-hart'],
    doc: 'A RISC-V hart.',
    architecture: { name: 'RISC-V', elfMachine: 243, elfMachineName: 'EM_RISCV', build: 'riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32' },
    cpuModel: { staticBase: 'rv32i', extensions: ['m', 'a', 'f', 'd', 'c', 's', 'u', 'zba', 'zbb', 'zbc', 'zbs'], requires: { s: 'u', d: 'f' } },
    props: [
      { name: 'hart-id', kind: 'uint', default: 0, min: 0, max: 1023, doc: 'Value of the mhartid CSR.' },
      {
        name: 'clock-frequency',
        kind: 'frequency',
        default: 100_000_000,
        min: 1,
        unit: 'Hz',
        doc: 'Core clock: the hart retires one instruction per cycle of virtual time (100 MHz: 10 ns each). On a board with several CPUs each runs at its own rate in one virtual time.',
      },
      { name: 'm', kind: 'bool', default: true, doc: 'M extension: integer multiply and divide.' },
      { name: 'a', kind: 'bool', default: true, doc: 'A extension: atomic instructions.' },
      // F and D default to off like the bit-manipulation extensions below: riscv-virt@1.2 turns them on.
      {
        name: 'f',
        kind: 'bool',
        default: false,
        doc: 'F extension: single-precision floating point (f0–f31, fcsr with its rounding modes and exception flags, mstatus.FS), bit-exact with QEMU 7.2. riscv-virt@1.2 and later turn it on.',
      },
      {
        name: 'd',
        kind: 'bool',
        default: false,
        doc: 'D extension: double-precision floating point (64-bit f0–f31, single-precision values NaN-boxed); needs f. riscv-virt@1.2 and later turn it on.',
      },
      { name: 'c', kind: 'bool', default: true, doc: 'C extension: compressed instructions (with F and D, the compressed floating-point loads and stores too).' },
      { name: 's', kind: 'bool', default: true, doc: 'Supervisor mode (with Sv32 virtual memory).' },
      { name: 'u', kind: 'bool', default: true, doc: 'User mode.' },
      // The bit-manipulation extensions default to off, so no board gains instructions silently;
      // riscv-virt@1.2 turns them on (as QEMU 7.2's virt CPU has them), older versions keep them off.
      { name: 'zba', kind: 'bool', default: false, doc: 'Zba extension: address generation (sh1add, sh2add, sh3add). riscv-virt@1.2 and later turn it on.' },
      {
        name: 'zbb',
        kind: 'bool',
        default: false,
        doc: 'Zbb extension: basic bit manipulation (andn, orn, xnor, clz, ctz, cpop, min/max, sext/zext, rol, ror, orc.b, rev8). riscv-virt@1.2 and later turn it on.',
      },
      { name: 'zbc', kind: 'bool', default: false, doc: 'Zbc extension: carry-less multiplication (clmul, clmulh, clmulr). riscv-virt@1.2 and later turn it on.' },
      { name: 'zbs', kind: 'bool', default: false, doc: 'Zbs extension: single-bit instructions (bclr, bext, binv, bset and their immediate forms). riscv-virt@1.2 and later turn it on.' },
      { name: 'debug', kind: 'bool', default: false, doc: "The debug trigger module (Sdtrig) as QEMU 7.2 has it: tselect, tdata1–tdata3 and tinfo, two execute/load/store address triggers raising breakpoint exceptions (QEMU's CPU property of the same name). riscv-virt@1.2 and later turn it on." },
    ],
    regions: [],
    irqs: [
      { name: 'msip', direction: 'in', count: 1, doc: 'Machine software interrupt (mip.MSIP), from a CLINT.', drivenBy: 'timer', signal: RISCV_HART_INTERRUPT },
      { name: 'mtip', direction: 'in', count: 1, doc: 'Machine timer interrupt (mip.MTIP), from a CLINT.', drivenBy: 'timer', signal: RISCV_HART_INTERRUPT },
      { name: 'meip', direction: 'in', count: 1, doc: 'Machine external interrupt (mip.MEIP), from a PLIC.', drivenBy: 'interrupt-controller', signal: RISCV_HART_INTERRUPT },
      { name: 'seip', direction: 'in', count: 1, doc: 'Supervisor external interrupt (mip.SEIP), from a PLIC.', drivenBy: 'interrupt-controller', signal: RISCV_HART_INTERRUPT },
    ],
  },
  {
    name: 'rv32',
    parent: 'riscv-cpu',
    category: 'cpu',
    interfaces: [],
    doc: 'A 32-bit RISC-V hart: RV32I with Zicsr and Zifencei, optional M, A, F, D, C, S/U modes with Sv32, and the bit-manipulation extensions Zba, Zbb, Zbc, Zbs.',
    props: [],
    regions: [],
    irqs: [],
    module: 'engine/cpu/riscv',
  },
  {
    name: 'arm-cpu',
    parent: 'cpu',
    abstract: true,
    category: 'abstract',
    interfaces: ['arm-core'],
    architecture: {
      name: 'ARM',
      elfMachine: 40,
      elfMachineName: 'EM_ARM',
      build: 'arm-none-eabi-gcc -mcpu={cpu} -mthumb',
      reservedRanges: [{ start: 0xe000_0000, end: 0xe00f_ffff, what: "the Private Peripheral Bus, where the core's own System Control Space (NVIC, SysTick, SCB) and debug blocks answer" }],
    },
    // QEMU 7.2 lists no properties for its M-profile models; BoardLab lists the ARMv7-M features
    // over the ARMv6-M base (docs/qmp.md "CPU models"): what software built for one core needs.
    cpuModel: {
      staticBase: 'armv6-m',
      extensions: ['thumb2', 'hwdiv', 'exclusives', 'basepri', 'fault-handlers', 'unaligned', 'bitband'],
      requires: { hwdiv: 'thumb2', exclusives: 'thumb2' },
    },
    doc: 'An ARM Cortex-M core (M profile): Thumb instructions, the NVIC, SysTick and the System Control Block at 0xE000E000. Reset loads SP and PC from the vector table (at reset-vector, normally 0).',
    props: [
      {
        name: 'reset-vector',
        kind: 'address',
        default: 0,
        doc: "Where the vector table is at reset (VTOR's reset value, as QEMU's init-svtor): reset loads SP from its first word and PC from its second.",
      },
      {
        name: 'num-irq',
        kind: 'uint',
        default: 32,
        min: 1,
        max: 496,
        doc: 'External interrupt lines of the NVIC (ports irq[0]…; exception 16 + n). QEMU\'s mps2-an385 sets 32.',
      },
      {
        name: 'clock-frequency',
        kind: 'frequency',
        default: 25_000_000,
        min: 1,
        unit: 'Hz',
        doc: 'Core clock: the core retires one instruction per cycle of virtual time (25 MHz: 40 ns each), and SysTick counts at this rate with CSR.CLKSOURCE = 1 (mps2-an385: SYSCLK, 25 MHz).',
      },
      {
        name: 'refclk-frequency',
        kind: 'frequency',
        default: 1_000_000,
        min: 1,
        unit: 'Hz',
        doc: "SysTick's external reference clock (CSR.CLKSOURCE = 0); QEMU 7.2's mps2 boards wire 1 MHz.",
      },
      {
        name: 'semihosting',
        kind: 'bool',
        default: false,
        doc: 'ARM semihosting: `bkpt 0xab` is a semihosting call (console output, clock, exit) instead of a debug event, as QEMU\'s -semihosting-config enable=on,target=native.',
      },
    ],
    regions: [],
    irqs: [
      { name: 'irq', direction: 'in', count: { prop: 'num-irq' }, doc: 'External interrupt lines into the NVIC (level-sensitive): line n is exception 16 + n.', signal: ARM_NVIC_INPUT },
      { name: 'nmi', direction: 'in', count: 1, doc: 'Non-maskable interrupt (exception 2), pended on a rising level.', signal: ARM_NVIC_INPUT },
    ],
    resets: [RESET_IN, { name: 'sysresetreq', direction: 'out', doc: "Pulsed when the guest writes AIRCR.SYSRESETREQ (with the 0x05FA key): the board's reset graph decides what it resets." }],
  },
  {
    name: 'cortex-m3',
    parent: 'arm-cpu',
    category: 'cpu',
    interfaces: [],
    doc: 'ARM Cortex-M3 (ARMv7-M): Thumb and Thumb-2, hardware divide, bit-banding, the full v7-M exception model with MemManage, BusFault and UsageFault. The CPU of QEMU\'s mps2-an385.',
    cpuFeatures: ['thumb2', 'hwdiv', 'exclusives', 'basepri', 'fault-handlers', 'unaligned'],
    props: [
      {
        name: 'num-prio-bits',
        kind: 'uint',
        default: 8,
        min: 3,
        max: 8,
        doc: 'Implemented priority bits of the NVIC and SHPR registers (the low bits read as zero). QEMU 7.2 implements 8 on v7-M cores.',
      },
      {
        name: 'bitband',
        kind: 'bool',
        default: true,
        doc: 'The bit-band aliases: 0x22000000–0x23FFFFFF maps each bit of 0x20000000–0x200FFFFF to a word, 0x42000000–0x43FFFFFF those of 0x40000000–0x400FFFFF (QEMU\'s mps2 boards enable them).',
      },
    ],
    regions: [],
    irqs: [],
    module: 'engine/cpu/arm',
  },
  {
    name: 'cortex-m0',
    parent: 'arm-cpu',
    category: 'cpu',
    interfaces: [],
    doc: 'ARM Cortex-M0 (ARMv6-M): the Thumb subset with a few 32-bit instructions (bl, mrs, msr, barriers), no divide, no bit-banding; a v7-M-only encoding takes a HardFault.',
    props: [V6M_PRIO_BITS],
    regions: [],
    irqs: [],
    module: 'engine/cpu/arm',
  },
  {
    name: 'cortex-m0plus',
    parent: 'arm-cpu',
    category: 'cpu',
    interfaces: [],
    doc: 'ARM Cortex-M0+ (ARMv6-M): the instruction set and exception model of the Cortex-M0 (as QEMU 7.2 models it).',
    props: [V6M_PRIO_BITS],
    regions: [],
    irqs: [],
    module: 'engine/cpu/arm',
  },
  {
    name: 'ram',
    parent: 'device',
    category: 'memory',
    interfaces: ['memory'],
    doc: 'Random-access memory. In the browser it is in the machine\'s guest arena, a SharedArrayBuffer the page reads live (see the shared property).',
    props: [
      { name: 'size', kind: 'size', default: 128 * 1024 * 1024, min: 4, max: 2 * 1024 * 1024 * 1024, unit: 'bytes', doc: 'Size in bytes (e.g. "128M").' },
      {
        name: 'shared',
        kind: 'bool',
        default: false,
        doc: 'Let other threads read the memory while the guest runs. In the browser, true puts it in the machine\'s guest arena (a shared WebAssembly.Memory: the page\'s memory view reads it live, compiled code addresses it directly); false keeps it private to the emulator worker (the memory view cannot show it; compiled code reaches it through slow paths). In Node nothing else reads guest memory, so it is in the arena either way (docs/guest-memory.md).',
        needsFeature: { value: true, feature: 'shared-memory' },
      },
    ],
    regions: [{ name: 'mem', kind: 'ram', size: { prop: 'size' }, doc: 'The memory contents.' }],
    irqs: [],
    module: 'engine/devices/ram',
  },
  {
    name: 'rom',
    parent: 'ram',
    category: 'memory',
    interfaces: [],
    doc: 'Read-only memory: images load into it, guest writes fault.',
    props: [],
    regions: [{ name: 'mem', kind: 'rom', size: { prop: 'size' }, doc: 'The memory contents (read-only to the guest).' }],
    irqs: [],
    module: 'engine/devices/ram',
  },
  {
    name: 'flash',
    parent: 'rom',
    category: 'memory',
    interfaces: [],
    doc: 'On-chip program flash of a microcontroller: read-only to the guest, programmed by image loading.',
    props: [],
    regions: [],
    irqs: [],
    module: 'engine/devices/ram',
  },
  {
    name: 'boot-rom',
    parent: 'device',
    category: 'memory',
    interfaces: ['memory', 'boot'],
    doc: "QEMU virt's boot ROM (MROM at 0x1000): harts start here; it passes a0 = hart id, a1 = the device tree's address and a2 = a fw_dynamic_info block, and jumps to the entry point of the first CPU's image.",
    props: [{ name: 'fdt', kind: 'bool', default: true, doc: 'Put a device tree of the board at the top of RAM (2 MiB aligned, as QEMU) and pass its address in a1.' }],
    regions: [{ name: 'mem', kind: 'rom', size: 0xf000, doc: 'The ROM: reset-vector code, then the entry and device-tree addresses and fw_dynamic_info.' }],
    irqs: [],
    module: 'engine/devices/boot-rom',
  },
  {
    name: 'ns16550a',
    parent: 'device',
    category: 'serial',
    interfaces: ['serial', 'mmio-device'],
    doc: 'An NS16550A-compatible UART (QEMU virt has one at 0x10000000, IRQ 10). Transmitted bytes go to the terminal or stdout; typed bytes arrive in its receive FIFO.',
    props: [
      {
        name: 'clock-frequency',
        kind: 'frequency',
        default: 3686400,
        min: 1,
        unit: 'Hz',
        doc: 'Input clock, for the baud-rate divisor (as device trees describe it).',
        descriptive: 'Only the device tree: transmission completes at once and input arrives as the host sends it, so no baud rate is derived from this clock.',
      },
      { name: 'fifo-depth', kind: 'uint', default: 16, min: 1, max: 64, unit: 'bytes', doc: 'Depth of the receive FIFO.' },
    ],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x100, doc: 'The eight UART registers, one byte apart.' }],
    irqs: [{ name: 'irq', direction: 'out', count: 1, doc: 'Interrupt request, high while an enabled interrupt condition holds.' }],
    clocks: [{ name: 'clk', doc: 'Baud clock.' }],
    module: 'engine/devices/ns16550a',
  },
  {
    name: 'cmsdk-apb-uart',
    parent: 'device',
    category: 'serial',
    interfaces: ['serial', 'mmio-device'],
    doc: "ARM's CMSDK APB UART (mps2-an385 has five, at 0x40004000…): one-byte transmit and receive buffers, 8N1. It transmits only while CTRL.TXEN is set and receives only while CTRL.RXEN is set, as on QEMU. Transmitted bytes go to the terminal or stdout; typed bytes arrive in its receive buffer.",
    props: [],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'DATA 0x00, STATE 0x04, CTRL 0x08, INTSTATUS/INTCLEAR 0x0c, BAUDDIV 0x10; ID registers at 0xfd0–0xffc.' }],
    irqs: [
      { name: 'tx', direction: 'out', count: 1, doc: 'TX interrupt (INTSTATUS.TX): a byte went out with CTRL.TXINTEN set; cleared through INTCLEAR.' },
      { name: 'rx', direction: 'out', count: 1, doc: 'RX interrupt (INTSTATUS.RX): a byte arrived with CTRL.RXINTEN set; cleared through INTCLEAR.' },
      { name: 'txovr', direction: 'out', count: 1, doc: 'TX overrun interrupt: STATE.TXOVERRUN with CTRL.TXOINTEN.' },
      { name: 'rxovr', direction: 'out', count: 1, doc: 'RX overrun interrupt: STATE.RXOVERRUN with CTRL.RXOINTEN.' },
      { name: 'uartint', direction: 'out', count: 1, doc: 'Combined interrupt (UARTINTR): high while any INTSTATUS bit is set.' },
    ],
    module: 'engine/devices/cmsdk-apb-uart',
  },
  {
    name: 'cmsdk-apb-timer',
    parent: 'device',
    category: 'timer',
    interfaces: ['timer', 'mmio-device'],
    doc: "ARM's CMSDK APB timer (mps2-an385: 0x40000000 on IRQ 8, 0x40001000 on IRQ 9): a 32-bit down-counter at the APB clock in virtual time that reloads from RELOAD and interrupts when it reaches 0.",
    props: [{ name: 'pclk-frequency', kind: 'frequency', default: 25_000_000, min: 1, unit: 'Hz', doc: 'The APB clock the counter counts at (mps2-an385: SYSCLK, 25 MHz).' }],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'CTRL 0x00, VALUE 0x04, RELOAD 0x08, INTSTATUS/INTCLEAR 0x0c; ID registers at 0xfd0–0xffc.' }],
    irqs: [{ name: 'irq', direction: 'out', count: 1, doc: 'Timer interrupt: INTSTATUS, latched when the count reaches 0 with CTRL.IRQEN.' }],
    module: 'engine/devices/cmsdk-apb-timer',
  },
  {
    name: 'cmsdk-apb-dualtimer',
    parent: 'device',
    category: 'timer',
    interfaces: ['timer', 'mmio-device'],
    doc: "ARM's CMSDK APB dual-input timer (mps2-an385: 0x40002000, combined interrupt on IRQ 10): two SP804-style down-counters, each 16 or 32 bits, free-running, periodic or one-shot, with a prescaler of 1, 16 or 256.",
    props: [{ name: 'pclk-frequency', kind: 'frequency', default: 25_000_000, min: 1, unit: 'Hz', doc: 'The clock the counters count at before their prescalers (mps2-an385: SYSCLK, 25 MHz).' }],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'Counter 1 at 0x00 (LOAD, VALUE, CONTROL, INTCLR, RIS, MIS, BGLOAD), counter 2 at 0x20; TIMERITCR 0xf00, TIMERITOP 0xf04; ID registers at 0xfd0–0xffc.' }],
    irqs: [
      { name: 'timint', direction: 'out', count: 2, doc: 'Interrupt of counter 1 (timint[0]) and counter 2 (timint[1]): its RIS with CONTROL.INTEN.' },
      { name: 'timintc', direction: 'out', count: 1, doc: 'Combined interrupt: either counter\'s.' },
    ],
    module: 'engine/devices/cmsdk-apb-dualtimer',
  },
  {
    name: 'mps2-fpgaio',
    parent: 'device',
    category: 'io',
    interfaces: ['mmio-device'],
    doc: "The FPGA I/O block of ARM's MPS2 boards (mps2-an385: 0x40028000): LED0 lights the user LEDs, BUTTON reads the user buttons, and CLK1HZ, CLK100HZ, COUNTER and PSCNTR count in virtual time.",
    props: [
      { name: 'num-leds', kind: 'uint', default: 2, min: 0, max: 32, doc: 'User LEDs LED0 drives (ports led[0]…); the bits above read 0.' },
      { name: 'prescale-frequency', kind: 'frequency', default: 25_000_000, min: 1, unit: 'Hz', doc: 'The clock PSCNTR counts down at (QEMU\'s mps2 boards: 25 MHz); COUNTER increments each time PSCNTR reloads from PRESCALE.' },
    ],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'LED0 0x00, BUTTON 0x08, CLK1HZ 0x10, CLK100HZ 0x14, COUNTER 0x18, PRESCALE 0x1c, PSCNTR 0x20, MISC 0x4c.' }],
    irqs: [
      { name: 'led', direction: 'out', count: { prop: 'num-leds' }, doc: 'LED lines: led[i] is high while LED0 bit i is set (wire them to led objects).' },
      { name: 'button', direction: 'in', count: 2, doc: 'Button lines: BUTTON bit i reads button[i] (wire buttons to them; unwired reads 0, as QEMU).' },
    ],
    module: 'engine/devices/mps2-fpgaio',
  },
  {
    name: 'mps2-scc',
    parent: 'device',
    category: 'misc',
    interfaces: ['mmio-device'],
    doc: "The serial communication controller of ARM's MPS2 boards (mps2-an385: 0x4002F000): board configuration registers, the SYS_CFG channel that reads and sets the oscillator clocks, and the board and FPGA image identification.",
    props: [
      { name: 'scc-id', kind: 'uint', default: 0x4104_3850, min: 0, max: 0xffff_ffff, doc: 'Value of the ID register (0xFFC): implementer, part number and revision of the FPGA image (AN385: 0x41043850).' },
      { name: 'scc-aid', kind: 'uint', default: 0x0020_0008, min: 0, max: 0xffff_ffff, doc: 'Value of the AID register (0xFF8): the FPGA build (QEMU\'s mps2 boards: 0x00200008).' },
      { name: 'scc-cfg4', kind: 'uint', default: 0x2, min: 0, max: 0xffff_ffff, doc: 'Value of the read-only CFG4 register (the board revision; QEMU\'s mps2 boards: 0x2).' },
    ],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'CFG0 0x00, CFG1 0x04, CFG3 0x0c, CFG4 0x10, CFGDATA_RTN 0xa0, CFGDATA_OUT 0xa4, CFGCTRL 0xa8, CFGSTAT 0xac, DLL 0x100, AID 0xff8, ID 0xffc.' }],
    irqs: [],
    module: 'engine/devices/mps2-scc',
  },
  {
    name: 'or-irq',
    parent: 'device',
    category: 'interrupt',
    interfaces: [],
    doc: 'An OR gate for interrupt lines: its output is high while any input is (an input takes one output, so several sources that share a line go through one).',
    props: [{ name: 'num-lines', kind: 'uint', default: 2, min: 1, max: 32, doc: 'Number of inputs (in[0]…).' }],
    regions: [],
    irqs: [
      { name: 'in', direction: 'in', count: { prop: 'num-lines' }, doc: 'The inputs.' },
      { name: 'out', direction: 'out', count: 1, doc: 'High while any input is high.' },
    ],
    module: 'engine/devices/or-irq',
  },
  {
    name: 'mailbox',
    parent: 'device',
    category: 'misc',
    interfaces: ['mmio-device'],
    doc: 'A mailbox for inter-processor communication (the message unit of an AMP SoC): two sides, a and b, each with its own register block and level interrupt, mapped into the views of the two CPUs that talk through it. Each direction is a FIFO of depth 32-bit words: TX 0x00 pushes to the other side (dropped with STATUS.TXOVF when full), RX 0x04 pops (0 when empty), STATUS 0x08 (RXNE, TXFULL, TXOVF: write 1 to clear), IRQEN 0x0C (bit 0: irq while RXNE, bit 1: irq while TXFULL is clear), RXCOUNT 0x10.',
    props: [{ name: 'depth', kind: 'uint', default: 16, min: 1, max: 256, doc: 'Words each direction\'s FIFO holds; a TX write to a full FIFO is dropped and sets STATUS.TXOVF.' }],
    regions: [
      { name: 'a.regs', kind: 'mmio', size: 0x1000, doc: "Side a's registers: TX 0x00, RX 0x04, STATUS 0x08, IRQEN 0x0C, RXCOUNT 0x10." },
      { name: 'b.regs', kind: 'mmio', size: 0x1000, doc: "Side b's registers: TX 0x00, RX 0x04, STATUS 0x08, IRQEN 0x0C, RXCOUNT 0x10." },
    ],
    irqs: [
      { name: 'a.irq', direction: 'out', count: 1, doc: "Side a's interrupt (level): high while IRQEN's conditions hold for side a." },
      { name: 'b.irq', direction: 'out', count: 1, doc: "Side b's interrupt (level): high while IRQEN's conditions hold for side b." },
    ],
    module: 'engine/devices/mailbox',
  },
  {
    name: 'reset-controller',
    parent: 'device',
    category: 'misc',
    interfaces: ['mmio-device'],
    doc: "A reset controller, as AMP SoCs have for their second core: HOLD (0x00) bit n holds reset output holdN asserted. A CPU wired to a held line does not run; clearing the bit releases it and it starts from its reset state (a Cortex-M core reads its vector table then). After a board reset HOLD reads hold-at-reset, so a CPU can start held until another releases it.",
    props: [{ name: 'hold-at-reset', kind: 'uint', default: 0, min: 0, max: 15, doc: 'HOLD after a board reset: bit n starts reset output holdN asserted (the CPU it is wired to waits until the guest clears the bit).' }],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'HOLD at 0x00 (bits 0–3).' }],
    irqs: [],
    resets: [
      RESET_IN,
      { name: 'hold0', direction: 'out', doc: 'Held asserted while HOLD bit 0 is set.' },
      { name: 'hold1', direction: 'out', doc: 'Held asserted while HOLD bit 1 is set.' },
      { name: 'hold2', direction: 'out', doc: 'Held asserted while HOLD bit 2 is set.' },
      { name: 'hold3', direction: 'out', doc: 'Held asserted while HOLD bit 3 is set.' },
    ],
    module: 'engine/devices/reset-controller',
  },
  {
    name: 'unimplemented-device',
    parent: 'device',
    category: 'misc',
    interfaces: ['mmio-device'],
    doc: "A block of the address space with no model behind it, as QEMU's unimplemented-device: reads return 0 and writes are ignored, where an access to nothing would be a bus fault. Map it under real devices (lower priority).",
    props: [{ name: 'size', kind: 'size', default: 0x1000, min: 1, max: 0x1_0000_0000, unit: 'bytes', doc: 'Size of the block.' }],
    regions: [{ name: 'regs', kind: 'mmio', size: { prop: 'size' }, doc: 'Reads 0, ignores writes.' }],
    irqs: [],
    module: 'engine/devices/unimplemented',
  },
  {
    name: 'sifive-test',
    parent: 'device',
    category: 'misc',
    interfaces: ['finisher', 'mmio-device'],
    doc: 'The test/finisher device of QEMU virt: writing 0x5555 stops the board with success, (code << 16) | 0x3333 with failure code, 0x7777 resets it.',
    props: [],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'The finisher register at offset 0.' }],
    irqs: [],
    resets: [RESET_IN, { name: 'system-reset', direction: 'out', doc: 'Pulsed when the guest writes 0x7777.' }],
    module: 'engine/devices/sifive-test',
  },
  {
    name: 'clint',
    parent: 'device',
    category: 'timer',
    interfaces: ['timer', 'time-base', 'mmio-device'],
    doc: 'Core-local interruptor (SiFive CLINT / RISC-V ACLINT MTIMER + MSWI): mtime, one mtimecmp and one msip per hart.',
    props: [
      { name: 'num-harts', kind: 'uint', default: 1, min: 1, max: 4095, doc: 'Number of harts served (msip and mtimecmp registers).' },
      { name: 'timebase-frequency', kind: 'frequency', default: 10_000_000, min: 1, unit: 'Hz', doc: 'Rate of mtime (QEMU virt: 10 MHz).' },
    ],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x10000, doc: 'msip at 0x0, mtimecmp at 0x4000, mtime at 0xbff8.' }],
    irqs: [
      { name: 'msip', direction: 'out', count: { prop: 'num-harts' }, doc: 'Software interrupt per hart.', signal: RISCV_HART_INTERRUPT },
      { name: 'mtip', direction: 'out', count: { prop: 'num-harts' }, doc: 'Timer interrupt per hart.', signal: RISCV_HART_INTERRUPT },
    ],
    module: 'engine/devices/clint',
  },
  {
    name: 'plic',
    parent: 'device',
    category: 'interrupt',
    interfaces: ['interrupt-controller', 'mmio-device'],
    doc: 'Platform-level interrupt controller (SiFive PLIC): per-source priority and pending, per-context enables, thresholds and claim/complete; contexts are M then S for each hart.',
    props: [
      { name: 'num-sources', kind: 'uint', default: 97, min: 2, max: 1024, doc: 'Interrupt source lines including the unused source 0 (QEMU virt: 97, i.e. sources 1–96).' },
      { name: 'num-harts', kind: 'uint', default: 1, min: 1, max: 4095, doc: 'Number of harts (two contexts each: M and S).' },
    ],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x600000, doc: 'Priorities at 0x0, pending at 0x1000, enables at 0x2000, context registers at 0x200000.' }],
    irqs: [
      {
        name: 'in',
        direction: 'in',
        count: { prop: 'num-sources' },
        doc: 'Interrupt sources; line 0 is never raised.',
        reserved: { lines: [0], doc: 'PLIC source 0 is reserved: it means "no interrupt", so the PLIC never raises it' },
      },
      { name: 'meip', direction: 'out', count: { prop: 'num-harts' }, doc: 'Machine external interrupt per hart.', signal: RISCV_HART_INTERRUPT },
      { name: 'seip', direction: 'out', count: { prop: 'num-harts' }, doc: 'Supervisor external interrupt per hart.', signal: RISCV_HART_INTERRUPT },
    ],
    module: 'engine/devices/plic',
  },
  {
    name: 'gpio',
    parent: 'device',
    category: 'io',
    interfaces: ['gpio', 'mmio-device'],
    doc: 'A bank of general-purpose I/O lines: input value, output value, output enable and per-line interrupt enable registers.',
    props: [{ name: 'num-lines', kind: 'uint', default: 32, min: 1, max: 32, doc: 'Number of lines.' }],
    regions: [{ name: 'regs', kind: 'mmio', size: 0x1000, doc: 'input 0x00, output 0x04, output-enable 0x08, interrupt-enable 0x0c, interrupt-pending 0x10.' }],
    irqs: [
      { name: 'out', direction: 'out', count: { prop: 'num-lines' }, doc: 'Output lines (to LEDs and other inputs).' },
      { name: 'in', direction: 'in', count: { prop: 'num-lines' }, doc: 'Input lines (from buttons and other outputs).' },
      { name: 'irq', direction: 'out', count: 1, doc: 'Interrupt: any enabled input line changed.' },
    ],
    module: 'engine/devices/gpio',
  },
  {
    name: 'led',
    parent: 'device',
    category: 'io',
    interfaces: ['indicator'],
    doc: 'A light-emitting diode: on while its input line is high. The designer shows it glowing.',
    props: [
      {
        name: 'color',
        kind: 'enum',
        default: 'green',
        values: ['red', 'green', 'blue', 'yellow', 'white'],
        doc: 'Colour shown in the designer.',
        descriptive: "Only the designer's drawing: the LED is lit by its input line whatever its colour.",
      },
    ],
    regions: [],
    irqs: [{ name: 'in', direction: 'in', count: 1, doc: 'The LED is lit while this line is high.' }],
    module: 'engine/devices/led',
  },
  {
    name: 'button',
    parent: 'device',
    category: 'io',
    interfaces: ['input'],
    doc: 'A push button: its output line is high while pressed (in the designer or through the API).',
    props: [{ name: 'active-low', kind: 'bool', default: false, doc: 'Drive the line low while pressed instead of high.' }],
    regions: [],
    irqs: [{ name: 'out', direction: 'out', count: 1, doc: 'High while the button is pressed (low if active-low).' }],
    module: 'engine/devices/button',
  },
  {
    name: 'framebuffer',
    parent: 'device',
    category: 'display',
    interfaces: ['display', 'mmio-device'],
    doc: 'A simple linear framebuffer: pixels live in shared memory and the designer shows them.',
    props: [
      { name: 'width', kind: 'uint', default: 320, min: 1, max: 4096, unit: 'pixels', doc: 'Width in pixels.' },
      { name: 'height', kind: 'uint', default: 240, min: 1, max: 4096, unit: 'pixels', doc: 'Height in pixels.' },
      { name: 'format', kind: 'enum', default: 'xrgb8888', values: ['xrgb8888', 'rgb565'], doc: 'Pixel format.' },
    ],
    regions: [{ name: 'vram', kind: 'ram', size: { expr: 'width * height * 4' }, doc: 'Pixel memory, row by row.' }],
    irqs: [],
    module: 'engine/devices/framebuffer',
  },
];

const byName = new Map(types.map((t) => [t.name, t]));
const effectiveCache = new Map<string, EffectiveType>();

export interface TypeFilter {
  /** Only types with this interface (their own or inherited). */
  interface?: string;
  /** true: only abstract types; false: only instantiable types. */
  abstract?: boolean;
  /** Only subtypes of this type (itself included). */
  parent?: string;
}

/** Catalog types, effective (inheritance applied), filtered. */
export function listTypes(filter: TypeFilter = {}): EffectiveType[] {
  return types
    .map((t) => effectiveType(t.name)!)
    .filter((t) => filter.interface === undefined || t.interfaces.includes(filter.interface))
    .filter((t) => filter.abstract === undefined || (t.abstract ?? false) === filter.abstract)
    .filter((t) => filter.parent === undefined || t.name === filter.parent || t.ancestors.includes(filter.parent));
}

/** The type as declared (own entries only). */
export function findType(name: string): TypeSpec | undefined {
  return byName.get(name);
}

/** The type with inherited properties, ports and interfaces merged in; undefined if unknown. */
export function effectiveType(name: string): EffectiveType | undefined {
  const cached = effectiveCache.get(name);
  if (cached) return cached;
  const own = byName.get(name);
  if (own === undefined) return undefined;
  const parent = own.parent === undefined ? undefined : effectiveType(own.parent);
  const merge = <T extends { name: string }>(inherited: readonly T[] | undefined, mine: readonly T[] | undefined): T[] => {
    const result = new Map<string, T>();
    for (const item of inherited ?? []) result.set(item.name, item);
    for (const item of mine ?? []) result.set(item.name, item);
    return [...result.values()];
  };
  const effective: EffectiveType = {
    ...own,
    ancestors: parent ? [parent.name, ...parent.ancestors] : [],
    interfaces: [...new Set([...(parent?.interfaces ?? []), ...own.interfaces])],
    props: merge(parent?.props, own.props),
    regions: merge(parent?.regions, own.regions),
    irqs: merge(parent?.irqs, own.irqs),
    resets: merge(parent?.resets, own.resets),
    clocks: merge(parent?.clocks, own.clocks),
    removedProps: merge(parent?.removedProps, own.removedProps),
  };
  effectiveCache.set(name, effective);
  return effective;
}

/** Is `type` the type `ancestorOrInterface`, a subtype of it, or does it implement it as an interface? */
export function isA(type: string, ancestorOrInterface: string): boolean {
  const t = effectiveType(type);
  if (t === undefined) return false;
  return t.name === ancestorOrInterface || t.ancestors.includes(ancestorOrInterface) || t.interfaces.includes(ancestorOrInterface);
}

/** The architecture of a CPU type: the one its nearest ancestor (or itself) declares. */
export function cpuArchitecture(typeName: string): CpuArchitecture | undefined {
  const type = effectiveType(typeName);
  if (type === undefined) return undefined;
  for (const name of [type.name, ...type.ancestors]) {
    const architecture = byName.get(name)?.architecture;
    if (architecture !== undefined) return architecture;
  }
  return undefined;
}

/** Concrete type names, for suggestions. */
export function instantiableTypeNames(): string[] {
  return types.filter((t) => !t.abstract).map((t) => t.name);
}

/** Engine modules named by the catalog, each with the types it implements. */
export function catalogModules(): Map<string, string[]> {
  const modules = new Map<string, string[]>();
  for (const t of types) if (t.module) modules.set(t.module, [...(modules.get(t.module) ?? []), t.name]);
  return modules;
}

/** Whether an engine module loaded (the engine probes; the graph only reads the answer). */
export type ModuleAvailability = { available: true } | { available: false; reason: string };

/** Objects whose type's engine module is unavailable, as problems pointing at the objects. */
export function unavailableTypeProblems(
  objects: ReadonlyArray<{ path: string; type: string; pointer: string; composite?: boolean }>,
  statuses: ReadonlyMap<string, ModuleAvailability>,
): Array<{ pointer: string; message: string; hint: string }> {
  const problems: Array<{ pointer: string; message: string; hint: string }> = [];
  for (const object of objects) {
    const module = object.composite ? undefined : effectiveType(object.type)?.module;
    const status = module === undefined ? undefined : statuses.get(module);
    if (status !== undefined && !status.available) {
      problems.push({ pointer: object.pointer, message: `type "${object.type}" of ${object.path} is unavailable: ${status.reason}`, hint: 'The board is valid, but this build cannot run it; reload, or check the engine module.' });
    }
  }
  return problems;
}
