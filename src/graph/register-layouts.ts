// Register layouts as data (DESIGN.md, principle 6): for each device type of the catalog, the
// registers of each of its MMIO regions — offset, width, name, access, doc — and their fields (bits,
// name, doc, value names); for each CPU architecture, the control registers of a core (RISC-V CSRs,
// the Cortex-M special registers and System Control Block). The page's register view decodes live
// values with them, `boardlab type` prints them, and a test checks each device's list against the
// named offsets of its implementation (src/engine/devices/*.ts).
//
// A register that repeats (one per PLIC source, per hart, per context) says so with `repeat`: its
// count comes from the object's properties, so the layout of an object follows its configuration.

/** How software may access a register or a field. */
export type RegisterAccess = 'rw' | 'ro' | 'wo' | 'w1c' | 'rc';

const ACCESS_TEXT: Readonly<Record<RegisterAccess, string>> = {
  rw: 'read/write',
  ro: 'read-only',
  wo: 'write-only',
  w1c: 'read, write 1 to clear',
  rc: 'reading has side effects',
};

/** "read-only", "read, write 1 to clear". */
export function accessText(access: RegisterAccess): string {
  return ACCESS_TEXT[access];
}

/** A field of a register: `width` bits from bit `lsb`. */
export interface FieldLayout {
  readonly name: string;
  readonly lsb: number;
  readonly width: number;
  readonly doc: string;
  /** Names of values ("0: U-mode"); a value not listed shows as a number. */
  readonly values?: Readonly<Record<number, string>>;
  /**
   * Each bit stands for one numbered thing (a PLIC source, an LED): the field decodes to the list
   * of the set bits' numbers, bit b of repetition k numbering `first + k * width + b`.
   */
  readonly bitList?: { readonly first: number; readonly what: string };
  /** An ARM exception number: values from this one on are external interrupts (IRQ value − irqFrom); below it `values` names them. */
  readonly irqFrom?: number;
  /** Shown in place, as the register's bits with the others cleared (an aligned base address: mtvec.BASE), not shifted down. */
  readonly inPlace?: boolean;
  readonly access?: RegisterAccess;
}

/** How many times a register repeats: a constant, or an integer property of the object (scaled, then rounded up). */
export type RepeatCount = number | { readonly prop: string; readonly times?: number; readonly divideBy?: number; readonly plus?: number };

export interface RepeatSpec {
  readonly count: RepeatCount;
  /** Bytes between repetitions. */
  readonly stride: number;
  /** What the index numbers ("source", "hart", "context"), for names and docs. */
  readonly index: string;
  /** The first index's number (PLIC priorities start at source 1). */
  readonly first?: number;
}

export interface RegisterLayout {
  readonly name: string;
  /** Byte offset in the region (of the first repetition). */
  readonly offset: number;
  /** Bits: 8, 16, 32 or 64. */
  readonly width: 8 | 16 | 32 | 64;
  readonly access: RegisterAccess;
  readonly doc: string;
  readonly fields?: readonly FieldLayout[];
  /** Repetitions (nested: the first is the outer one). */
  readonly repeat?: readonly RepeatSpec[];
}

/** The registers of one region port of a device type. */
export interface RegisterBlockLayout {
  /** The region port ("regs", "a.regs"). */
  readonly region: string;
  readonly registers: readonly RegisterLayout[];
}

/** A core's control register: its value comes from the core's debug register file by `register` (CSRs), or from its system register space by `systemOffset` (ARM SCS). */
export interface CoreRegisterLayout {
  readonly name: string;
  /** The debug contract's register name (RegisterInfo.name) to read it by. */
  readonly register?: string;
  /** Offset in the core's System Control Space (0xE000E000 + offset), for ARM's memory-mapped system registers. */
  readonly systemOffset?: number;
  readonly width: 32;
  readonly access: RegisterAccess;
  readonly doc: string;
  readonly fields?: readonly FieldLayout[];
}

const f = (name: string, lsb: number, width: number, doc: string, more: Partial<FieldLayout> = {}): FieldLayout => ({ name, lsb, width, doc, ...more });
const bit = (name: string, lsb: number, doc: string, more: Partial<FieldLayout> = {}): FieldLayout => f(name, lsb, 1, doc, more);
const r = (name: string, offset: number, width: RegisterLayout['width'], access: RegisterAccess, doc: string, fields?: readonly FieldLayout[], repeat?: readonly RepeatSpec[]): RegisterLayout => ({
  name,
  offset,
  width,
  access,
  doc,
  ...(fields === undefined ? {} : { fields }),
  ...(repeat === undefined ? {} : { repeat }),
});

// ------------------------------------------------------------------------------- devices

