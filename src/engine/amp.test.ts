// Heterogeneous boards (issue #14): a RISC-V hart and a Cortex-M3 on one board, each in its own
// view of memory, at its own clock in one virtual time, released from reset by the other, talking
// through a mailbox and shared RAM.
import { describe, expect, it } from 'vitest';
import { resolveBoard, type BoardDocument, type PropertyValueDocument, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import * as T from './cpu/arm/asm.ts';
import { Machine, type MachineSnapshot } from './machine.ts';
import { IRQEN_RXNE, MAILBOX_IRQEN, MAILBOX_RX, MAILBOX_TX } from './devices/mailbox.ts';
import { PLIC_CLAIM_COMPLETE, PLIC_CONTEXT, PLIC_ENABLE, PLIC_PRIORITY } from './devices/plic.ts';
import { RESET_CONTROLLER_HOLD } from './devices/reset-controller.ts';

const { zero, t0, t1, t2, a1 } = A.Reg;
const CSR = { mtvec: 0x305, mie: 0x304, mstatus: 0x300 };
const MIE_MEIE = 0x800;
const MSTATUS_MIE = 8;

// The hart's view
const HART_RAM = 0x8000_0000;
const HART_RESULT = HART_RAM + 0x800;
const HART_HANDLER = HART_RAM + 0x200;
const HART_SHARED = 0x9000_0000;
const HART_MAILBOX = 0x1100_0000;
const HART_RSTCTL = 0x1100_1000;
const HART_PLIC = 0x0c00_0000;
const FINISHER = 0x10_0000;
const MAILBOX_PLIC_SOURCE = 11;
// The M3's view
const M3_SHARED = 0x3800_0000;
const M3_MAILBOX = 0x4001_0000;
const M3_STACK_TOP = 0x1_0000;
const M3_CODE = 0x100;
const NVIC_ISER0 = 0xe000_e100;
const EXC_IRQ0 = 16;

function resolved(document: BoardDocument): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/**
 * A hart (100 MHz) and a Cortex-M3 (25 MHz), each with its own RAM and address space, 64 KiB of
 * RAM both see (0x90000000 on the hart, 0x38000000 on the M3), a mailbox (side a on the hart's
 * PLIC source 11, side b on the M3's IRQ 0) and a reset controller whose hold0 holds the M3.
 */
function ampBoard(options: { hartHz?: number; m3Hz?: number; holdM3?: boolean } = {}): BoardDocument {
  const hart: Record<string, PropertyValueDocument> = { 'address-space': 'hart', 'reset-vector': '0x80000000' };
  const m3: Record<string, PropertyValueDocument> = { 'address-space': 'm3' };
  if (options.hartHz !== undefined) hart['clock-frequency'] = options.hartHz;
  if (options.m3Hz !== undefined) m3['clock-frequency'] = options.m3Hz;
  return {
    boardlab: 1,
    name: 'amp',
    objects: {
      hart: { type: 'rv32', props: hart },
      m3: { type: 'cortex-m3', props: m3 },
      ram: { type: 'ram', props: { size: '64K' } },
      code: { type: 'ram', props: { size: '64K' } },
      shared: { type: 'ram', props: { size: '64K' } },
      plic: { type: 'plic' },
      mbox: { type: 'mailbox' },
      rstctl: { type: 'reset-controller', props: { 'hold-at-reset': options.holdM3 === true ? 1 : 0 } },
      test: { type: 'sifive-test' },
    },
    memory: [
      { map: 'ram.mem', at: '0x80000000', space: 'hart' },
      { map: 'shared.mem', at: '0x90000000', space: 'hart' },
      { map: 'mbox.a.regs', at: '0x11000000', space: 'hart' },
      { map: 'rstctl.regs', at: '0x11001000', space: 'hart' },
      { map: 'plic.regs', at: '0x0c000000', space: 'hart' },
      { map: 'test.regs', at: '0x100000', space: 'hart' },
      { map: 'code.mem', at: '0x0', space: 'm3' },
      { alias: 'shared.mem', at: '0x38000000', space: 'm3' },
      { map: 'mbox.b.regs', at: '0x40010000', space: 'm3' },
    ],
    irqs: [
      { from: 'mbox.a.irq', to: `plic.in[${MAILBOX_PLIC_SOURCE}]` },
      { from: 'plic.meip[0]', to: 'hart.meip' },
      { from: 'mbox.b.irq', to: 'm3.irq[0]' },
    ],
    resets: [{ from: 'rstctl.hold0', to: 'm3' }],
    images: [
      { cpu: 'hart', file: 'hart.bin', format: 'binary', at: '0x80000000' },
      { cpu: 'm3', file: 'm3.bin', format: 'binary', at: '0x0' },
    ],
  };
}

function bytesOf(words: number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return bytes;
}

/** The hart's program: `main` at the start of its RAM, `handler` (mtvec) at HART_HANDLER. */
function hartImage(main: number[], handler: number[] = []): Uint8Array {
  const words = [...main];
  if (words.length * 4 > HART_HANDLER - HART_RAM) throw new Error('main is too long');
  while (words.length * 4 < HART_HANDLER - HART_RAM) words.push(A.addi(0, 0, 0));
  return bytesOf([...words, ...handler]);
}

/** The M3's image: a vector table at 0 (SP, reset → `start`, IRQ 0 → `irq0` when the program has it) and the program at M3_CODE. */
function m3Image(program: T.Program): Uint8Array {
  const code = program.bytes();
  const bytes = new Uint8Array(M3_CODE + code.length);
  bytes.set(code, M3_CODE);
  const table = new DataView(bytes.buffer);
  table.setUint32(0, M3_STACK_TOP, true);
  let irq0: number | undefined;
  try {
    irq0 = program.address('irq0');
  } catch {
    irq0 = undefined;
  }
  for (let e = 1; e < EXC_IRQ0 + 1; e++) table.setUint32(4 * e, ((e === EXC_IRQ0 && irq0 !== undefined ? irq0 : program.address(e === 1 ? 'start' : 'spin')) | 1) >>> 0, true);
  return bytes;
}

/** M3 program: count up in r4 for ever. */
function m3Counter(): T.Program {
  const p = new T.Program(M3_CODE);
  p.label('start').i(T.movs(4, 0));
  p.label('loop').i(T.addsImm8(4, 1)).b('loop');
  p.label('spin').b('spin');
  return p;
}

/** Hart program: count up in t1 for ever. */
const hartCounter = [A.addi(t1, t1, 1), A.jal(0, -4)];

function build(document: BoardDocument, hart: Uint8Array, m3: Uint8Array): Machine {
  return Machine.build(resolved(document), new Map([['hart.bin', hart], ['m3.bin', m3]]));
}

/** Every register of every CPU, as the debug contract reads them. */
function registers(machine: Machine): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const path of machine.cpuPaths) {
    const cpu = machine.cpu(path)!;
    out[path] = cpu.debug.registers.map((_, i) => cpu.debug.readRegister(i) ?? -1);
  }
  return out;
}

