// Random Thumb-2 (ARMv7-M) programs for the property test of the Thumb compiling tier (#16 points 2
// and 5): a seed gives one program, the same on every machine, as assembler source (src/asm) for
// the test core of ./thumb-cores.ts. Main runs forever (it branches back to its start) and mixes what
// the translator compiles with what it leaves to the interpreter:
//   - data processing with and without flags (immediates, shifted and register-shifted registers),
//     multiplies, divides with edge values (a zero divisor with and without CCR.DIV_0_TRP), bit fields;
//   - loads and stores of every size and addressing mode to SRAM (aligned and unaligned, LDRD/STRD,
//     LDM/STM, LDREX/STREX), to the test device (MMIO) and to nothing (BusFaults the handler skips);
//   - forward branches (B<cond>.W, CBZ/CBNZ), bounded loops, calls to the functions' page (BL, BLX),
//     IT blocks, PUSH/POP, MRS/MSR of the special registers, CPSID/CPSIE, SVC, WFI (with SysTick on);
//   - self-modifying code (a MOVS's immediate rewritten here or at a function's first instruction);
//   - exceptions: IRQ 0 raised by the program through the device (and by the harness), SysTick
//     counting in virtual time (some seeds), UsageFaults (divide by zero, unaligned with
//     CCR.UNALIGN_TRP, LDRD unaligned, UDF), BusFaults; handlers return through EXC_RETURN by BX LR
//     and by POP {PC}; thread mode on the MSP or the PSP.
//
// Layout (flash at 0): the vector table and setup, main from MAIN_PAGE + a random offset across the
// next page boundary, the functions on their own page, then the handlers; SRAM holds the data
// buffer (r9), the handlers' counters and the stacks.
//
// Registers: DATA (r0-r8) hold random values; r9 the buffer; r10 the loop counter; r11 and r12
// are scratch (addresses and values a statement builds); lr links calls.
import { DEVICE, NOTHING, SRAM } from './thumb-cores.ts';
import { Random } from './random.ts';

/** Where things are in SRAM. */
export const THUMB_LAYOUT = {
  buffer: SRAM + 0x1000,
  bufferSize: 0x400,
  /** Counters the handlers keep: faults skipped, SVCs, IRQs, SysTicks. */
  counters: SRAM + 0xf000,
  /** The process stack's top (seeds that run thread mode on the PSP). */
  processStack: SRAM + 0xe000,
  /** Main starts on this page (plus a random offset) and crosses into the next. */
  mainPage: 0x1000,
} as const;

const DATA = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
const LOW = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
const INVERSE: Record<string, string> = { eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs', hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt' };
const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];
const EDGE_VALUES = [0, 1, 0xffff_ffff, 0x7fff_ffff, 0x8000_0000, 0xff, 0x8000, 31, 32];
const SCS_CCR = 0xe000_ed14;
const SCS_SHCSR = 0xe000_ed24;
const SCS_SHPR3 = 0xe000_ed20;
const NVIC_ISER0 = 0xe000_e100;
const NVIC_IPR0 = 0xe000_e400;
const SYST_CSR = 0xe000_e010;
const CCR_UNALIGN_TRP = 1 << 3;
const CCR_DIV_0_TRP = 1 << 4;
/** Self-modifying statements in one program at most. */
const MAX_PATCHES = 2;
/** MemManage, BusFault and UsageFault enabled (else they escalate to HardFault, which the same handler serves). */
const SHCSR_FAULTS_ENABLED = 0x7 << 16;

export interface ThumbProgramOptions {
  /** Statements to leave out (shrinking a failing program); every other statement stays what it was. */
  drop?: ReadonlySet<number>;
}

export interface GeneratedThumbProgram {
  seed: number;
  /** The assembler source (its code starts at `start`, as bootThumb wants). */
  source: string;
  /** Statements the generator made (numbered in order; `drop` names them). */
  statements: number;
  dropped: ReadonlySet<number>;
  /** What this seed switched on, for messages: "DIV_0_TRP, SysTick every 523 cycles, PSP". */
  features: string;
}