const NS16550A: readonly RegisterLayout[] = [
  r('RBR/THR', 0, 8, 'rc', 'Receive buffer (read: takes the oldest byte of the receive FIFO) / transmit holding register (write: sends a byte). DLL when LCR.DLAB is set.'),
  r('IER', 1, 8, 'rw', 'Interrupt enable. DLM when LCR.DLAB is set.', [
    bit('ERBFI', 0, 'Interrupt while received data is available.'),
    bit('ETBEI', 1, 'Interrupt while the transmit holding register is empty.'),
    bit('ELSI', 2, 'Interrupt on receiver line status (overrun).'),
    bit('EDSSI', 3, 'Interrupt on modem status change.'),
  ]),
  r('IIR/FCR', 2, 8, 'rc', 'Interrupt identification (read: the highest pending interrupt; reading it clears a THR-empty interrupt) / FIFO control (write).', [
    bit('nINT', 0, 'No interrupt pending when set.'),
    f('IID', 1, 3, 'Interrupt identification.', { values: { 0: 'modem status', 1: 'THR empty', 2: 'received data', 3: 'line status', 6: 'character timeout' } }),
    f('FIFOs', 6, 2, 'FIFOs enabled (FCR bit 0).', { values: { 0: 'off', 3: 'on' } }),
  ]),
  r('LCR', 3, 8, 'rw', 'Line control.', [
    f('WLS', 0, 2, 'Word length.', { values: { 0: '5 bits', 1: '6 bits', 2: '7 bits', 3: '8 bits' } }),
    bit('STB', 2, 'Two stop bits (1.5 with 5-bit words).'),
    bit('PEN', 3, 'Parity enable.'),
    bit('EPS', 4, 'Even parity.'),
    bit('SP', 5, 'Stick parity.'),
    bit('BC', 6, 'Break control.'),
    bit('DLAB', 7, 'Divisor latch access: offsets 0 and 1 reach DLL and DLM.'),
  ]),
  r('MCR', 4, 8, 'rw', 'Modem control.', [bit('DTR', 0, 'Data terminal ready.'), bit('RTS', 1, 'Request to send.'), bit('OUT1', 2, 'User output 1.'), bit('OUT2', 3, 'User output 2 (gates the interrupt on a PC).'), bit('LOOP', 4, 'Loopback: transmitted bytes come back as received ones.')]),
  r('LSR', 5, 8, 'rc', 'Line status (reading clears OE).', [
    bit('DR', 0, 'Data ready: the receive FIFO holds a byte.'),
    bit('OE', 1, 'Overrun: a byte arrived while the FIFO was full and was lost.'),
    bit('PE', 2, 'Parity error.'),
    bit('FE', 3, 'Framing error.'),
    bit('BI', 4, 'Break interrupt.'),
    bit('THRE', 5, 'Transmit holding register empty: a byte may be written.'),
    bit('TEMT', 6, 'Transmitter empty.'),
    bit('RXFE', 7, 'Error in the receive FIFO.'),
  ]),
  r('MSR', 6, 8, 'ro', 'Modem status.', [bit('CTS', 4, 'Clear to send.'), bit('DSR', 5, 'Data set ready.'), bit('RI', 6, 'Ring indicator.'), bit('DCD', 7, 'Data carrier detect.')]),
  r('SCR', 7, 8, 'rw', 'Scratch: a byte for software, no effect.'),
];

const PLIC_CONTEXT_DOC = 'Context c is hart ⌊c/2⌋ in M-mode (even c) or S-mode (odd c).';
const PLIC: readonly RegisterLayout[] = [
  r('priority', 0x4, 32, 'rw', 'Priority of an interrupt source (0: never interrupts; 1–7).', [f('priority', 0, 3, 'Priority (0 disables the source).')], [{ count: { prop: 'num-sources', plus: -1 }, stride: 4, index: 'source', first: 1 }]),
  r('pending', 0x1000, 32, 'ro', 'Pending bits, 32 sources per word.', [f('pending', 0, 32, 'Sources whose interrupt is pending (waiting to be claimed).', { bitList: { first: 0, what: 'source' } })], [
    { count: { prop: 'num-sources', divideBy: 32 }, stride: 4, index: 'word' },
  ]),
  r('enable', 0x2000, 32, 'rw', `Enable bits of a context, 32 sources per word. ${PLIC_CONTEXT_DOC}`, [f('enabled', 0, 32, 'Sources enabled for this context.', { bitList: { first: 0, what: 'source' } })], [
    { count: { prop: 'num-harts', times: 2 }, stride: 0x80, index: 'context' },
    { count: { prop: 'num-sources', divideBy: 32 }, stride: 4, index: 'word' },
  ]),
  r('threshold', 0x200000, 32, 'rw', `Priority threshold of a context: only sources of a higher priority interrupt it. ${PLIC_CONTEXT_DOC}`, [f('threshold', 0, 3, 'Priority threshold.')], [
    { count: { prop: 'num-harts', times: 2 }, stride: 0x1000, index: 'context' },
  ]),
  r('claim/complete', 0x200004, 32, 'rc', `Claim (read: the highest-priority pending enabled source, which stops being pending; 0 when none) / complete (write the source number back when handled). ${PLIC_CONTEXT_DOC} The view shows what a claim would return, without claiming.`, [f('source', 0, 10, 'The source a claim would return.')], [
    { count: { prop: 'num-harts', times: 2 }, stride: 0x1000, index: 'context' },
  ]),
];

const CLINT: readonly RegisterLayout[] = [
  r('msip', 0x0, 32, 'rw', "A hart's machine software interrupt: bit 0 drives its msip line (inter-processor interrupts).", [bit('MSIP', 0, 'Software interrupt pending.')], [{ count: { prop: 'num-harts' }, stride: 4, index: 'hart' }]),
  r('mtimecmp', 0x4000, 64, 'rw', "A hart's timer compare: its mtip line is high while mtime ≥ mtimecmp.", undefined, [{ count: { prop: 'num-harts' }, stride: 8, index: 'hart' }]),
  r('mtime', 0xbff8, 64, 'rw', 'The machine timer: counts at timebase-frequency in virtual time.'),
];

const SIFIVE_TEST: readonly RegisterLayout[] = [
  r('finisher', 0x0, 32, 'wo', 'Write 0x5555 to stop the board with success, (code << 16) | 0x3333 to fail with code, 0x7777 to reset it. Reads 0.', [
    f('status', 0, 16, 'What to do.', { values: { 0x3333: 'fail', 0x5555: 'pass', 0x7777: 'reset' } }),
    f('code', 16, 16, 'Exit code of a failure.'),
  ]),
];