/** Run whole rounds for `ns` of virtual time (a run stops at the first round boundary at or after its time limit). */
function runFor(machine: Machine, ns: number): void {
  machine.run(Number.MAX_SAFE_INTEGER, machine.clock.now() + ns);
}

function instret(machine: Machine): Record<string, number> {
  return Object.fromEntries(machine.cpuPaths.map((path) => [path, machine.cpu(path)!.instret]));
}

describe('a board with a RISC-V hart and a Cortex-M3', () => {
  it('builds: each CPU sees its own view, and the shared RAM at a different address in each', () => {
    const machine = build(ampBoard(), hartImage(hartCounter), m3Image(m3Counter()));
    expect(machine.cpuPaths).toEqual(['/machine/hart', '/machine/m3']);
    expect(machine.cpu('/machine/hart')!.target).toBe('riscv32');
    expect(machine.cpu('/machine/m3')!.target).toBe('arm');
    machine.space('hart').store(HART_SHARED + 8, 0x1234_5678, 4);
    expect(machine.space('m3').load(M3_SHARED + 8, 4) >>> 0).toBe(0x1234_5678);
    expect(() => machine.space('m3').load(HART_SHARED, 4)).toThrow(); // not in the M3's view
    expect(machine.space('hart').tryLoad(M3_MAILBOX, 4)).toBeLessThan(0); // nor the M3's mailbox side in the hart's
  });

  it('interleaves the CPUs by their clocks: a 100 MHz hart retires 4 instructions per instruction of a 25 MHz M3', () => {
    const machine = build(ampBoard(), hartImage(hartCounter), m3Image(m3Counter()));
    machine.run(100_000);
    expect(instret(machine)).toEqual({ '/machine/hart': 80_000, '/machine/m3': 20_000 });
    expect(machine.clock.now()).toBe(800_000); // 80 000 × 10 ns = 20 000 × 40 ns
  });

  it('a clock whose period does not divide the rounds carries the rest: a 7.777777 MHz M3 beside a 100 MHz hart keeps its share', () => {
    const hz = 7_777_777;
    const machine = build(ampBoard({ m3Hz: hz }), hartImage(hartCounter), m3Image(m3Counter()));
    for (let round = 1; round <= 40; round++) {
      machine.run(Number.MAX_SAFE_INTEGER, round * 100_000); // stops at the first round boundary at or after the time limit
      const now = machine.clock.now();
      expect(now).toBe(round * 100_000);
      const { '/machine/hart': hart, '/machine/m3': m3 } = instret(machine);
      expect(hart).toBe(now / 10);
      expect(m3).toBe(Math.floor((now * hz) / 1e9 + 1e-6)); // every whole M3 cycle that fits, none lost to rounding
    }
  });

  it('runs the same, instruction for instruction, however the host slices the run', () => {
    const slices = Array.from({ length: 400 }, (_, i) => (i % 7) * 97 + 1 + (i % 3) * 1500);
    const sliced = (budgets: number[]) => {
      const machine = build(ampBoard({ m3Hz: 7_777_777 }), hartImage(hartCounter), m3Image(m3Counter()));
      for (const budget of budgets) machine.run(budget);
      return machine;
    };
    const whole = sliced([slices.reduce((a, b) => a + b)]);
    const bits = sliced(slices);
    expect(bits.clock.now()).toBe(whole.clock.now());
    expect(instret(bits)).toEqual(instret(whole));
    expect(registers(bits)).toEqual(registers(whole));
  });

  it('stepCpu steps one CPU by one instruction while the other runs its turns of the rounds in between', () => {
    const machine = build(ampBoard(), hartImage(hartCounter), m3Image(m3Counter()));
    const hart = machine.cpu('/machine/hart')!;
    const m3 = machine.cpu('/machine/m3')!;
    for (let i = 1; i <= 3; i++) {
      machine.stepCpu('/machine/m3');
      expect(m3.instret).toBe(i);
    }
    expect(hart.instret).toBe(10_000); // the hart's turn of the first round came first
    machine.stepCpu('/machine/hart');
    expect(hart.instret).toBe(10_001);
    expect(m3.instret).toBe(2_500); // the M3 ran the rest of its turn first
    // a free run from here keeps the rounds: the same as a machine that never stepped
    const free = build(ampBoard(), hartImage(hartCounter), m3Image(m3Counter()));
    machine.run(100_000 - 12_501);
    free.run(100_000);
    expect(instret(machine)).toEqual(instret(free));
    expect(registers(machine)).toEqual(registers(free));
  });

  it('refuses to build when the two CPUs\' images overlap in the RAM they share, as validation does', () => {
    const document = ampBoard();
    document.images = [
      { cpu: 'hart', file: 'hart.bin', format: 'binary', at: '0x90000000' },
      { cpu: 'm3', file: 'm3.bin', format: 'binary', at: '0x38000000' },
    ];
    expect(() => build(document, hartImage(hartCounter), m3Image(m3Counter()))).toThrow(/image m3\.bin \(CPU m3\) loads \[0x38000000–0x38000[0-9a-f]+\] and image hart\.bin \(CPU hart\) loads \[0x90000000–0x9000[0-9a-f]+\]: both into shared\.mem at offsets 0x0–0x[0-9a-f]+, memory both CPUs see/);
  });

  it('holds the M3 in reset until the hart releases it through the reset controller, which resets it as memory is then', () => {
    const machine = build(ampBoard({ holdM3: true }), hartImage(hartCounter), m3Image(m3Counter()));
    runFor(machine, 500_000);
    const m3 = machine.cpu('/machine/m3')!;
    expect(m3.instret).toBe(0);
    expect(machine.hartReports().find((r) => r.path === '/machine/m3')?.status).toBe('in-reset');
    expect(machine.space('hart').load(HART_RSTCTL + RESET_CONTROLLER_HOLD, 4)).toBe(1);
    // Point the M3's reset vector elsewhere while it is held: it starts there when released.
    const program = m3Counter();
    const elsewhere = program.address('loop');
    machine.space('m3').store(4, elsewhere | 1, 4);
    machine.space('hart').store(HART_RSTCTL + RESET_CONTROLLER_HOLD, 0, 4);
    expect(m3.pc).toBe(elsewhere);
    runFor(machine, 100_000);
    expect(m3.instret).toBeGreaterThan(0);
    expect(machine.hartReports().find((r) => r.path === '/machine/m3')?.status).toBe('running');
    // holding it again stops it
    machine.space('hart').store(HART_RSTCTL + RESET_CONTROLLER_HOLD, 1, 4);
    const stopped = m3.instret;
    runFor(machine, 100_000);
    expect(m3.instret).toBe(stopped);
    // a board reset holds it again (hold-at-reset)
    machine.space('hart').store(HART_RSTCTL + RESET_CONTROLLER_HOLD, 0, 4);
    machine.reset();
    runFor(machine, 100_000);
    expect(m3.instret).toBe(0);
  });

  it('reset-controller.hold-at-reset: the CPU wired to a set bit waits in reset after a board reset; with the bit clear it runs', () => {
    const ran = (holdM3: boolean) => {
      const machine = build(ampBoard({ holdM3 }), hartImage(hartCounter), m3Image(m3Counter()));
      runFor(machine, 100_000);
      return machine.cpu('/machine/m3')!.instret;
    };
    expect(ran(true)).toBe(0);
    expect(ran(false)).toBe(2_500); // 100 µs at 25 MHz
  });

  /**
   * The hart puts an operand in shared RAM, sends a command word through the mailbox and
   * releases the M3; the M3's mailbox interrupt reads the command and the operand, writes operand
   * × 2 + command back to shared RAM and sends it; the hart's mailbox interrupt (through the PLIC)
   * receives it, and the hart ends the run through the finisher.
   */
  function exchange(): Machine {
    const hartMain = [
      ...A.li(t0, HART_HANDLER), A.csrw(CSR.mtvec, t0),
      ...A.li(t0, HART_PLIC + PLIC_PRIORITY + 4 * MAILBOX_PLIC_SOURCE), ...A.li(t1, 1), A.sw(t1, t0, 0),
      ...A.li(t0, HART_PLIC + PLIC_ENABLE), ...A.li(t1, 1 << MAILBOX_PLIC_SOURCE), A.sw(t1, t0, 0),
      ...A.li(t0, HART_MAILBOX), ...A.li(t1, IRQEN_RXNE), A.sw(t1, t0, MAILBOX_IRQEN),
      ...A.li(t0, HART_SHARED), ...A.li(t1, 21), A.sw(t1, t0, 0),
      ...A.li(t0, HART_MAILBOX), ...A.li(t1, 0x100), A.sw(t1, t0, MAILBOX_TX),
      ...A.li(t0, MIE_MEIE), A.csrw(CSR.mie, t0), A.csrrsi(0, CSR.mstatus, MSTATUS_MIE),
      ...A.li(t0, HART_RSTCTL), A.sw(zero, t0, RESET_CONTROLLER_HOLD),
      // wait: wfi until the handler leaves the answer in a1
      A.wfi(), A.beq(a1, zero, -4),
      ...A.li(t0, HART_RESULT), A.sw(a1, t0, 0),
      ...A.li(t0, FINISHER), ...A.li(t1, 0x5555), A.sw(t1, t0, 0), A.jal(0, 0),
    ];
    const hartHandler = [
      ...A.li(t0, HART_PLIC + PLIC_CONTEXT + PLIC_CLAIM_COMPLETE), A.lw(t2, t0, 0),
      ...A.li(t1, HART_MAILBOX), A.lw(a1, t1, MAILBOX_RX),
      A.sw(t2, t0, 0), A.mret(),
    ];
    const p = new T.Program(M3_CODE);
    p.label('start').i(T.li(0, M3_MAILBOX), T.movs(1, IRQEN_RXNE), T.strImm(1, 0, MAILBOX_IRQEN), T.li(0, NVIC_ISER0), T.movs(1, 1), T.strImm(1, 0, 0));
    p.label('idle').i(T.wfi()).b('idle');
    p.label('irq0').i(
      T.li(0, M3_MAILBOX), T.ldrImm(1, 0, MAILBOX_RX), // the command
      T.li(2, M3_SHARED), T.ldrImm(3, 2, 0), // the operand
      T.lslsImm(3, 3, 1), T.addsReg(3, 3, 1),
      T.strImm(3, 2, 4), T.strImm(3, 0, MAILBOX_TX),
      T.bx(14),
    );
    p.label('spin').b('spin');
    const machine = build(ampBoard({ holdM3: true }), hartImage(hartMain, hartHandler), m3Image(p));
    for (let i = 0; i < 100 && !machine.halted; i++) machine.run(10_000);
    return machine;
  }

  it('exchange a word through the mailbox, with interrupts on both sides, and shared RAM', () => {
    const machine = exchange();
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(machine.space('hart').load(HART_RESULT, 4)).toBe(21 * 2 + 0x100);
    expect(machine.space('hart').load(HART_SHARED + 4, 4)).toBe(21 * 2 + 0x100);
    expect(machine.space('m3').load(M3_SHARED + 4, 4)).toBe(21 * 2 + 0x100);
  });

  it('the exchange is the same run every time: same instruction counts, registers and virtual time', () => {
    const one = exchange();
    const two = exchange();
    expect(one.clock.now()).toBe(two.clock.now());
    expect(instret(one)).toEqual(instret(two));
    expect(registers(one)).toEqual(registers(two));
    expect(instret(one)['/machine/m3']).toBeGreaterThan(5);
  });

  it('a snapshot taken mid-round restores into a machine that continues exactly as the original', () => {
    const original = build(ampBoard({ m3Hz: 33_000_000 }), hartImage(hartCounter), m3Image(m3Counter()));
    original.run(12_345); // stops inside a round
    const snapshot: MachineSnapshot = original.snapshot();
    const copy = build(ampBoard({ m3Hz: 33_000_000 }), hartImage(hartCounter), m3Image(m3Counter()));
    copy.restore(structuredClone(snapshot));
    original.run(100_000);
    copy.run(100_000);
    expect(instret(copy)).toEqual(instret(original));
    expect(registers(copy)).toEqual(registers(original));
    expect(copy.clock.now()).toBe(original.clock.now());
  });
});
