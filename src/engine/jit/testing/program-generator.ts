// Random RV32IMC programs for the property test of the compiling tier (#16 point 2): a seed gives
// one program, the same on every machine. The program runs forever (main jumps back to its start)
// and only does what a hart can do exactly the same way on both tiers: straight-line ALU and M ops
// on random registers (x0 included), compressed forms, loads and stores of every size to RAM
// (aligned and misaligned), to the MMIO test device and to unmapped addresses, forward branches,
// bounded loops, calls and returns (to the functions' page, through jal, jalr and c.jalr, also
// through jalr targets that are misaligned on a hart without C), ecall, ebreak and illegal
// instructions (the trap handler skips them and returns), reads of the counter CSRs, stores into
// its own code (with and without fence.i, here and on the functions' page), 32-bit instructions
// that straddle a page boundary, wfi, and interrupts the program raises itself through the device.
//
// Memory layout (LAYOUT): setup code at the reset vector, the trap handler, main (which crosses at
// least one page boundary), the functions' page, a data area; the MMIO test device; an unmapped hole.
//
// Registers: random results go to POOL (x0 and x5-x26). Reserved: ra (calls), sp (a construct's
// address), gp (the data area), tp (the device), s11 (a construct's value), t3/t4 (loop counters),
// t5/t6 (the trap handler's scratch: an interrupt may come anywhere, so nothing else uses them).
import {
  Program,
  Reg,
  Rm,
  add,
  addi,
  and,
  andi,
  auipc,
  beq,
  bge,
  bgeu,
  blt,
  bltu,
  bne,
  cAdd,
  cAddi,
  cAnd,
  cAndi,
  cBeqz,
  cBnez,
  cEbreak,
  cJalr,
  cJr,
  cLi,
  cLui,
  cLw,
  cLwsp,
  cMv,
  cNop,
  cOr,
  cSlli,
  cSrai,
  cSrli,
  cSub,
  cSw,
  cSwsp,
  cXor,
  csrr,
  csrrs,
  csrrw,
  csrw,
  div,
  divu,
  ebreak,
  ecall,
  fenceI,
  jalr,
  lb,
  lbu,
  lh,
  lhu,
  li,
  lui,
  lw,
  mret,
  mul,
  mulh,
  mulhsu,
  mulhu,
  or,
  ori,
  rem,
  remu,
  sb,
  sh,
  sll,
  slli,
  slt,
  slti,
  sltiu,
  sltu,
  sra,
  srai,
  srl,
  srli,
  sub,
  sw,
  wfi,
  xor,
  xori,
} from '../../cpu/riscv/asm.ts';
import * as rv from '../../cpu/riscv/asm.ts';
import { Csr, MIP_MEIP, MIP_MSIP, MIP_MTIP, MSTATUS_FS, MSTATUS_MIE } from '../../cpu/riscv/csr.ts';
import { Random } from './random.ts';

/** Where everything is (physical addresses; the hart runs in M-mode without paging). */
export const LAYOUT = {
  ramBase: 0x8000_0000,
  ramSize: 0x1_0000,
  handler: 0x8000_0400,
  /** Main starts between here and mainLatest, and ends past the page boundary after it. */
  mainEarliest: 0x8000_0c00,
  functions: 0x8000_3000,
  /** The data area loads and stores reach from gp (gp = its middle, so every 12-bit offset lands in it). */
  data: 0x8000_4000,
  dataSize: 0x1000,
  device: 0x1000_0000,
  deviceSize: 0x100,
  unmapped: 0x2000_0000,
} as const;

/** The MMIO test device's registers (offsets). Reads of DATA return values that depend on what was written and on how many reads came before. */
export const DEVICE = {
  data: 0x00,
  dataSize: 0x10,
  /** A write raises the interrupt lines its bits select (DEVICE_LINES). */
  raise: 0x10,
  /** A write lowers every line the device drives (the trap handler's acknowledgement). */
  ack: 0x14,
} as const;

/** The interrupt lines the device drives, by the bit of a RAISE write that selects them. */
export const DEVICE_LINES = ['meip', 'mtip', 'msip'] as const;