const GPIO_LINES = { first: 0, what: 'line' } as const;
const GPIO: readonly RegisterLayout[] = [
  r('input', 0x00, 32, 'ro', 'Levels of the input lines.', [f('high', 0, 32, 'Input lines that are high.', { bitList: GPIO_LINES })]),
  r('output', 0x04, 32, 'rw', 'Output value.', [f('set', 0, 32, 'Lines whose output value is 1.', { bitList: GPIO_LINES })]),
  r('output-enable', 0x08, 32, 'rw', 'A line drives its output only while enabled.', [f('enabled', 0, 32, 'Lines that drive their output.', { bitList: GPIO_LINES })]),
  r('irq-enable', 0x0c, 32, 'rw', 'Per-line interrupt on an input change.', [f('enabled', 0, 32, 'Lines whose changes interrupt.', { bitList: GPIO_LINES })]),
  r('irq-pending', 0x10, 32, 'w1c', 'Latched input changes; write 1 to clear.', [f('pending', 0, 32, 'Lines that changed.', { bitList: GPIO_LINES })]),
];

const CMSDK_UART: readonly RegisterLayout[] = [
  r('DATA', 0x00, 32, 'rc', 'Read: the received byte (clears STATE.RXFULL). Write: transmit a byte.', [f('data', 0, 8, 'The byte.')]),
  r('STATE', 0x04, 32, 'w1c', 'Buffer status; write 1 to clear an overrun.', [
    bit('TXFULL', 0, 'Transmit buffer full.'),
    bit('RXFULL', 1, 'Receive buffer full: a byte waits in DATA.'),
    bit('TXOVERRUN', 2, 'A byte was written while the transmit buffer was full.'),
    bit('RXOVERRUN', 3, 'A byte arrived while the receive buffer was full.'),
  ]),
  r('CTRL', 0x08, 32, 'rw', 'Control.', [
    bit('TXEN', 0, 'Transmitter enabled.'),
    bit('RXEN', 1, 'Receiver enabled.'),
    bit('TXINTEN', 2, 'TX interrupt enabled.'),
    bit('RXINTEN', 3, 'RX interrupt enabled.'),
    bit('TXOINTEN', 4, 'TX overrun interrupt enabled.'),
    bit('RXOINTEN', 5, 'RX overrun interrupt enabled.'),
    bit('HSTM', 6, 'High-speed test mode.'),
  ]),
  r('INTSTATUS/INTCLEAR', 0x0c, 32, 'w1c', 'Interrupt status; write 1 to clear (INTCLEAR).', [bit('TX', 0, 'TX interrupt.'), bit('RX', 1, 'RX interrupt.'), bit('TXOVERRUN', 2, 'TX overrun interrupt.'), bit('RXOVERRUN', 3, 'RX overrun interrupt.')]),
  r('BAUDDIV', 0x10, 32, 'rw', 'Baud rate divisor (20 bits; at least 16 to transmit on hardware).', [f('divisor', 0, 20, 'Divisor.')]),
];

const CMSDK_TIMER: readonly RegisterLayout[] = [
  r('CTRL', 0x00, 32, 'rw', 'Control.', [bit('EN', 0, 'Counting.'), bit('SELEXTEN', 1, 'External input as enable.'), bit('SELEXTCLK', 2, 'External input as clock.'), bit('IRQEN', 3, 'Interrupt when the count reaches 0.')]),
  r('VALUE', 0x04, 32, 'rw', 'The current count (counts down at pclk-frequency).'),
  r('RELOAD', 0x08, 32, 'rw', 'Reloaded into VALUE when it reaches 0.'),
  r('INTSTATUS/INTCLEAR', 0x0c, 32, 'w1c', 'Interrupt status; write 1 to clear.', [bit('IRQ', 0, 'The count reached 0 with IRQEN set.')]),
];

/** Counter 1's registers; counter 2's are the same 0x20 higher (`repeat`). */
const DUALTIMER_COUNTERS = [{ count: 2, stride: 0x20, index: 'timer', first: 1 }] as const;
const CMSDK_DUALTIMER: readonly RegisterLayout[] = [
  r('LOAD', 0x00, 32, 'rw', 'The count loaded at once when written; a periodic counter reloads from it when it reaches 0.', undefined, DUALTIMER_COUNTERS),
  r('VALUE', 0x04, 32, 'ro', 'The current count (down at pclk-frequency / prescale).', undefined, DUALTIMER_COUNTERS),
  r('CONTROL', 0x08, 32, 'rw', 'Control.', [
    bit('ONESHOT', 0, 'Stops at 0 (else wraps or reloads).', { values: { 0: 'wrapping', 1: 'one-shot' } }),
    bit('SIZE', 1, 'Counter width.', { values: { 0: '16 bits', 1: '32 bits' } }),
    f('PRESCALE', 2, 2, 'Clock divisor.', { values: { 0: '÷1', 1: '÷16', 2: '÷256', 3: '÷256 (undefined)' } }),
    bit('INTEN', 5, 'Interrupt when the count reaches 0.'),
    bit('MODE', 6, 'What follows 0.', { values: { 0: 'free-running', 1: 'periodic' } }),
    bit('ENABLE', 7, 'Counting.'),
  ], DUALTIMER_COUNTERS),
  r('INTCLR', 0x0c, 32, 'wo', 'Write: clear the interrupt. Reads 0.', undefined, DUALTIMER_COUNTERS),
  r('RIS', 0x10, 32, 'ro', 'Raw interrupt status.', [bit('RAW', 0, 'The count reached 0 (whatever INTEN says).')], DUALTIMER_COUNTERS),
  r('MIS', 0x14, 32, 'ro', 'Masked interrupt status: what drives the output.', [bit('INT', 0, 'Raw status and INTEN.')], DUALTIMER_COUNTERS),
  r('BGLOAD', 0x18, 32, 'rw', 'Background load: the next reload value, without changing the count now.', undefined, DUALTIMER_COUNTERS),
  r('ITCR', 0xf00, 32, 'rw', 'Integration test control.', [bit('ENABLE', 0, 'Test mode: ITOP drives the interrupt outputs.')]),
  r('ITOP', 0xf04, 32, 'wo', 'Integration test output set (test mode). Reads 0.', [bit('TIMINT1', 0, "Counter 1's interrupt output."), bit('TIMINT2', 1, "Counter 2's interrupt output.")]),
];