/** One program per seed; `drop` leaves statements out while the others stay what they were. */
export function generateThumbProgram(seed: number, options: ThumbProgramOptions = {}): GeneratedThumbProgram {
  const drop = options.drop ?? new Set<number>();
  const g = new ThumbGenerator(new Random(seed), drop);
  const source = g.build();
  return { seed, source, statements: g.statementCount, dropped: drop, features: g.features.join(', ') || 'no optional features' };
}

type Lines = string[];

class ThumbGenerator {
  statementCount = 0;
  readonly features: string[] = [];
  private labels = 0;
  private inLoop = false;
  /** Self-modifying statements made so far. */
  private patches = 0;
  private readonly functionCount: number;
  private readonly divideTraps: boolean;
  private readonly unalignedTraps: boolean;
  /** SysTick's reload value (cycles between interrupts minus 1), 0 when off. */
  private readonly sysTickReload: number;
  private readonly processStack: boolean;
  private readonly selfModifying: boolean;
  /** Each function's first instruction: a MOVS that self-modifying statements rewrite. */
  private readonly functionSlots: string[] = [];

  constructor(
    private readonly rnd: Random,
    private readonly drop: ReadonlySet<number>,
  ) {
    this.functionCount = rnd.int(2, 4);
    this.divideTraps = rnd.chance(0.5);
    this.unalignedTraps = rnd.chance(0.25);
    this.sysTickReload = rnd.chance(0.6) ? rnd.int(40, 2500) : 0;
    this.processStack = rnd.chance(0.3);
    this.selfModifying = rnd.chance(0.3);
    for (let i = 0; i < this.functionCount; i++) this.functionSlots.push(`movs ${this.low()}, #${rnd.int(0, 255)}`);
    if (this.divideTraps) this.features.push('CCR.DIV_0_TRP');
    if (this.unalignedTraps) this.features.push('CCR.UNALIGN_TRP');
    if (this.sysTickReload !== 0) this.features.push(`SysTick every ${this.sysTickReload + 1} cycles`);
    if (this.processStack) this.features.push('thread mode on the PSP');
    if (this.selfModifying) this.features.push('self-modifying');
  }

  build(): string {
    const { rnd } = this;
    const out: Lines = [];
    out.push('  .thumb_func', 'start:', ...this.setup(), '  b.w main', '  .ltorg');
    // main: from a random offset of mainPage across the next page boundary
    out.push(`  .balign 0x1000`, `  .space 0x${(0xf00 + 4 * rnd.int(0, 0x30)).toString(16)}`);
    out.push('  .thumb_func', 'main:');
    const chunks = rnd.int(6, 10);
    for (let c = 0; c < chunks; c++) {
      out.push(...this.statements(rnd.int(4, 10), true));
      // a literal pool within reach of every chunk's `ldr rX, =value`
      const over = this.label('pool');
      out.push(`  b.w ${over}`, '  .ltorg', `${over}:`);
    }
    out.push('  b.w main');
    out.push('  .balign 0x1000');
    for (let f = 0; f < this.functionCount; f++) out.push(...this.func(f));
    out.push(...this.handlers());
    return `${out.join('\n')}\n`;
  }