const PAGE = 0x1000;
/** The share of programs that store into their own code. */
const SELF_MODIFYING_SHARE = 0.3;
/** Seeds the straddling instructions' own random stream, so where they fall never shifts the other statements. */
const STRADDLE_STREAM = 0x2f6b_1d3a;
/** Seeds the choice of extensions (a stream of its own: programs without them stay what they were). */
const EXTENSION_STREAM = 0x6a09_e667;
/** The share of programs for a hart with A, F, D, Zba, Zbb, Zbc and Zbs (the compiling tier runs Zb*, leaves A, F and D to the interpreter). */
const EXTENDED_SHARE = 0.4;
/** The multi-letter extensions of such a hart. */
const BIT_MANIPULATION = '_Zba_Zbb_Zbc_Zbs';
const POOL = [0, ...Array.from({ length: 22 }, (_, i) => i + 5)];
/** Pool registers a compressed instruction can name (x8-x15). */
const POOL_C = [8, 9, 10, 11, 12, 13, 14, 15];
const LOOP_COUNTERS = [Reg.t4, Reg.t3];
const TEMP_ADDRESS = Reg.sp;
const TEMP_VALUE = Reg.s11;
const EDGE_VALUES = [0, 1, -1, 0x7fff_ffff, -0x8000_0000, 2047, -2048, 31, 0x8000, 0xffff];

export interface GeneratedProgram {
  seed: number;
  /** The hart has C and the program uses compressed instructions. */
  compressed: boolean;
  /** Rv32Options.extensions for the hart that runs it ("MACSU", "MASU", or with F, D and Zb* too: EXTENDED_SHARE of the seeds). */
  extensions: string;
  /** The image, loaded at LAYOUT.ramBase (the reset vector). */
  image: Uint8Array;
  /** Statements the generator made (numbered in order; `drop` names them). */
  statements: number;
  /** Statements left out (shrinking a failing program). */
  dropped: ReadonlySet<number>;
}

type Statement = () => void;

/**
 * One program per seed. `drop` leaves statements out (by number) while every other one stays what
 * it was: the dropped ones still draw their random numbers, into code that is thrown away.
 */
export function generateProgram(seed: number, drop: ReadonlySet<number> = new Set()): GeneratedProgram {
  const extended = new Random(seed ^ EXTENSION_STREAM).chance(EXTENDED_SHARE);
  const make = (without: ReadonlySet<number>, chunks?: number) => {
    const rnd = new Random(seed);
    const compressed = rnd.chance(0.6);
    return { compressed, g: new Generator(rnd, new Random(seed ^ STRADDLE_STREAM), compressed, extended, without, chunks) };
  };
  // main has as many parts as without dropping (its length decides that when nothing is dropped)
  const { compressed, g } = make(drop, drop.size === 0 ? undefined : make(new Set()).g.mainChunks());
  const image = g.build();
  const extensions = `MA${extended ? 'FD' : ''}${compressed ? 'C' : ''}SU${extended ? BIT_MANIPULATION : ''}`;
  return { seed, compressed, extensions, image, statements: g.statementCount, dropped: drop };
}

class Generator {
  private p = new Program(LAYOUT.ramBase);
  /** Statements made so far. */
  statementCount = 0;
  private labels = 0;
  private loopDepth = 0;
  private readonly functionCount: number;
  /** Whether this program stores into its own code (each such store drops compiled code, which the tier then compiles again: costly). */
  private readonly selfModifying: boolean;
  /** Each function's first instruction, an addi that constructs patch (its immediate). */
  private readonly functionSlots: number[] = [];
  /** Page boundaries a 32-bit instruction still has to straddle (with C). */
  private readonly straddles: number[] = [];

  constructor(
    private readonly rnd: Random,
    private readonly straddleRnd: Random,
    private readonly compressed: boolean,
    /** The hart has F, D and Zb*: the program uses them, and atomics more often. */
    private readonly extended: boolean,
    private readonly drop: ReadonlySet<number>,
    /** How many parts main has (undefined: as many as fill it past the page boundary). */
    private chunks?: number,
  ) {
    this.functionCount = rnd.int(2, 5);
    this.selfModifying = rnd.chance(SELF_MODIFYING_SHARE);
    for (let i = 0; i < this.functionCount; i++) this.functionSlots.push(addi(this.poolNonZero(), this.anyReg(), 0));
  }