const MPS2_SCC: readonly RegisterLayout[] = [
  r('CFG0', 0x00, 32, 'rw', 'Configuration 0 (kept as written).', [bit('REMAP', 0, 'Memory remap.')]),
  r('CFG1', 0x04, 32, 'rw', 'Configuration 1: the SCC LEDs (kept as written).', [f('LEDs', 0, 8, 'LEDs that are lit.', { bitList: { first: 0, what: 'LED' } })]),
  r('CFG3', 0x0c, 32, 'ro', 'Configuration 3: the DIP switches (none set).'),
  r('CFG4', 0x10, 32, 'ro', 'Configuration 4: the board revision (scc-cfg4).', [f('revision', 0, 4, 'Board revision.')]),
  r('CFGDATA_RTN', 0xa0, 32, 'rw', 'The value the last SYS_CFG read returned.'),
  r('CFGDATA_OUT', 0xa4, 32, 'rw', 'The value the next SYS_CFG write sends.'),
  r('CFGCTRL', 0xa8, 32, 'rw', 'SYS_CFG control: writing START runs a read or write of the function and device named.', [
    f('DEVICE', 0, 12, 'Device of the function (oscillator clocks: 0–2).'),
    f('FUNCTION', 20, 6, 'Function.', { values: { 1: 'oscillator clock' } }),
    bit('WRITE', 30, 'Write (else read).', { values: { 0: 'read', 1: 'write' } }),
    bit('START', 31, 'Start the transfer (never reads back).'),
  ]),
  r('CFGSTAT', 0xac, 32, 'rw', 'SYS_CFG status.', [bit('DONE', 0, 'The last transfer completed.'), bit('ERROR', 1, 'The last transfer named no function or device there is.')]),
  r('DLL', 0x100, 32, 'rw', 'DLL lock status (always locked).', [bit('LOCKED', 0, 'All unmasked DLLs locked.'), f('LOCKED_DLLS', 16, 8, 'DLLs locked.', { bitList: { first: 0, what: 'DLL' } }), f('MASK', 24, 8, 'DLLs masked (writable).')]),
  r('AID', 0xff8, 32, 'ro', 'FPGA image and board identification (scc-aid).'),
  r('ID', 0xffc, 32, 'ro', 'SCC identification (scc-id).'),
];

const FPGAIO: readonly RegisterLayout[] = [
  r('LED0', 0x00, 32, 'rw', 'One bit per user LED.', [f('lit', 0, 32, 'LEDs that are lit.', { bitList: { first: 0, what: 'LED' } })]),
  r('BUTTON', 0x08, 32, 'ro', 'The user buttons.', [f('pressed', 0, 2, 'Buttons that are down.', { bitList: { first: 0, what: 'button' } })]),
  r('CLK1HZ', 0x10, 32, 'rw', 'Counts at 1 Hz of virtual time.'),
  r('CLK100HZ', 0x14, 32, 'rw', 'Counts at 100 Hz of virtual time.'),
  r('COUNTER', 0x18, 32, 'rw', 'Increments each time PSCNTR reloads.'),
  r('PRESCALE', 0x1c, 32, 'rw', 'The reload value of PSCNTR.'),
  r('PSCNTR', 0x20, 32, 'ro', 'Counts down at prescale-frequency.'),
  r('MISC', 0x4c, 32, 'rw', 'Miscellaneous control (as written).'),
];

const MAILBOX_SIDE: readonly RegisterLayout[] = [
  r('TX', 0x00, 32, 'wo', "Write: push a word to the other side's receive FIFO (dropped with STATUS.TXOVF when full)."),
  r('RX', 0x04, 32, 'rc', 'Read: pop the oldest received word (0 when empty). The view shows the word a read would return.'),
  r('STATUS', 0x08, 32, 'w1c', 'Status; write 1 to clear TXOVF.', [bit('RXNE', 0, 'A word waits in RX.'), bit('TXFULL', 1, "The other side's FIFO is full."), bit('TXOVF', 2, 'A TX write was dropped.')]),
  r('IRQEN', 0x0c, 32, 'rw', 'Interrupt enables.', [bit('RXNE', 0, 'Interrupt while a word waits.'), bit('TXSPACE', 1, "Interrupt while the other side's FIFO has room.")]),
  r('RXCOUNT', 0x10, 32, 'ro', 'Words waiting in RX.'),
];

const RESET_CONTROLLER: readonly RegisterLayout[] = [
  r('HOLD', 0x00, 32, 'rw', 'Bit n holds reset output holdN asserted.', [f('held', 0, 4, 'Reset outputs held.', { bitList: { first: 0, what: 'hold' } })]),
];

const DEVICE_REGISTERS: Readonly<Record<string, readonly RegisterBlockLayout[]>> = {
  ns16550a: [{ region: 'regs', registers: NS16550A }],
  plic: [{ region: 'regs', registers: PLIC }],
  clint: [{ region: 'regs', registers: CLINT }],
  'sifive-test': [{ region: 'regs', registers: SIFIVE_TEST }],
  gpio: [{ region: 'regs', registers: GPIO }],
  'cmsdk-apb-uart': [{ region: 'regs', registers: CMSDK_UART }],
  'cmsdk-apb-timer': [{ region: 'regs', registers: CMSDK_TIMER }],
  'cmsdk-apb-dualtimer': [{ region: 'regs', registers: CMSDK_DUALTIMER }],
  'mps2-scc': [{ region: 'regs', registers: MPS2_SCC }],
  'mps2-fpgaio': [{ region: 'regs', registers: FPGAIO }],
  mailbox: [
    { region: 'a.regs', registers: MAILBOX_SIDE },
    { region: 'b.regs', registers: MAILBOX_SIDE },
  ],
  'reset-controller': [{ region: 'regs', registers: RESET_CONTROLLER }],
};