  private setup(): Lines {
    const { rnd } = this;
    const lines: Lines = [];
    const word = (reg: string, value: number) => lines.push(`  ldr ${reg}, =0x${(value >>> 0).toString(16)}`);
    word('r11', SCS_CCR);
    lines.push('  ldr r12, [r11]');
    lines.push(`  orr r12, r12, #0x${((this.divideTraps ? CCR_DIV_0_TRP : 0) | (this.unalignedTraps ? CCR_UNALIGN_TRP : 0)).toString(16)}`);
    lines.push('  str r12, [r11]');
    if (rnd.chance(0.7)) {
      word('r11', SCS_SHCSR);
      word('r12', SHCSR_FAULTS_ENABLED);
      lines.push('  str r12, [r11]');
    }
    // IRQ 0 and SysTick at priorities BASEPRI writes can mask (3 priority bits: 0x20 steps)
    word('r11', NVIC_IPR0);
    lines.push(`  movs r12, #0x${(rnd.int(1, 6) << 5).toString(16)}`, '  strb r12, [r11]');
    word('r11', SCS_SHPR3);
    word('r12', (rnd.int(1, 6) << 5) << 24);
    lines.push('  str r12, [r11]');
    word('r11', NVIC_ISER0);
    lines.push('  movs r12, #1', '  str r12, [r11]');
    if (this.sysTickReload !== 0) {
      word('r11', SYST_CSR);
      word('r12', this.sysTickReload);
      lines.push('  str r12, [r11, #4]', '  movs r12, #0', '  str r12, [r11, #8]', '  movs r12, #7', '  str r12, [r11]');
    }
    if (this.processStack) {
      word('r11', THUMB_LAYOUT.processStack);
      lines.push('  msr psp, r11', '  movs r12, #2', '  msr control, r12', '  isb');
    }
    for (const r of DATA) word(r, this.value());
    word('r9', THUMB_LAYOUT.buffer);
    lines.push('  movs r10, #0', '  cpsie i');
    return lines.map((l) => (l.startsWith('  ') ? l : `  ${l}`));
  }

  /** Faults: skip the faulting instruction (2 or 4 bytes, from its first halfword) and count. */
  private handlers(): Lines {
    const c = THUMB_LAYOUT.counters;
    const count = (offset: number) => [`  ldr r1, =0x${(c + offset).toString(16)}`, '  ldr r2, [r1]', '  adds r2, #1', '  str r2, [r1]'];
    return [
      '  .thumb_func',
      'fault_handler:',
      '  tst lr, #4',
      '  ite eq',
      '  mrseq r3, msp',
      '  mrsne r3, psp',
      '  ldr r0, [r3, #24]',
      '  ldrh r1, [r0]',
      '  lsrs r1, r1, #11',
      '  cmp r1, #0x1d',
      '  blo 1f',
      '  adds r0, #2',
      '1:',
      '  adds r0, #2',
      '  str r0, [r3, #24]',
      ...count(0),
      '  bx lr',
      '  .thumb_func',
      'svc_handler:',
      '  push {r4, lr}',
      ...count(4),
      '  pop {r4, pc}',
      '  .thumb_func',
      'irq_handler:',
      `  ldr r0, =0x${DEVICE.toString(16)}`,
      '  movs r1, #0',
      '  str r1, [r0]',
      ...count(8),
      '  bx lr',
      '  .thumb_func',
      'systick_handler:',
      '  push {lr}',
      ...count(12),
      '  pop {pc}',
      '  .ltorg',
    ];
  }

  private func(f: number): Lines {
    const { rnd } = this;
    const lines: Lines = ['  .thumb_func', `fn${f}:`, `fn${f}_slot:`, `  ${this.functionSlots[f]}`];
    const pushes = rnd.chance(0.5);
    if (pushes) lines.push('  push {r4, lr}');
    lines.push(...this.statements(rnd.int(2, 6), false));
    lines.push(pushes ? '  pop {r4, pc}' : '  bx lr', '  .ltorg');
    return lines;
  }

  // ---------------------------------------------------------------- statements

  /** `count` statements; a forward branch may go to the start of any later one or to the end. */
  private statements(count: number, calls: boolean): Lines {
    const id = this.labels++;
    const lines: Lines = [];
    for (let i = 0; i < count; i++) {
      lines.push(`s${id}_${i}:`);
      const made = this.statement(() => `s${id}_${this.rnd.int(i + 1, count)}`, calls);
      if (!this.drop.has(this.statementCount++)) lines.push(...made.map((l) => (l.endsWith(':') ? l : `  ${l}`)));
    }
    lines.push(`s${id}_${count}:`);
    return lines;
  }