  build(): Uint8Array {
    const { p, rnd } = this;
    this.setup();
    p.org(LAYOUT.handler);
    this.handler();
    const main = LAYOUT.mainEarliest + 4 * rnd.int(0, 0x60);
    p.org(main);
    p.label('main');
    if (this.compressed) this.straddles.push(LAYOUT.ramBase + PAGE, LAYOUT.ramBase + 2 * PAGE);
    const end = LAYOUT.ramBase + PAGE + rnd.int(0x40, 0x900);
    let made = 0;
    while (this.chunks === undefined ? p.here < end : made < this.chunks) {
      this.statements(rnd.int(4, 12));
      made++;
    }
    this.chunks = made;
    p.jal(0, 'main');
    if (p.here > LAYOUT.functions) throw new Error(`seed ${rnd.seed}: main overruns the functions' page (0x${p.here.toString(16)})`);
    p.org(LAYOUT.functions);
    for (let f = 0; f < this.functionCount; f++) this.func(f);
    if (p.here > LAYOUT.data) throw new Error(`seed ${rnd.seed}: the functions overrun the data area`);
    const bytes = p.bytes();
    const image = new Uint8Array(LAYOUT.data + LAYOUT.dataSize - LAYOUT.ramBase);
    image.set(bytes);
    for (let i = LAYOUT.data - LAYOUT.ramBase; i < image.length; i++) image[i] = rnd.u32() & 0xff;
    return image;
  }

  /** How many parts main has, after build(). */
  mainChunks(): number {
    this.build();
    return this.chunks ?? 0;
  }

  // ---------------------------------------------------------------- fixed parts

  private setup(): void {
    const { p, rnd } = this;
    p.la(Reg.t6, 'handler');
    p.i(csrw(Csr.MTVEC, Reg.t6));
    p.i(li(Reg.gp, LAYOUT.data + LAYOUT.dataSize / 2));
    p.i(li(Reg.tp, LAYOUT.device));
    for (const r of POOL) if (r !== 0) p.i(li(r, this.value()));
    p.i(li(TEMP_VALUE, rnd.u32()), li(Reg.t3, 0), li(Reg.t4, rnd.int(0, 100)));
    p.i(li(Reg.t6, MIP_MEIP | MIP_MTIP | MIP_MSIP), csrw(Csr.MIE, Reg.t6));
    // the FPU on (mstatus.FS) on most harts with F; off, every F/D instruction is illegal
    const fpuOn = this.extended && rnd.chance(0.85);
    p.i(li(Reg.t6, MSTATUS_MIE | (fpuOn ? MSTATUS_FS : 0)), csrrs(0, Csr.MSTATUS, Reg.t6));
    if (this.extended) for (let f = 0; f < 32; f++) p.i(rv.fmvWX(f, rnd.pick(POOL)));
    p.jal(0, 'main');
  }

  /**
   * Interrupts: acknowledge at the device and return. Instruction access faults (a jump into the
   * unmapped hole, linked through ra): return to ra. Every other exception: skip the instruction at
   * mepc (2 or 4 bytes, from its low bits) and return.
   */
  private handler(): void {
    const { p } = this;
    p.label('handler');
    p.i(csrr(Reg.t6, Csr.MCAUSE));
    p.branch(blt, Reg.t6, 0, 'handler_irq');
    p.i(addi(Reg.t5, Reg.t6, -1));
    p.branch(beq, Reg.t5, 0, 'handler_fetch');
    p.i(csrr(Reg.t6, Csr.MEPC), lhu(Reg.t5, Reg.t6, 0), andi(Reg.t5, Reg.t5, 3), addi(Reg.t5, Reg.t5, -3), addi(Reg.t6, Reg.t6, 2));
    p.branch(bne, Reg.t5, 0, 'handler_skip');
    p.i(addi(Reg.t6, Reg.t6, 2));
    p.label('handler_skip');
    p.i(csrw(Csr.MEPC, Reg.t6), mret());
    p.label('handler_fetch');
    p.i(csrw(Csr.MEPC, Reg.ra), mret());
    p.label('handler_irq');
    p.i(sw(0, Reg.tp, DEVICE.ack), mret());
  }