/** The register layout of a device type by its region ports, or undefined when the catalog has none for it. */
export function deviceRegisterLayout(type: string): readonly RegisterBlockLayout[] | undefined {
  return DEVICE_REGISTERS[type];
}

/** Device types with a register layout. */
export function typesWithRegisterLayouts(): string[] {
  return Object.keys(DEVICE_REGISTERS);
}

// ----------------------------------------------------------------------------- CPU cores

const PRIV_NAMES = { 0: 'U', 1: 'S', 3: 'M' } as const;
const FS_NAMES = { 0: 'off', 1: 'initial', 2: 'clean', 3: 'dirty' } as const;

/** mcause exception codes (the privileged spec's table 3.6). */
export const RISCV_EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store/AMO address misaligned',
  7: 'store/AMO access fault',
  8: 'environment call from U-mode',
  9: 'environment call from S-mode',
  11: 'environment call from M-mode',
  12: 'instruction page fault',
  13: 'load page fault',
  15: 'store/AMO page fault',
};
/** mcause interrupt codes. */
export const RISCV_INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  1: 'supervisor software interrupt',
  3: 'machine software interrupt',
  5: 'supervisor timer interrupt',
  7: 'machine timer interrupt',
  9: 'supervisor external interrupt',
  11: 'machine external interrupt',
};

const interruptBits = (prefix: 'IE' | 'IP', doc: string): FieldLayout[] => [
  bit(`SS${prefix}`, 1, `Supervisor software interrupt ${doc}.`),
  bit(`MS${prefix}`, 3, `Machine software interrupt ${doc}.`),
  bit(`ST${prefix}`, 5, `Supervisor timer interrupt ${doc}.`),
  bit(`MT${prefix}`, 7, `Machine timer interrupt ${doc}.`),
  bit(`SE${prefix}`, 9, `Supervisor external interrupt ${doc}.`),
  bit(`ME${prefix}`, 11, `Machine external interrupt ${doc}.`),
];

const causeFields = (who: string): FieldLayout[] => [
  f('code', 0, 31, `Exception or interrupt code of the last trap into ${who}.`, { values: {} }),
  bit('interrupt', 31, 'The trap was an interrupt.'),
];

const tvecFields: FieldLayout[] = [f('MODE', 0, 2, 'Vectoring mode.', { values: { 0: 'direct', 1: 'vectored' } }), f('BASE', 2, 30, 'Handler base address (4-byte aligned).', { inPlace: true })];