  private statement(forwardTarget: () => string, calls: boolean): Lines {
    const kinds: Array<[number, () => Lines]> = [
      [30, () => this.alu()],
      [8, () => this.mulDiv()],
      [14, () => this.ramAccess()],
      [3, () => this.multiple()],
      [4, () => this.deviceAccess()],
      [1, () => this.nothingAccess()],
      [6, () => this.forwardBranch(forwardTarget())],
      [!this.inLoop && calls ? 5 : 0, () => this.loop()],
      [calls ? 4 : 0, () => this.call()],
      [5, () => this.itBlock()],
      [3, () => this.pushPop()],
      [3, () => this.special()],
      [1.5, () => this.exception()],
      // few, in main and not in its loops: every store into code drops the page's compiled code, which is compiled again (costly)
      [this.selfModifying && calls && !this.inLoop && this.patches < MAX_PATCHES ? 1.5 : 0, () => this.selfModify()],
      [1, () => this.raiseInterrupt()],
      [this.sysTickReload !== 0 ? 0.3 : 0, () => ['wfi']],
    ];
    let total = 0;
    for (const [weight] of kinds) total += weight;
    let r = (this.rnd.u32() / 0x1_0000_0000) * total;
    for (const [weight, emit] of kinds) {
      r -= weight;
      if (r < 0) return emit();
    }
    return this.alu();
  }