  private func(f: number): void {
    const { p, rnd } = this;
    p.label(`fn${f}`);
    p.label(`fn${f}_slot`);
    p.i(this.functionSlots[f]);
    const saved = this.loopDepth;
    this.loopDepth = LOOP_COUNTERS.length; // no loops (and so no calls) inside functions
    this.statements(rnd.int(2, 8), false);
    this.loopDepth = saved;
    if (this.compressed && rnd.chance(0.5)) p.c(cJr(Reg.ra));
    else p.i(jalr(0, Reg.ra, 0));
    while (p.here % 4 !== 0) p.c(cNop());
  }

  // ---------------------------------------------------------------- statements

  /** `count` statements; a forward branch in one may skip to the start of any later one or to the end. */
  private statements(count: number, calls = true): void {
    const id = this.labels++;
    for (let i = 0; i < count; i++) {
      this.p.label(`s${id}_${i}`);
      this.straddle();
      const kept = this.p;
      if (this.drop.has(this.statementCount++)) this.p = new Program(kept.here); // thrown away
      this.statement(() => `s${id}_${this.rnd.int(i + 1, count)}`, calls);
      this.p = kept;
    }
    this.p.label(`s${id}_${count}`);
  }

  /** With C: pad so the next 32-bit instruction starts 2 bytes before a page boundary, once per boundary. */
  private straddle(): void {
    const { p } = this;
    const boundary = this.straddles[0];
    if (boundary === undefined || p.here < boundary - 48) return;
    this.straddles.shift();
    if (p.here > boundary - 2) return;
    while (p.here < boundary - 2) p.c(cNop());
    const r = this.straddleRnd;
    if (r.chance(0.5)) p.i(addi(r.pick(POOL), r.int(0, 31), r.int(-2048, 2047)));
    else p.i(lw(r.pick(POOL), Reg.gp, r.int(-512, 511) * 4));
  }

  private statement(forwardTarget: () => string, calls: boolean): void {
    const { rnd } = this;
    const kinds: Array<[number, Statement]> = [
      [30, () => this.alu()],
      [8, () => this.mulDiv()],
      [this.compressed ? 14 : 0, () => this.compressedAlu()],
      [12, () => this.ramAccess()],
      [this.compressed ? 4 : 0, () => this.compressedRamAccess()],
      [4, () => this.deviceAccess()],
      [2, () => this.unmappedAccess()],
      [3, () => this.counterRead()],
      [6, () => this.forwardBranch(forwardTarget())],
      [this.loopDepth < LOOP_COUNTERS.length ? 5 : 0, () => this.loop()],
      [calls && this.loopDepth < LOOP_COUNTERS.length ? 4 : 0, () => this.call()],
      [calls && !this.compressed ? 1 : 0, () => this.misalignedJump()],
      [calls ? 1 : 0, () => this.fetchFault()],
      [3, () => this.exception()],
      [this.selfModifying ? 1 : 0, () => this.selfModify()],
      [1, () => this.raiseInterrupt()],
      [0.3, () => this.p.i(wfi())],
      [this.extended ? 4 : 1, () => this.atomic()],
      [this.extended ? 10 : 0, () => this.bitManipulation()],
      [this.extended ? 10 : 0, () => this.float()],
    ];
    let total = 0;
    for (const [weight] of kinds) total += weight;
    let r = (rnd.u32() / 0x1_0000_0000) * total;
    for (const [weight, emit] of kinds) {
      r -= weight;
      if (r < 0) return emit();
    }
    this.alu();
  }

  private alu(): void {
    const { p, rnd } = this;
    const rd = this.pool();
    const rs1 = this.anyReg();
    const rs2 = this.anyReg();
    const imm = this.imm12();
    const shamt = rnd.int(0, 31);
    p.i(
      rnd.pick([
        () => add(rd, rs1, rs2),
        () => sub(rd, rs1, rs2),
        () => sll(rd, rs1, rs2),
        () => slt(rd, rs1, rs2),
        () => sltu(rd, rs1, rs2),
        () => xor(rd, rs1, rs2),
        () => srl(rd, rs1, rs2),
        () => sra(rd, rs1, rs2),
        () => or(rd, rs1, rs2),
        () => and(rd, rs1, rs2),
        () => addi(rd, rs1, imm),
        () => slti(rd, rs1, imm),
        () => sltiu(rd, rs1, imm),
        () => xori(rd, rs1, imm),
        () => ori(rd, rs1, imm),
        () => andi(rd, rs1, imm),
        () => slli(rd, rs1, shamt),
        () => srli(rd, rs1, shamt),
        () => srai(rd, rs1, shamt),
        () => lui(rd, rnd.u32() & 0xffff_f000),
        () => auipc(rd, rnd.u32() & 0xffff_f000),
      ])(),
    );
  }