const RISCV_CSRS: readonly CoreRegisterLayout[] = [
  { name: 'priv', register: 'priv', width: 32, access: 'ro', doc: 'The privilege mode the hart runs in (not a CSR: the debugger’s view).', fields: [f('mode', 0, 2, 'Privilege mode.', { values: PRIV_NAMES })] },
  {
    name: 'mstatus',
    register: 'mstatus',
    width: 32,
    access: 'rw',
    doc: 'Machine status: global interrupt enables, the mode before the last trap, memory privilege.',
    fields: [
      bit('SIE', 1, 'Supervisor interrupts enabled (in S-mode).'),
      bit('MIE', 3, 'Machine interrupts enabled (in M-mode).'),
      bit('SPIE', 5, 'SIE before the last trap into S-mode.'),
      bit('MPIE', 7, 'MIE before the last trap into M-mode.'),
      bit('SPP', 8, 'The mode before the last trap into S-mode.', { values: { 0: 'U', 1: 'S' } }),
      f('MPP', 11, 2, 'The mode before the last trap into M-mode: mret returns there.', { values: PRIV_NAMES }),
      f('FS', 13, 2, 'Floating-point unit state.', { values: FS_NAMES }),
      bit('MPRV', 17, 'Loads and stores use the privilege in MPP.'),
      bit('SUM', 18, 'S-mode may access U-mode pages.'),
      bit('MXR', 19, 'Loads from executable pages allowed.'),
      bit('TVM', 20, 'Trap satp accesses and sfence.vma in S-mode.'),
      bit('TW', 21, 'Trap WFI in lower modes.'),
      bit('TSR', 22, 'Trap sret in S-mode.'),
      bit('SD', 31, 'Some extension state is dirty.'),
    ],
  },
  {
    name: 'misa',
    register: 'misa',
    width: 32,
    access: 'rw',
    doc: 'The ISA: base width and extensions (bit n is letter A + n).',
    fields: [
      bit('A', 0, 'Atomics.'),
      bit('C', 2, 'Compressed instructions.'),
      bit('D', 3, 'Double-precision floating point.'),
      bit('F', 5, 'Single-precision floating point.'),
      bit('I', 8, 'RV32I base.'),
      bit('M', 12, 'Multiply and divide.'),
      bit('S', 18, 'Supervisor mode.'),
      bit('U', 20, 'User mode.'),
      f('MXL', 30, 2, 'Base width.', { values: { 1: '32', 2: '64', 3: '128' } }),
    ],
  },
  { name: 'mie', register: 'mie', width: 32, access: 'rw', doc: 'Machine interrupt enable: which interrupts may be taken.', fields: interruptBits('IE', 'enabled') },
  { name: 'mip', register: 'mip', width: 32, access: 'rw', doc: 'Machine interrupt pending: which interrupt lines are raised.', fields: interruptBits('IP', 'pending') },
  { name: 'mtvec', register: 'mtvec', width: 32, access: 'rw', doc: 'Machine trap vector: where traps into M-mode go.', fields: tvecFields },
  { name: 'mepc', register: 'mepc', width: 32, access: 'rw', doc: 'Machine exception pc: the instruction mret returns to.' },
  { name: 'mcause', register: 'mcause', width: 32, access: 'rw', doc: 'What caused the last trap into M-mode.', fields: causeFields('M-mode') },
  { name: 'mtval', register: 'mtval', width: 32, access: 'rw', doc: 'Machine trap value: the faulting address, or an illegal instruction’s bits.' },
  { name: 'mscratch', register: 'mscratch', width: 32, access: 'rw', doc: 'Scratch register for M-mode trap handlers.' },
  { name: 'medeleg', register: 'medeleg', width: 32, access: 'rw', doc: 'Exceptions delegated to S-mode (bit n: exception code n).', fields: [f('delegated', 0, 16, 'Exception codes delegated.', { bitList: { first: 0, what: 'exception' } })] },
  { name: 'mideleg', register: 'mideleg', width: 32, access: 'rw', doc: 'Interrupts delegated to S-mode.', fields: interruptBits('IE', 'delegated').filter((field) => field.name.startsWith('S')) },
  { name: 'mhartid', register: 'mhartid', width: 32, access: 'ro', doc: 'The hart’s id.' },
  // The counters (Zicntr, Zihpm): 64 bits as a low and a high CSR on RV32.
  { name: 'mcycle', register: 'mcycle', width: 32, access: 'rw', doc: 'Machine cycle counter, low 32 bits (the hart retires one instruction per cycle: it counts as minstret does).' },
  { name: 'mcycleh', register: 'mcycleh', width: 32, access: 'rw', doc: 'Machine cycle counter, high 32 bits.' },
  { name: 'minstret', register: 'minstret', width: 32, access: 'rw', doc: 'Instructions retired, low 32 bits.' },
  { name: 'minstreth', register: 'minstreth', width: 32, access: 'rw', doc: 'Instructions retired, high 32 bits.' },
  { name: 'mcountinhibit', register: 'mcountinhibit', width: 32, access: 'rw', doc: 'Counters that stop counting.', fields: [bit('CY', 0, 'mcycle stops.'), bit('IR', 2, 'minstret stops.'), f('HPM', 3, 29, 'Performance counters that stop.', { bitList: { first: 3, what: 'mhpmcounter' } })] },
  { name: 'mcounteren', register: 'mcounteren', width: 32, access: 'rw', doc: 'Counters that S-mode may read (cycle, time, instret, hpmcounterN); reading one it may not is an illegal instruction.', fields: [bit('CY', 0, 'cycle readable.'), bit('TM', 1, 'time readable.'), bit('IR', 2, 'instret readable.'), f('HPM', 3, 29, 'hpmcounters readable.', { bitList: { first: 3, what: 'hpmcounter' } })] },
  { name: 'time', register: 'time', width: 32, access: 'ro', doc: 'The time counter, low 32 bits: the CLINT’s mtime, as rdtime reads it.' },
  { name: 'timeh', register: 'timeh', width: 32, access: 'ro', doc: 'The time counter, high 32 bits.' },
  { name: 'sstatus', register: 'sstatus', width: 32, access: 'rw', doc: 'Supervisor status: the S-mode view of mstatus.' },
  { name: 'stvec', register: 'stvec', width: 32, access: 'rw', doc: 'Supervisor trap vector.', fields: tvecFields },
  { name: 'sepc', register: 'sepc', width: 32, access: 'rw', doc: 'Supervisor exception pc: the instruction sret returns to.' },
  { name: 'scause', register: 'scause', width: 32, access: 'rw', doc: 'What caused the last trap into S-mode.', fields: causeFields('S-mode') },
  { name: 'stval', register: 'stval', width: 32, access: 'rw', doc: 'Supervisor trap value.' },
  {
    name: 'satp',
    register: 'satp',
    width: 32,
    access: 'rw',
    doc: 'Supervisor address translation: the page table root and the translation mode.',
    fields: [f('PPN', 0, 22, 'Physical page number of the root page table.'), f('ASID', 22, 9, 'Address space id.'), bit('MODE', 31, 'Translation mode.', { values: { 0: 'bare', 1: 'Sv32' } })],
  },
];

/** The exception number of external interrupt 0. */
const ARM_FIRST_IRQ = 16;
const ARM_EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'thread mode',
  1: 'Reset',
  2: 'NMI',
  3: 'HardFault',
  4: 'MemManage',
  5: 'BusFault',
  6: 'UsageFault',
  11: 'SVCall',
  12: 'DebugMonitor',
  14: 'PendSV',
  15: 'SysTick',
};