  private alu(): Lines {
    const { rnd } = this;
    const d = () => this.data();
    const low = () => this.low();
    const imm8 = () => rnd.int(0, 255);
    const modified = () => `#0x${((imm8() << rnd.int(0, 24)) >>> 0).toString(16)}`;
    const shift = () => `${rnd.pick(SHIFTS)} #${rnd.int(1, 31)}`;
    return rnd.pick<() => Lines>([
      () => [`movs ${low()}, #${imm8()}`],
      () => [`mov${rnd.pick(['', 's'])}.w ${d()}, ${modified()}`],
      () => [`movw ${d()}, #${rnd.int(0, 0xffff)}`],
      () => [`movt ${d()}, #${rnd.int(0, 0xffff)}`],
      () => [`${rnd.pick(['mov', 'movs'])} ${d()}, ${d()}`],
      () => [`${rnd.pick(['mvn', 'mvns'])} ${d()}, ${d()}, ${shift()}`],
      () => [`${rnd.pick(['adds', 'subs'])} ${low()}, ${low()}, ${rnd.chance(0.5) ? low() : `#${rnd.int(0, 7)}`}`],
      () => [`${rnd.pick(['add', 'adds', 'sub', 'subs', 'adc', 'adcs', 'sbc', 'sbcs', 'rsb', 'rsbs'])}.w ${d()}, ${d()}, ${d()}, ${shift()}`],
      () => [`${rnd.pick(['add', 'adds', 'sub', 'subs', 'adc', 'adcs', 'sbc', 'sbcs', 'rsb', 'rsbs'])}.w ${d()}, ${d()}, ${modified()}`],
      () => [`${rnd.pick(['add', 'sub'])} ${d()}, ${d()}, #${rnd.int(0, 4095)}`],
      () => [`${rnd.pick(['cmp', 'cmn', 'tst', 'teq'])}.w ${d()}, ${d()}, ${shift()}`],
      () => [`${rnd.pick(['cmp', 'cmn', 'tst', 'teq'])}.w ${d()}, ${modified()}`],
      () => [`cmp ${low()}, #${imm8()}`],
      () => [`${rnd.pick(['and', 'ands', 'orr', 'orrs', 'eor', 'eors', 'bic', 'bics', 'orn', 'orns'])}.w ${d()}, ${d()}, ${d()}, ${shift()}`],
      () => [`${rnd.pick(['and', 'ands', 'orr', 'orrs', 'eor', 'eors', 'bic', 'bics', 'orn', 'orns'])} ${d()}, ${d()}, ${modified()}`],
      () => [`${rnd.pick(['ands', 'orrs', 'eors', 'bics', 'adcs', 'sbcs', 'mvns', 'tst', 'cmn', 'cmp'])} ${low()}, ${low()}`],
      () => [`${rnd.pick(['lsls', 'lsrs', 'asrs'])} ${low()}, ${low()}, #${rnd.int(1, 31)}`],
      () => [`${rnd.pick(['lsl', 'lsr', 'asr', 'ror', 'lsls', 'lsrs', 'asrs', 'rors'])}.w ${d()}, ${d()}, ${d()}`],
      () => [`${rnd.pick(['lsls', 'lsrs', 'asrs', 'rors'])} ${low()}, ${low()}`],
      () => [`rrx${rnd.pick(['', 's'])} ${d()}, ${d()}`],
      () => [`${rnd.pick(['uxtb', 'uxth', 'sxtb', 'sxth'])}.w ${d()}, ${d()}${rnd.pick(['', ', ror #8', ', ror #16', ', ror #24'])}`],
      () => {
        const lsb = rnd.int(0, 31);
        return [`${rnd.pick(['ubfx', 'sbfx'])} ${d()}, ${d()}, #${lsb}, #${rnd.int(1, 32 - lsb)}`];
      },
      () => {
        const lsb = rnd.int(0, 31);
        return [rnd.chance(0.5) ? `bfi ${d()}, ${d()}, #${lsb}, #${rnd.int(1, 32 - lsb)}` : `bfc ${d()}, #${lsb}, #${rnd.int(1, 32 - lsb)}`];
      },
      () => [`${rnd.pick(['clz', 'rev', 'rev16', 'revsh', 'rbit'])} ${d()}, ${d()}`],
      () => [`${rnd.pick(['ssat', 'usat'])} ${d()}, #${rnd.int(1, 31)}, ${d()}`],
    ])();
  }

  private mulDiv(): Lines {
    const { rnd } = this;
    const lines: Lines = [];
    const rm = this.data();
    if (rnd.chance(0.35)) lines.push(`ldr ${rm}, =0x${rnd.pick(EDGE_VALUES).toString(16)}`);
    const d = () => this.data();
    const pair = (): [string, string] => {
      const a = d();
      let b = d();
      while (b === a) b = d();
      return [a, b];
    };
    lines.push(
      rnd.pick<() => string>([
        () => `mul ${d()}, ${d()}, ${rm}`,
        () => {
          const rd = this.low();
          return `muls ${rd}, ${rm === 'r8' ? 'r0' : rm}, ${rd}`;
        },
        () => `${rnd.pick(['mla', 'mls'])} ${d()}, ${d()}, ${rm}, ${d()}`,
        () => {
          const [lo, hi] = pair();
          return `${rnd.pick(['umull', 'smull', 'umlal', 'smlal'])} ${lo}, ${hi}, ${d()}, ${rm}`;
        },
        () => `${rnd.pick(['udiv', 'sdiv'])} ${d()}, ${d()}, ${rm}`,
        () => `${rnd.pick(['udiv', 'sdiv'])} ${d()}, ${d()}, ${rm}`,
      ])(),
    );
    return lines;
  }

  /** A load or store at r9 plus an offset (unaligned one time in four), by register offset, or with write-back through r11. */
  private ramAccess(): Lines {
    const { rnd } = this;
    const [op, size] = rnd.pick([['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1], ['ldrh', 2], ['strh', 2], ['ldrsb', 1], ['ldrsh', 2], ['ldrd', 8], ['strd', 8]] as const);
    const align = size === 8 ? 4 : size;
    let offset = rnd.int(0, 200);
    if (rnd.chance(0.75)) offset &= -align;
    if (size === 8) {
      const a = this.data();
      const b = this.data();
      const second = b === a ? (a === 'r0' ? 'r1' : 'r0') : b;
      // an unaligned base: a UsageFault whatever CCR says
      if (rnd.chance(0.15)) return [`add r11, r9, #${offset | rnd.int(1, 3)}`, `${op} ${a}, ${second}, [r11]`];
      return [`${op} ${a}, ${second}, [r9, #${offset & -4}]`];
    }
    switch (rnd.int(0, 3)) {
      case 0:
        return [`${op} ${this.data()}, [r9, #${offset}]`];
      case 1:
        return [`and r12, ${this.data()}, #0x${(0x3f & -align).toString(16)}`, `${op} ${this.data()}, [r9, r12${rnd.chance(0.3) ? `, lsl #${rnd.int(0, 2)}` : ''}]`];
      case 2:
        return [`add r11, r9, #${offset}`, `${op} ${this.data()}, [r11, #${rnd.pick(['-4', '4', '8'])}]${rnd.pick(['', '!'])}`];
      default:
        return [`add r11, r9, #${offset}`, `${op} ${this.data()}, [r11], #${rnd.pick(['-4', '4', '2', '1'])}`];
    }
  }

  private multiple(): Lines {
    const { rnd } = this;
    const list = LOW.filter(() => rnd.chance(0.4));
    if (list.length === 0) list.push(this.low());
    const offset = rnd.int(8, 48) * 4;
    return rnd.pick<() => Lines>([
      () => [`add r11, r9, #${offset}`, `${rnd.pick(['stmia', 'ldmia', 'stmdb', 'ldmdb'])} r11${rnd.pick(['', '!'])}, {${list.join(', ')}}`],
      () => [`ldrex ${this.data()}, [r9, #${offset}]`, `strex ${this.low()}, r8, [r9, #${offset + rnd.pick([0, 0, 4])}]`],
    ])();
  }

  /** The device's registers from offset 4 (offset 0 is IRQ 0's level), of every size, sometimes unaligned. */
  private deviceAccess(): Lines {
    const { rnd } = this;
    const [op, size] = rnd.pick([['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1], ['ldrh', 2], ['strh', 2], ['ldrsh', 2]] as const);
    let offset = rnd.int(4, 60);
    if (rnd.chance(0.85)) offset &= -size;
    return [`ldr r11, =0x${DEVICE.toString(16)}`, `${op} ${this.data()}, [r11, #${offset}]`];
  }

  private nothingAccess(): Lines {
    const { rnd } = this;
    const op = rnd.pick(['ldr', 'str', 'ldrb', 'strh', 'ldrd']);
    return [`ldr r11, =0x${(NOTHING + rnd.int(0, 0xff) * 4).toString(16)}`, op === 'ldrd' ? `ldrd r0, r1, [r11]` : `${op} ${this.data()}, [r11]`];
  }

  private forwardBranch(target: string): Lines {
    const { rnd } = this;
    if (rnd.chance(0.3)) {
      const skip = this.label('skip');
      return [`${rnd.pick(['cbz', 'cbnz'])} ${this.low()}, ${skip}`, ...this.alu(), `${skip}:`];
    }
    return [`b${rnd.pick(CONDITIONS)}.w ${target}`];
  }

  /** A loop of 1-10 iterations on r10 (IRQs, SysTick and faults arrive inside it). */
  private loop(): Lines {
    const { rnd } = this;
    const head = this.label('loop');
    this.inLoop = true;
    const body = this.statements(rnd.int(1, 8), true);
    this.inLoop = false;
    const close = rnd.chance(0.5) ? ['subs r10, #1', `bne.w ${head}`] : ['sub r10, r10, #1', 'cmp r10, #0', 'it ne', `bne.w ${head}`];
    return [`movs r10, #${rnd.int(1, 10)}`, `${head}:`, ...body, ...close];
  }

  private call(): Lines {
    const { rnd } = this;
    const fn = `fn${rnd.int(0, this.functionCount - 1)}`;
    return rnd.chance(0.6) ? [`bl ${fn}`] : [`ldr r11, =${fn}`, `blx r11`];
  }

  /** IT with 1-4 conditional instructions (none of which faults: a handler that skips one would leave the block's state behind). */
  private itBlock(): Lines {
    const { rnd } = this;
    const cond = rnd.pick(CONDITIONS);
    const n = rnd.int(1, 4);
    const pattern = Array.from({ length: n - 1 }, () => rnd.pick(['t', 'e']));
    const conds = [cond, ...pattern.map((p) => (p === 't' ? cond : INVERSE[cond]))];
    const body = conds.map((c, i) => {
      const last = i === conds.length - 1;
      return rnd.pick<() => string>([
        () => `add${c} ${this.low()}, ${this.low()}, #${rnd.int(0, 7)}`,
        () => `mov${c} ${this.low()}, ${this.low()}`,
        () => `eor${c}.w ${this.data()}, ${this.data()}, ${this.data()}, lsl #${rnd.int(0, 31)}`,
        () => `ldr${c} ${this.data()}, [r9, #${rnd.int(0, 60) * 4}]`,
        () => `str${c} ${this.data()}, [r9, #${rnd.int(0, 60) * 4}]`,
        () => `cmp${c} ${this.low()}, #${rnd.int(0, 255)}`,
        () => (last && rnd.chance(0.3) ? `b${c}.w ${this.label('it')}` : `mul${c} ${this.data()}, ${this.data()}, ${this.data()}`),
      ])();
    });
    const branchTarget = body.at(-1)?.match(/^b\w+\.w (\S+)$/)?.[1];
    return [`it${pattern.join('')} ${cond}`, ...body, ...(branchTarget ? [`${branchTarget}:`] : [])];
  }

  private pushPop(): Lines {
    const { rnd } = this;
    const pushed = LOW.filter(() => rnd.chance(0.4));
    if (pushed.length === 0) pushed.push(this.low());
    const withLr = rnd.chance(0.3);
    // as many registers popped as pushed (the stack stays balanced), into other registers
    const popped = LOW.slice(0, pushed.length + (withLr ? 1 : 0));
    return [`push {${[...pushed, ...(withLr ? ['lr'] : [])].join(', ')}}`, ...(rnd.chance(0.5) ? this.alu() : []), `pop {${popped.join(', ')}}`];
  }

  private special(): Lines {
    const { rnd } = this;
    return rnd.pick<() => Lines>([
      () => [`mrs ${this.data()}, ${rnd.pick(['apsr', 'ipsr', 'xpsr', 'primask', 'basepri', 'control', 'msp', 'psp'])}`],
      // masked for a few instructions only (a WFI under a BASEPRI that masks everything would sleep for good)
      () => [`movs r12, #0x${(rnd.int(0, 7) << 5).toString(16)}`, `msr ${rnd.pick(['basepri', 'basepri_max'])}, r12`, ...this.alu(), ...this.alu(), 'movs r12, #0', 'msr basepri, r12'],
      () => ['cpsid i', ...this.alu(), ...this.alu(), 'cpsie i'],
      () => [`msr apsr_nzcvq, ${this.data()}`],
    ])();
  }

  private exception(): Lines {
    const { rnd } = this;
    return rnd.pick<() => Lines>([
      () => [`svc #${rnd.int(0, 255)}`],
      () => [`udf #${rnd.int(0, 255)}`],
      () => ['movs r12, #0', `${rnd.pick(['udiv', 'sdiv'])} ${this.data()}, ${this.data()}, r12`],
      () => [`ldr ${this.data()}, [r9, #${rnd.int(0, 40) * 4 + rnd.int(1, 3)}]`], // unaligned: a UsageFault with UNALIGN_TRP
    ])();
  }

  /** Rewrite a MOVS's immediate (from the loop counter) here, just before it runs, or at a function's first instruction. */
  private selfModify(): Lines {
    const { rnd } = this;
    this.patches++;
    const remote = rnd.chance(0.4);
    const f = rnd.int(0, this.functionCount - 1);
    const slot = remote ? `fn${f}_slot` : this.label('patch');
    const target = remote ? this.functionSlots[f] : `movs ${this.low()}, #0`;
    const rd = Number(/movs r(\d)/.exec(target)![1]);
    const lines = [`and r12, r10, #0xff`, `orr r12, r12, #0x${(0x2000 | (rd << 8)).toString(16)}`, `ldr r11, =${slot}`, `strh r12, [r11]`];
    if (rnd.chance(0.5)) lines.push('isb');
    if (!remote) lines.push(...(rnd.chance(0.3) ? this.alu() : []), `${slot}:`, target);
    return lines;
  }

  private raiseInterrupt(): Lines {
    return [`ldr r11, =0x${DEVICE.toString(16)}`, 'movs r12, #1', 'str r12, [r11]'];
  }

  // ---------------------------------------------------------------- operands

  private label(what: string): string {
    return `${what}${this.labels++}`;
  }

  private data(): string {
    return this.rnd.pick(DATA);
  }

  private low(): string {
    return this.rnd.pick(LOW);
  }

  private value(): number {
    return this.rnd.chance(0.3) ? this.rnd.pick(EDGE_VALUES) : this.rnd.u32();
  }
}