  private mulDiv(): void {
    const { p, rnd } = this;
    const rd = this.pool();
    const rs1 = this.anyReg();
    const rs2 = this.anyReg();
    if (rnd.chance(0.3)) p.i(li(rs2 === 0 || !POOL.includes(rs2) ? rd : rs2, rnd.pick(EDGE_VALUES)));
    p.i(rnd.pick([mul, mulh, mulhsu, mulhu, div, divu, rem, remu])(rd, rs1, rs2));
  }

  private compressedAlu(): void {
    const { p, rnd } = this;
    const rd = this.poolNonZero();
    const rc = rnd.pick(POOL_C);
    const rc2 = rnd.pick(POOL_C);
    const imm6 = rnd.int(-32, 31);
    const nonZero6 = imm6 === 0 ? 1 : imm6;
    p.c(
      rnd.pick([
        () => cAddi(rd, nonZero6),
        () => cLi(rd, imm6),
        () => cLui(rd, nonZero6 << 12),
        () => cMv(rd, this.anyNonZeroReg()),
        () => cAdd(rd, this.anyNonZeroReg()),
        () => cSub(rc, rc2),
        () => cXor(rc, rc2),
        () => cOr(rc, rc2),
        () => cAnd(rc, rc2),
        () => cAndi(rc, imm6),
        () => cSrli(rc, rnd.int(1, 31)),
        () => cSrai(rc, rnd.int(1, 31)),
        () => cSlli(rd, rnd.int(1, 31)),
        () => cNop(),
      ])(),
    );
  }

  /** A load or store in the data area: gp plus a 12-bit offset, or a register masked into the area; misaligned one time in three. */
  private ramAccess(): void {
    const { p, rnd } = this;
    const size = rnd.pick([1, 2, 4]);
    let offset = rnd.int(-2048, 2047 - 3);
    if (rnd.chance(0.66)) offset &= -size;
    let base: number = Reg.gp;
    if (rnd.chance(0.3)) {
      p.i(andi(TEMP_ADDRESS, this.anyReg(), 0x7fc), add(TEMP_ADDRESS, TEMP_ADDRESS, Reg.gp));
      base = TEMP_ADDRESS;
      offset = rnd.int(-1024, 1020) & (rnd.chance(0.66) ? -size : -1);
    }
    this.access(size, base, offset);
  }

  private compressedRamAccess(): void {
    const { p, rnd } = this;
    const offset = rnd.int(0, 31) * 4;
    if (rnd.chance(0.5)) {
      const rs1 = rnd.pick(POOL_C);
      p.i(addi(rs1, Reg.gp, rnd.int(-512, 380) * 4 + rnd.pick([0, 0, 0, 1, 2])));
      p.c(rnd.chance(0.5) ? cLw(rnd.pick(POOL_C), rs1, offset) : cSw(rnd.pick(POOL_C), rs1, offset));
    } else {
      p.c(cMv(Reg.sp, Reg.gp));
      const offset6 = rnd.int(0, 63) * 4;
      p.c(rnd.chance(0.5) ? cLwsp(this.poolNonZero(), offset6) : cSwsp(this.anyReg(), offset6));
    }
  }

  /** An access to the device's data registers, sometimes misaligned. */
  private deviceAccess(): void {
    const { rnd } = this;
    const size = rnd.pick([1, 2, 4]);
    let offset = rnd.int(0, DEVICE.dataSize - size);
    if (rnd.chance(0.8)) offset &= -size;
    this.access(size, Reg.tp, offset);
  }

  private unmappedAccess(): void {
    const { p, rnd } = this;
    p.i(li(TEMP_ADDRESS, LAYOUT.unmapped + rnd.int(0, 0xfff) * 4));
    this.access(rnd.pick([1, 2, 4]), TEMP_ADDRESS, rnd.int(-64, 64));
  }