const CORTEX_M: readonly CoreRegisterLayout[] = [
  {
    name: 'xPSR',
    register: 'xpsr',
    width: 32,
    access: 'rw',
    doc: 'Program status: the condition flags (APSR), the exception being handled (IPSR) and the Thumb and IT state (EPSR).',
    fields: [
      f('ISR', 0, 9, 'IPSR: the exception number being handled (16 + n: external interrupt n).', { values: ARM_EXCEPTION_NAMES, irqFrom: ARM_FIRST_IRQ }),
      f('IT/ICI[7:2]', 10, 6, 'IT block state, high bits.'),
      bit('T', 24, 'Thumb state (always 1; 0 faults).'),
      f('IT/ICI[1:0]', 25, 2, 'IT block state, low bits.'),
      bit('Q', 27, 'Saturation.'),
      bit('V', 28, 'Overflow.'),
      bit('C', 29, 'Carry.'),
      bit('Z', 30, 'Zero.'),
      bit('N', 31, 'Negative.'),
    ],
  },
  {
    name: 'CONTROL',
    register: 'control',
    width: 32,
    access: 'rw',
    doc: 'Privilege and stack in thread mode.',
    fields: [bit('nPRIV', 0, 'Thread mode is unprivileged.'), bit('SPSEL', 1, 'Thread mode uses the process stack (PSP).', { values: { 0: 'MSP', 1: 'PSP' } })],
  },
  { name: 'PRIMASK', register: 'primask', width: 32, access: 'rw', doc: 'Masks every exception of configurable priority.', fields: [bit('PM', 0, 'Interrupts masked (cpsid i).')] },
  { name: 'BASEPRI', register: 'basepri', width: 32, access: 'rw', doc: 'Masks exceptions of this priority and lower (0: none).', fields: [f('BASEPRI', 0, 8, 'Priority mask.')] },
  { name: 'FAULTMASK', register: 'faultmask', width: 32, access: 'rw', doc: 'Masks everything but NMI.', fields: [bit('FM', 0, 'Faults masked (cpsid f).')] },
  {
    name: 'ICSR',
    systemOffset: 0xd04,
    width: 32,
    access: 'rw',
    doc: 'SCB interrupt control and state: the active and the pending exception.',
    fields: [
      f('VECTACTIVE', 0, 9, 'The active exception (0: thread mode).', { values: ARM_EXCEPTION_NAMES, irqFrom: ARM_FIRST_IRQ }),
      bit('RETTOBASE', 11, 'No other exception is active.'),
      f('VECTPENDING', 12, 9, 'The highest-priority pending exception (0: none).', { values: ARM_EXCEPTION_NAMES, irqFrom: ARM_FIRST_IRQ }),
      bit('ISRPENDING', 22, 'An external interrupt is pending.'),
      bit('PENDSTSET', 26, 'SysTick is pending.'),
      bit('PENDSVSET', 28, 'PendSV is pending.'),
      bit('NMIPENDSET', 31, 'NMI is pending.'),
    ],
  },
  { name: 'VTOR', systemOffset: 0xd08, width: 32, access: 'rw', doc: 'SCB vector table offset: where the vector table is.' },
  {
    name: 'SHCSR',
    systemOffset: 0xd24,
    width: 32,
    access: 'rw',
    doc: 'SCB system handler control and state (ARMv7-M).',
    fields: [
      bit('MEMFAULTACT', 0, 'MemManage active.'),
      bit('BUSFAULTACT', 1, 'BusFault active.'),
      bit('USGFAULTACT', 3, 'UsageFault active.'),
      bit('SVCALLACT', 7, 'SVCall active.'),
      bit('SYSTICKACT', 11, 'SysTick active.'),
      bit('PENDSVACT', 10, 'PendSV active.'),
      bit('MEMFAULTENA', 16, 'MemManage enabled.'),
      bit('BUSFAULTENA', 17, 'BusFault enabled.'),
      bit('USGFAULTENA', 18, 'UsageFault enabled.'),
    ],
  },
  {
    name: 'CFSR',
    systemOffset: 0xd28,
    width: 32,
    access: 'w1c',
    doc: 'SCB configurable fault status (ARMv7-M): why the last MemManage, BusFault or UsageFault happened; write 1 to clear.',
    fields: [
      bit('IACCVIOL', 0, 'MemManage: instruction access violation.'),
      bit('DACCVIOL', 1, 'MemManage: data access violation.'),
      bit('MUNSTKERR', 3, 'MemManage on unstacking.'),
      bit('MSTKERR', 4, 'MemManage on stacking.'),
      bit('MMARVALID', 7, 'MMFAR holds the address.'),
      bit('IBUSERR', 8, 'BusFault on an instruction fetch.'),
      bit('PRECISERR', 9, 'Precise data BusFault.'),
      bit('IMPRECISERR', 10, 'Imprecise data BusFault.'),
      bit('UNSTKERR', 11, 'BusFault on unstacking.'),
      bit('STKERR', 12, 'BusFault on stacking.'),
      bit('BFARVALID', 15, 'BFAR holds the address.'),
      bit('UNDEFINSTR', 16, 'UsageFault: undefined instruction.'),
      bit('INVSTATE', 17, 'UsageFault: invalid state (EPSR.T clear).'),
      bit('INVPC', 18, 'UsageFault: invalid EXC_RETURN.'),
      bit('NOCP', 19, 'UsageFault: no coprocessor.'),
      bit('UNALIGNED', 24, 'UsageFault: unaligned access.'),
      bit('DIVBYZERO', 25, 'UsageFault: division by zero.'),
    ],
  },
  { name: 'HFSR', systemOffset: 0xd2c, width: 32, access: 'w1c', doc: 'SCB HardFault status.', fields: [bit('VECTTBL', 1, 'A vector table read faulted.'), bit('FORCED', 30, 'A configurable fault escalated to HardFault.'), bit('DEBUGEVT', 31, 'Debug event.')] },
  { name: 'MMFAR', systemOffset: 0xd34, width: 32, access: 'rw', doc: 'SCB MemManage fault address (valid with CFSR.MMARVALID).' },
  { name: 'BFAR', systemOffset: 0xd38, width: 32, access: 'rw', doc: 'SCB BusFault address (valid with CFSR.BFARVALID).' },
  {
    name: 'SYST_CSR',
    systemOffset: 0x010,
    width: 32,
    access: 'rc',
    doc: 'SysTick control and status (reading clears COUNTFLAG; the view does not).',
    fields: [bit('ENABLE', 0, 'Counting.'), bit('TICKINT', 1, 'SysTick exception when the count reaches 0.'), bit('CLKSOURCE', 2, 'Counts at the core clock (else the reference clock).', { values: { 0: 'reference', 1: 'core' } }), bit('COUNTFLAG', 16, 'The count reached 0 since the last read.')],
  },
  { name: 'SYST_RVR', systemOffset: 0x014, width: 32, access: 'rw', doc: 'SysTick reload value.', fields: [f('RELOAD', 0, 24, 'Reload value.')] },
  { name: 'SYST_CVR', systemOffset: 0x018, width: 32, access: 'rw', doc: 'SysTick current value.', fields: [f('CURRENT', 0, 24, 'The count.')] },
];