  private access(size: number, base: number, offset: number): void {
    const { p, rnd } = this;
    if (rnd.chance(0.5)) {
      const load = size === 4 ? lw : size === 2 ? rnd.pick([lh, lhu]) : rnd.pick([lb, lbu]);
      p.i(load(this.pool(), base, offset));
    } else {
      const store = size === 4 ? sw : size === 2 ? sh : sb;
      p.i(store(this.anyReg(), base, offset));
    }
  }

  private counterRead(): void {
    const { p, rnd } = this;
    if (rnd.chance(0.2)) {
      p.i(csrrw(this.pool(), Csr.MSCRATCH, this.anyReg()));
      return;
    }
    p.i(csrr(this.pool(), rnd.pick([Csr.CYCLE, Csr.TIME, Csr.INSTRET, Csr.MCYCLE, Csr.MINSTRET, Csr.CYCLEH, Csr.INSTRETH])));
  }

  private forwardBranch(target: string): void {
    const { p, rnd } = this;
    if (this.compressed && rnd.chance(0.25)) {
      // c.beqz/c.bnez reach only 256 bytes: over one instruction
      const skip = `skip${this.labels++}`;
      p.cbranch(rnd.pick([cBeqz, cBnez]), rnd.pick(POOL_C), skip);
      this.alu();
      p.label(skip);
      return;
    }
    p.branch(inRange(rnd.pick([beq, bne, blt, bge, bltu, bgeu])), this.anyReg(), this.anyReg(), target);
  }

  /** A loop of 1-12 iterations (a backward branch); its counter is t4, or t3 inside another loop. */
  private loop(): void {
    const { p, rnd } = this;
    const counter = LOOP_COUNTERS[this.loopDepth];
    const head = `loop${this.labels++}`;
    p.i(li(counter, rnd.int(1, 12)));
    p.label(head);
    this.loopDepth++;
    this.statements(rnd.int(1, this.loopDepth === 1 ? 8 : 4));
    this.loopDepth--;
    p.i(addi(counter, counter, -1));
    if (rnd.chance(0.5)) p.branch(inRange(bne), counter, 0, head);
    else p.branch(inRange(blt), 0, counter, head); // 0 < counter
  }

  private call(): void {
    const { p, rnd } = this;
    const f = rnd.int(0, this.functionCount - 1);
    const fn = `fn${f}`;
    const how = rnd.int(0, this.compressed ? 3 : 2);
    if (how === 0) {
      p.jal(Reg.ra, fn);
    } else if (how === 1) {
      p.la(TEMP_ADDRESS, fn);
      p.i(jalr(Reg.ra, TEMP_ADDRESS, 0));
    } else if (how === 2) {
      // jalr clears bit 0 of the target: an odd offset lands on the function
      p.la(TEMP_ADDRESS, fn);
      p.i(jalr(Reg.ra, TEMP_ADDRESS, 1));
    } else {
      p.la(TEMP_ADDRESS, fn);
      p.c(cJalr(TEMP_ADDRESS));
    }
  }

  /** Without C: a jump or taken branch to an address that is 2 mod 4 traps at the jump (the handler skips it). */
  private misalignedJump(): void {
    const { p, rnd } = this;
    if (rnd.chance(0.5)) {
      p.la(TEMP_ADDRESS, `fn${rnd.int(0, this.functionCount - 1)}`);
      p.i(jalr(Reg.ra, TEMP_ADDRESS, 2));
    } else {
      p.i(rnd.pick([beq, bne, blt, bge, bltu, bgeu])(this.anyReg(), this.anyReg(), 6));
      p.i(addi(this.pool(), this.anyReg(), 1));
    }
  }

  /** A jump into the unmapped hole, linked through ra: an instruction access fault, after which the handler returns to ra. */
  private fetchFault(): void {
    const { p, rnd } = this;
    p.i(li(TEMP_ADDRESS, LAYOUT.unmapped + rnd.int(0, 0xff) * 4));
    p.i(jalr(Reg.ra, TEMP_ADDRESS, 0));
  }

  private exception(): void {
    const { p, rnd } = this;
    const choices: Statement[] = [
      () => p.i(ecall()),
      () => p.i(ebreak()),
      () => p.i(csrr(this.pool(), 0x7c0)), // no such CSR
      () => p.i(0x0000_000b | (rnd.int(0, 31) << 7)), // custom-0: not implemented
    ];
    if (this.compressed) choices.push(() => p.c(cEbreak()), () => p.c(0x0000)); // c.ebreak; c.unimp
    rnd.pick(choices)();
  }

  /**
   * A store of a new addi (its immediate from t4, the loop counter) over an instruction, here or at
   * a function's first instruction, then (sometimes) fence.i; the patched instruction runs next
   * (here) or at the next call.
   */
  private selfModify(): void {
    const { p, rnd } = this;
    const remote = rnd.chance(0.4);
    const f = rnd.int(0, this.functionCount - 1);
    const slot = remote ? `fn${f}_slot` : `patch${this.labels++}`;
    const encoding = remote ? this.functionSlots[f] : addi(this.poolNonZero(), this.anyReg(), 0);
    p.i(slli(TEMP_VALUE, Reg.t4, 20), li(TEMP_ADDRESS, encoding), add(TEMP_VALUE, TEMP_VALUE, TEMP_ADDRESS));
    p.la(TEMP_ADDRESS, slot);
    p.i(sw(TEMP_VALUE, TEMP_ADDRESS, 0));
    if (rnd.chance(0.5)) p.i(fenceI());
    if (!remote) {
      if (rnd.chance(0.3)) this.alu();
      p.label(slot);
      p.i(encoding);
    }
  }

  private raiseInterrupt(): void {
    const { p, rnd } = this;
    p.i(li(TEMP_VALUE, rnd.int(1, (1 << DEVICE_LINES.length) - 1)), sw(TEMP_VALUE, Reg.tp, DEVICE.raise));
  }

  /**
   * LR/SC (with statements between them sometimes, so an interrupt or trap may break the
   * reservation) and AMOs: on a word of the data area, now and then misaligned, on the device, or
   * on nothing. The compiling tier leaves them to the interpreter (mid-block).
   */
  private atomic(): void {
    const { p, rnd } = this;
    const where = rnd.int(0, 9);
    if (where < 7) {
      p.i(andi(TEMP_ADDRESS, this.anyReg(), 0x7fc), add(TEMP_ADDRESS, TEMP_ADDRESS, Reg.gp));
      if (where === 6) p.i(addi(TEMP_ADDRESS, TEMP_ADDRESS, rnd.pick([1, 2, 3])));
    } else if (where === 7) {
      p.i(addi(TEMP_ADDRESS, Reg.tp, rnd.int(0, 3) * 4));
    } else {
      p.i(li(TEMP_ADDRESS, LAYOUT.unmapped + rnd.int(0, 0xff) * 4));
    }
    if (rnd.chance(0.35)) {
      p.i(rv.lrW(this.pool(), TEMP_ADDRESS));
      if (rnd.chance(0.4)) this.alu();
      if (rnd.chance(0.15)) this.ramAccess(); // may store to the reserved word (then sc fails)
      p.i(rv.scW(this.pool(), TEMP_ADDRESS, this.anyReg()));
      return;
    }
    const amo = rnd.pick([rv.amoswapW, rv.amoaddW, rv.amoxorW, rv.amoandW, rv.amoorW, rv.amominW, rv.amomaxW, rv.amominuW, rv.amomaxuW]);
    p.i(amo(this.pool(), TEMP_ADDRESS, this.anyReg()));
  }

  /** Zba, Zbb, Zbc and Zbs (the compiling tier translates them). */
  private bitManipulation(): void {
    const { p, rnd } = this;
    const rd = this.pool();
    const rs1 = this.anyReg();
    const rs2 = this.anyReg();
    const binary = [rv.sh1add, rv.sh2add, rv.sh3add, rv.andn, rv.orn, rv.xnor, rv.max, rv.maxu, rv.min, rv.minu, rv.rol, rv.ror, rv.clmul, rv.clmulh, rv.clmulr, rv.bclr, rv.bext, rv.binv, rv.bset];
    const unaryOps = [rv.clz, rv.ctz, rv.cpop, rv.sextB, rv.sextH, rv.zextH, rv.orcB, rv.rev8];
    const immediate = [rv.rori, rv.bclri, rv.bexti, rv.binvi, rv.bseti];
    const kind = rnd.int(0, 2);
    if (kind === 0) p.i(rnd.pick(binary)(rd, rs1, rs2));
    else if (kind === 1) p.i(rnd.pick(unaryOps)(rd, rs1));
    else p.i(rnd.pick(immediate)(rd, rs1, rnd.int(0, 31)));
  }