const CORE_REGISTERS: Readonly<Record<string, readonly CoreRegisterLayout[]>> = { 'RISC-V': RISCV_CSRS, ARM: CORTEX_M };

/** The control registers the page decodes for a core of `architecture` (CpuArchitecture.name: "RISC-V", "ARM"). */
export function coreRegisterLayout(architecture: string): readonly CoreRegisterLayout[] | undefined {
  return CORE_REGISTERS[architecture];
}

// ------------------------------------------------------------------------------- decoding

/** A register of one object, with its repetition resolved: what the view shows one row for. */
export interface RegisterInstance {
  /** "priority[10]", "enable[0][1]", "LSR". */
  readonly name: string;
  readonly region: string;
  readonly offset: number;
  readonly layout: RegisterLayout;
  /** The repetition indices (numbers as `first` says), outer first. */
  readonly indices: readonly number[];
}

/** A repeat count for an object's property values. */
export function repeatCount(count: RepeatCount, props: Readonly<Record<string, unknown>>): number {
  if (typeof count === 'number') return count;
  const value = props[count.prop];
  if (typeof value !== 'number') return 0;
  const scaled = (value + (count.plus ?? 0)) * (count.times ?? 1);
  return Math.max(0, Math.ceil(scaled / (count.divideBy ?? 1)));
}

/** Most repetitions of one register the view lists (a 1024-source PLIC's priorities are many). */
export const MAX_REPETITIONS = 1024;

/** Every register of a block for an object with `props`, repetitions expanded (in offset order within each register). */
export function registerInstances(block: RegisterBlockLayout, props: Readonly<Record<string, unknown>>): RegisterInstance[] {
  const out: RegisterInstance[] = [];
  for (const layout of block.registers) {
    const repeats = layout.repeat ?? [];
    const expand = (level: number, offset: number, indices: number[]): void => {
      if (level === repeats.length) {
        const name = layout.name + indices.map((i) => `[${i}]`).join('');
        out.push({ name, region: block.region, offset, layout, indices });
        return;
      }
      const spec = repeats[level];
      const count = Math.min(repeatCount(spec.count, props), MAX_REPETITIONS);
      for (let k = 0; k < count; k++) expand(level + 1, offset + k * spec.stride, [...indices, (spec.first ?? 0) + k]);
    };
    expand(0, layout.offset, []);
  }
  return out;
}

/** A field's value in a register value, and what it means. */
export interface DecodedField {
  readonly name: string;
  /** The field's bits as a number (for a 64-bit register's field, of its low 53 bits). */
  readonly value: number;
  /** "MPP = M", "DR = 1", "pending: sources 10, 11", "code = 7 (machine timer interrupt)". */
  readonly text: string;
  readonly doc: string;
  readonly lsb: number;
  readonly width: number;
}

function fieldBits(value: bigint, lsb: number, width: number): number {
  return Number((value >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n));
}

/** The fields of `layout` in `value` (a bigint for 64-bit registers), with value names and bit lists. `element`: the index of the last repetition (bit lists number from it). */
export function decodeFields(fields: readonly FieldLayout[], value: number | bigint, element = 0, causeNames?: { interrupt: boolean }): DecodedField[] {
  const bits = typeof value === 'bigint' ? value : BigInt(value >>> 0);
  return fields.map((field) => {
    const v = fieldBits(bits, field.lsb, field.width);
    let text: string;
    if (field.bitList !== undefined) {
      const set: number[] = [];
      for (let b = 0; b < field.width; b++) if (((v >>> b) & 1) !== 0) set.push(field.bitList.first + element * field.width + b);
      text = set.length === 0 ? `${field.name}: none` : `${field.name}: ${field.bitList.what}${set.length > 1 ? 's' : ''} ${set.join(', ')}`;
    } else if (field.inPlace === true) {
      text = `${field.name} = 0x${(v * 2 ** field.lsb).toString(16)}`;
    } else {
      let name = field.irqFrom !== undefined && v >= field.irqFrom ? `IRQ ${v - field.irqFrom}` : field.values?.[v];
      if (causeNames !== undefined && field.name === 'code') name = (causeNames.interrupt ? RISCV_INTERRUPT_NAMES : RISCV_EXCEPTION_NAMES)[v];
      text = name === undefined ? `${field.name} = ${field.width > 4 ? `0x${v.toString(16)}` : v}` : `${field.name} = ${v > 9 ? `0x${v.toString(16)}` : v} (${name})`;
      if (field.values !== undefined && field.width === 1 && name !== undefined) text = `${field.name} = ${name}`;
    }
    return { name: field.name, value: v, text, doc: field.doc, lsb: field.lsb, width: field.width };
  });
}

/** Decode a core register's value: mcause and scause name their code as an exception or interrupt. */
export function decodeCoreRegister(layout: CoreRegisterLayout, value: number): DecodedField[] {
  if (layout.fields === undefined) return [];
  const isCause = layout.name === 'mcause' || layout.name === 'scause';
  return decodeFields(layout.fields, value, 0, isCause ? { interrupt: (value & 0x8000_0000) !== 0 } : undefined);
}