  /**
   * F and D: loads and stores in the data area (now and then misaligned), arithmetic in every
   * rounding mode (and an invalid one: illegal), conversions, compares, moves, and the float CSRs.
   * The compiling tier leaves them to the interpreter, so blocks cross between the tiers here.
   */
  private float(): void {
    const { p, rnd } = this;
    const f = () => rnd.int(0, 31);
    const rm = () => (rnd.chance(0.7) ? Rm.dyn : rnd.pick([Rm.rne, Rm.rtz, Rm.rdn, Rm.rup, Rm.rmm, 5]));
    const choices: Statement[] = [
      () => p.i(rv.fmvWX(f(), this.anyReg())),
      () => p.i(rv.fmvXW(this.pool(), f())),
      () => {
        const double = rnd.chance(0.4);
        const offset = rnd.int(-256, 255) * 8 + (rnd.chance(0.1) ? rnd.pick([2, 4]) : 0);
        if (rnd.chance(0.5)) p.i((double ? rv.fld : rv.flw)(f(), Reg.gp, offset));
        else p.i((double ? rv.fsd : rv.fsw)(f(), Reg.gp, offset));
      },
      () => p.i(rnd.pick([rv.faddS, rv.fsubS, rv.fmulS, rv.fdivS, rv.faddD, rv.fsubD, rv.fmulD, rv.fdivD])(f(), f(), f(), rm())),
      () => p.i(rnd.pick([rv.fmaddS, rv.fmsubS, rv.fnmsubS, rv.fnmaddS, rv.fmaddD, rv.fmsubD, rv.fnmsubD, rv.fnmaddD])(f(), f(), f(), f(), rm())),
      () => p.i(rnd.pick([rv.fsqrtS, rv.fsqrtD, rv.fcvtSD, rv.fcvtDS])(f(), f(), rm())),
      () => p.i(rnd.pick([rv.fsgnjS, rv.fsgnjnS, rv.fsgnjxS, rv.fminS, rv.fmaxS, rv.fsgnjD, rv.fsgnjnD, rv.fsgnjxD, rv.fminD, rv.fmaxD])(f(), f(), f())),
      () => p.i(rnd.pick([rv.fcvtWS, rv.fcvtWuS, rv.fcvtWD, rv.fcvtWuD])(this.pool(), f(), rm())),
      () => p.i(rnd.pick([rv.fcvtSW, rv.fcvtSWu, rv.fcvtDW, rv.fcvtDWu])(f(), this.anyReg(), rm())),
      () => p.i(rnd.pick([rv.feqS, rv.fltS, rv.fleS, rv.feqD, rv.fltD, rv.fleD])(this.pool(), f(), f())),
      () => p.i(rnd.pick([rv.fclassS, rv.fclassD])(this.pool(), f())),
      () => p.i(rnd.chance(0.5) ? csrr(this.pool(), rnd.pick([Csr.FFLAGS, Csr.FRM, Csr.FCSR])) : csrrw(this.pool(), rnd.pick([Csr.FFLAGS, Csr.FRM, Csr.FCSR]), this.anyReg())),
    ];
    rnd.pick(choices)();
  }

  // ---------------------------------------------------------------- operands

  private pool(): number {
    return this.rnd.pick(POOL);
  }

  private poolNonZero(): number {
    return this.rnd.pick(POOL.slice(1));
  }

  private anyReg(): number {
    return this.rnd.int(0, 31);
  }

  private anyNonZeroReg(): number {
    return this.rnd.int(1, 31);
  }

  private imm12(): number {
    return this.rnd.chance(0.2) ? this.rnd.pick([0, 1, -1, 2047, -2048]) : this.rnd.int(-2048, 2047);
  }

  private value(): number {
    return this.rnd.chance(0.3) ? this.rnd.pick(EDGE_VALUES) : this.rnd.u32() | 0;
  }
}

/** A 32-bit branch encoder that refuses offsets beyond its 4 KiB reach (asm.ts would wrap them silently). */
function inRange(make: (rs1: number, rs2: number, off: number) => number): (rs1: number, rs2: number, off: number) => number {
  return (rs1, rs2, off) => {
    if (off < -4096 || off > 4094) throw new Error(`generated branch offset ${off} is out of reach`);
    return make(rs1, rs2, off);
  };
}
