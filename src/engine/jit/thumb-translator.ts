// The Thumb-2 translator: one decoded page of the Cortex-M core (its Insns, ../cpu/arm/decode.ts)
// into one WebAssembly function that retires exactly the instructions the interpreter would.
//
// The shape is the RV32 translator's (./rv32-translator.ts; the contract is ./exit-protocol.ts):
// leaders from the entries the core saw and the branch targets in the page, one basic block per
// leader, a br_table dispatch loop, whole blocks taken from the budget at each leader, registers in
// locals. What is ARM's own:
//   - N, Z, C and V live in four locals (0 or 1), computed as the interpreter computes them; the
//     context holds them packed (N << 3 | Z << 2 | C << 1 | V, the core's run() local) at
//     THUMB_CTX.FLAGS, written back at every exit and before every helper.
//   - Compiled code runs only outside IT blocks (the core enters it with ITSTATE zero), so every
//     16-bit "S outside IT" form sets the flags, and IT itself ends a block.
//   - No call in hot code: what an instruction cannot do in line (a load or store that misses the
//     RAM windows or is unaligned, a store into decoded code, a divide by zero, an interworking BX
//     the code cannot take, the system instructions: MRS, MSR, CPS, WFI, exclusive accesses...)
//     makes compiled code leave before the instruction, and the interpreter runs it; unless the
//     interpreter has taken a slow path at that instruction (ThumbPageToTranslate.slowPath), where
//     it is expected: there compiled code calls a helper. (A call clobbers every machine register:
//     with one anywhere in a loop's function, even on a cold path, V8 keeps the loop's values in
//     memory.) Instructions that always go elsewhere (SVC, TBB/TBH, BKPT, UDF) always leave before.
//   - The helper `exec(pc, remaining)` runs an instruction the way the interpreter's slow path does
//     (the core's execute()). It says through STATUS whether execution goes on in line (STATUS_OK)
//     or leaves: STATUS_TRAPPED (the instruction faulted; NEXT_PC is the handler) or
//     STATUS_ATTENTION (it retired but the core must look before the next one: a branch, an
//     interrupt to take, sleep, this page's code changed; NEXT_PC is where to go on).
//   - A store marked slow into a chunk holding decoded code calls `codeWritten`, which tells every
//     core; when this page's code is gone, compiled code leaves after the store.

import { AddrMode, Kind, Op, SetFlags, Shift, type Insn } from '../cpu/arm/decode.ts';
import { CTX_ARCH_FIELDS, CTX_NEXT_PC, CTX_STATUS } from './exit-protocol.ts';
import { BLOCK_VOID, BranchHint, I32, I64, ModuleBuilder, W } from './wasm.ts';
import { PageFunctionEmitter } from './page-function.ts';

const PAGE_SIZE = 4096;
const ALL_REGISTERS: readonly number[] = Array.from({ length: 16 }, (_, r) => r);
const SLOTS = PAGE_SIZE >>> 1;
/** i64 opcodes ./wasm.ts does not name. */
const I64_ADD = 0x7c;
const I64_SHL = 0x86;
const I64_OR = 0x84;

/** Hart context words of the Cortex-M core: r0..r15 at 0, the packed flags, then its RAM windows. */
export const THUMB_CTX = {
  FLAGS: 16,
  /** The load windows (the core's two last RAM mappings for loads) and the store window: base address, bytes (0: closed), arena offset. */
  LD_BASE: CTX_ARCH_FIELDS,
  LD_SIZE: CTX_ARCH_FIELDS + 1,
  LD_OFF: CTX_ARCH_FIELDS + 2,
  LD2_BASE: CTX_ARCH_FIELDS + 3,
  LD2_SIZE: CTX_ARCH_FIELDS + 4,
  LD2_OFF: CTX_ARCH_FIELDS + 5,
  ST_BASE: CTX_ARCH_FIELDS + 6,
  ST_SIZE: CTX_ARCH_FIELDS + 7,
  ST_OFF: CTX_ARCH_FIELDS + 8,
} as const;

export interface ThumbPageToTranslate {
  /** The page's address. */
  readonly base: number;
  /** The instruction at `slot`, decoding it first when its bytes can be fetched without a fault; undefined otherwise. */
  insn(slot: number): Insn | undefined;
  /** Slots execution entered the page at. */
  readonly entries: Iterable<number>;
  /**
   * Slots where the interpreter ran the instruction through its slow path for a reason other than a
   * load or store opening its RAM window (a device, a fault, memory outside the windows, a store into
   * decoded code, a system instruction, a divide by zero...), nonzero, or none. Those call the exec
   * helper when they cannot run in line; everywhere else compiled code leaves before such an
   * instruction (the interpreter runs it), so the hot code holds no call. (A call clobbers every
   * machine register: with one anywhere in a loop's function, even on a cold path, V8 keeps the
   * loop's values in memory.)
   */
  readonly slowPath?: Uint8Array;
}

export interface ThumbTranslationConfig {
  /** Arena byte offset of the hart context. */
  readonly context: number;
  /** Arena byte offset of the address space's code-chunk map. */
  readonly codeChunks: number;
  /**
   * What cannot be done in line calls the helper everywhere, as where the interpreter took a slow
   * path: the core's RAM is (partly) outside the guest arena, where compiled code's windows never
   * reach, and leaving compiled code at each access there would cost more than the call.
   */
  readonly helperAtEveryAccess?: boolean;
}

export interface ThumbTranslation {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** 1 for every slot the function can be entered at (a leader). */
  readonly leaders: Uint8Array;
  readonly instructions: number;
}

/**
 * How an instruction is compiled: in line ('alu', 'load', 'store'), as a branch, through the exec
 * helper where the interpreter took a slow path there, else leaving before it ('exec'; 'exit', always
 * leaving before it, when it always transfers control), or not at all (undefined: the block
 * ends before it and the interpreter runs it).
 */
type Treatment = 'alu' | 'load' | 'store' | 'multiple' | 'dual' | 'branch' | 'bx' | 'exec' | 'exit' | 'it';

const LOGIC: ReadonlySet<number> = new Set<number>([Op.AND, Op.EOR, Op.ORR, Op.ORN, Op.BIC, Op.MOV, Op.MVN, Op.TST, Op.TEQ]);
const ARITH: ReadonlySet<number> = new Set<number>([Op.ADD, Op.ADC, Op.SUB, Op.SBC, Op.RSB, Op.CMP, Op.CMN]);
/** Data-processing ops that only set flags (their rd field is not a destination). */
const COMPARE: ReadonlySet<number> = new Set<number>([Op.TST, Op.TEQ, Op.CMP, Op.CMN]);
const OTHER_ALU: ReadonlySet<number> = new Set<number>([
  Op.MOVT, Op.MUL, Op.MLA, Op.MLS, Op.UMULL, Op.SMULL, Op.UMLAL, Op.SMLAL, Op.UDIV, Op.SDIV, Op.BFI, Op.BFC, Op.UBFX, Op.SBFX,
  Op.CLZ, Op.RBIT, Op.REV, Op.REV16, Op.REVSH, Op.SXTB, Op.SXTH, Op.UXTB, Op.UXTH, Op.NOP, Op.BARRIER,
]);
const LOADS: ReadonlySet<number> = new Set<number>([Op.LOAD, Op.LDR_IMM, Op.LDR_REG, Op.LDRB_IMM, Op.LDR_WB]);
const STORES: ReadonlySet<number> = new Set<number>([Op.STORE, Op.STR_IMM, Op.STR_REG, Op.STRB_IMM, Op.STR_WB]);
/** Instructions that never go on to the next one: compiled code leaves before them, the interpreter runs them. */
const EXEC_EXITS: ReadonlySet<number> = new Set<number>([Op.TBB, Op.TBH, Op.SVC, Op.UDF, Op.UNDEFINED, Op.NOCP, Op.BKPT]);
/** Instructions the exec helper runs (the core's execute() handles them fully). */
const EXEC: ReadonlySet<number> = new Set<number>([
  Op.LDM, Op.STM, Op.LDRD, Op.STRD, Op.LDREX, Op.STREX, Op.MRS, Op.MSR, Op.CPS, Op.WFI, Op.WFE, ...EXEC_EXITS,
]);

/** Whether a data-processing op writes r13 word-aligned, as the interpreter does (MOV, ADD... to sp). */
function alignsSp(op: number): boolean {
  return (LOGIC.has(op) || ARITH.has(op)) && !COMPARE.has(op);
}

function treatmentOf(insn: Insn): Treatment | undefined {
  const op = insn.op;
  if (LOGIC.has(op) || ARITH.has(op)) return !COMPARE.has(op) && insn.rd === 15 ? undefined : 'alu';
  if (OTHER_ALU.has(op)) {
    if (insn.rd === 15 || ((op === Op.UMULL || op === Op.SMULL || op === Op.UMLAL || op === Op.SMLAL) && insn.ra === 15)) return undefined;
    // a field past bit 31 is UNDEFINED: the interpreter's execute() takes the fault
    if ((op === Op.UBFX || op === Op.SBFX) && insn.shiftN + insn.imm > 32) return 'exit';
    return 'alu';
  }
  if (LOADS.has(op)) return insn.rd === 15 ? 'exit' : insn.unprivileged ? 'exec' : 'load';
  if (STORES.has(op)) return insn.unprivileged ? 'exec' : 'store';
  if (op === Op.B || op === Op.BL || op === Op.CBZ || op === Op.CBNZ) return 'branch';
  if (op === Op.BX || op === Op.BLX) return 'bx';
  if ((op === Op.LDM || op === Op.STM) && insn.list !== 0) return 'multiple';
  if ((op === Op.LDRD || op === Op.STRD) && insn.rd !== 15 && insn.ra !== 15 && (insn.rn !== 15 || insn.mode === AddrMode.LITERAL)) return 'dual';
  if (EXEC_EXITS.has(op)) return 'exit';
  if (EXEC.has(op)) return 'exec';
  if (op === Op.IT) return 'it'; // when its whole block compiles (itGroup)
  return undefined; // SSAT/USAT, SEV, CLREX: the interpreter
}

/** Does the instruction always transfer control (no fall-through to the next one)? */
function transfers(insn: Insn, treatment: Treatment): boolean {
  if (treatment === 'exit' || treatment === 'bx') return true;
  if (treatment === 'multiple') return insn.op === Op.LDM && (insn.list & 0x8000) !== 0;
  return treatment === 'branch' && (insn.op === Op.BL || (insn.op === Op.B && insn.cond >= 14));
}

interface Block {
  leader: number;
  slots: number[];
  /** Where execution goes after the last instruction when it falls through (slot; SLOTS: off the page). */
  fallthrough: number;
  transfers: boolean;
}

/** The instruction at `slot` and its treatment, or undefined when the block must end before it. */
function compiled(page: ThumbPageToTranslate, slot: number): { insn: Insn; treatment: Treatment } | undefined {
  const insn = page.insn(slot);
  if (insn === undefined) return undefined;
  if (slot + (insn.len >>> 1) > SLOTS) return undefined; // ends on the next page
  const treatment = treatmentOf(insn);
  if (treatment === 'it' && itGroup(page, slot) === undefined) return undefined;
  return treatment === undefined ? undefined : { insn, treatment };
}

/** ITSTATE after an instruction of an IT block (ARMv7-M ITAdvance; 0 after the last). */
function itAdvance(state: number): number {
  return (state & 7) === 0 ? 0 : (state & 0xe0) | ((state << 1) & 0x1f);
}

/**
 * The slots of the instructions an IT at `slot` makes conditional, when compiled code can run them
 * all: data processing that cannot fault or leave (no divide, no write to the pc), and, last, a
 * B, BL or BX. Anything else (a load or store, whose slow path would need the IT state): undefined,
 * and the interpreter runs the IT block.
 */
function itGroup(page: ThumbPageToTranslate, slot: number): number[] | undefined {
  let state = page.insn(slot)!.list & 0xff;
  const group: number[] = [];
  let s = slot + 1;
  while (state !== 0) {
    // (never past the page: asking for a slot there would decode the next page's bytes into this one's end markers)
    if (s >= SLOTS) return undefined;
    const insn = page.insn(s);
    if (insn === undefined || s + (insn.len >>> 1) > SLOTS) return undefined;
    const treatment = treatmentOf(insn);
    const last = (state & 7) === 0;
    const fits = treatment === 'alu'
      ? insn.op !== Op.UDIV && insn.op !== Op.SDIV
      : last && ((treatment === 'branch' && (insn.op === Op.B || insn.op === Op.BL)) || treatment === 'bx');
    if (!fits) return undefined;
    group.push(s);
    s += insn.len >>> 1;
    state = itAdvance(state);
  }
  return group;
}

function branchTarget(page: ThumbPageToTranslate, insn: Insn): number {
  return (insn.imm - page.base) | 0;
}

function discover(page: ThumbPageToTranslate): Block[] {
  const leaders = new Set<number>();
  const work: number[] = [];
  const addLeader = (slot: number) => {
    if (slot < 0 || slot >= SLOTS || leaders.has(slot)) return;
    leaders.add(slot);
    work.push(slot);
  };
  for (const entry of page.entries) addLeader(entry);
  while (work.length !== 0) {
    let slot = work.pop()!;
    while (slot < SLOTS) {
      const c = compiled(page, slot);
      if (c === undefined) break;
      let insn = c.insn;
      let treatment = c.treatment;
      let next = slot + (insn.len >>> 1);
      if (treatment === 'it') {
        // the IT block as one unit: what follows its last instruction
        const group = itGroup(page, slot)!;
        const last = group[group.length - 1];
        insn = page.insn(last)!;
        treatment = treatmentOf(insn)!;
        next = last + (insn.len >>> 1);
        if (treatment === 'branch' || treatment === 'bx') {
          // conditional: it may fall through
          if (treatment === 'branch') {
            const target = branchTarget(page, insn);
            if (target >= 0 && target < PAGE_SIZE) addLeader(target >> 1);
          }
          addLeader(next);
          break;
        }
        slot = next;
        if (leaders.has(slot)) break;
        continue;
      }
      if (treatment === 'branch') {
        const target = branchTarget(page, insn);
        if (target >= 0 && target < PAGE_SIZE) addLeader(target >> 1);
        if (!transfers(insn, treatment) || insn.op === Op.BL) addLeader(next); // after a branch, and the return point of a call
        break;
      }
      if (transfers(insn, treatment)) {
        if (insn.op === Op.BLX) addLeader(next);
        break;
      }
      slot = next;
      if (leaders.has(slot)) break;
    }
  }
  const blocks: Block[] = [];
  for (const leader of [...leaders].sort((a, b) => a - b)) {
    const slots: number[] = [];
    let slot = leader;
    let ends = false;
    while (slot < SLOTS) {
      const c = compiled(page, slot);
      if (c === undefined) break;
      if (c.treatment === 'it') {
        // an IT block is compiled whole or not at all: not when a leader falls inside it (entered there, the interpreter runs that instruction unconditionally)
        const group = itGroup(page, slot)!;
        if (group.some((s) => leaders.has(s))) break;
        slots.push(slot, ...group);
        const last = page.insn(group[group.length - 1])!;
        slot = group[group.length - 1] + (last.len >>> 1);
        const lastTreatment = treatmentOf(last);
        if (lastTreatment === 'branch' || lastTreatment === 'bx') break;
        if (leaders.has(slot)) break;
        continue;
      }
      slots.push(slot);
      const next = slot + (c.insn.len >>> 1);
      slot = next;
      if (c.treatment === 'branch' || transfers(c.insn, c.treatment)) {
        ends = transfers(c.insn, c.treatment);
        break;
      }
      if (leaders.has(slot)) break;
    }
    if (slots.length !== 0) blocks.push({ leader, slots, fallthrough: slot, transfers: ends });
  }
  return blocks;
}

/** Translate the page, or undefined when none of its entries starts compilable code. */
export function translateThumbPage(page: ThumbPageToTranslate, config: ThumbTranslationConfig): ThumbTranslation | undefined {
  const blocks = discover(page);
  if (blocks.length === 0) return undefined;
  return new ThumbEmitter(page, config, blocks).emit();
}

class ThumbEmitter extends PageFunctionEmitter {
  private readonly module = new ModuleBuilder(65536);
  private readonly helperExec: number;
  private readonly helperCodeWritten: number;
  private readonly regLocal = new Int32Array(16).fill(-1);
  private readonly written = new Set<number>();
  private readonly n: number;
  private readonly z: number;
  private readonly c: number;
  private readonly v: number;
  private readonly addr: number;
  private readonly ptr: number;
  private readonly t1: number;
  private readonly t2: number;
  private readonly t3: number;
  private readonly sc: number;
  private readonly s1: number;
  private readonly s2: number;
  private readonly wide: number;
  private readonly win: number[] = [];
  private instructions = 0;
  /** ITSTATE for the next instruction while an IT block's instructions are emitted (0 outside one). */
  private itState = 0;
  /** The instruction being emitted is inside an IT block (its 16-bit "S outside IT" form sets no flags). */
  private inIt = false;

  constructor(
    private readonly page: ThumbPageToTranslate,
    private readonly config: ThumbTranslationConfig,
    private readonly blocks: Block[],
  ) {
    super(blocks.map((b) => b.leader));
    const m = this.module;
    this.helperExec = m.importFunction('exec', m.type([I32, I32], []));
    this.helperCodeWritten = m.importFunction('codeWritten', m.type([I32, I32], [I32]));
    const f = this.f;
    const use = (r: number) => {
      if (this.regLocal[r] < 0) this.regLocal[r] = f.local();
    };
    for (const block of blocks) {
      for (const slot of block.slots) {
        const insn = page.insn(slot)!;
        const treatment = treatmentOf(insn)!;
        if (treatment === 'exec' || treatment === 'exit' || treatment === 'it') continue; // the helper reads and writes the context; IT writes nothing
        for (const r of [insn.rd, insn.rn, insn.rm, insn.ra]) use(r);
        if (treatment === 'multiple') for (let r = 0; r < 16; r++) if ((insn.list & (1 << r)) !== 0) use(r);
        use(15);
        use(14);
        for (const r of destinations(insn, treatment)) this.written.add(r);
        if (insn.readsPc) this.written.add(15);
      }
    }
    this.n = f.local();
    this.z = f.local();
    this.c = f.local();
    this.v = f.local();
    this.addr = f.local();
    this.ptr = f.local();
    this.t1 = f.local();
    this.t2 = f.local();
    this.t3 = f.local();
    this.sc = f.local();
    this.s1 = f.local();
    this.s2 = f.local();
    this.wide = f.local(I64);
    for (let i = 0; i < 9; i++) this.win.push(f.local());
  }

  emit(): ThumbTranslation {
    const f = this.f;
    this.reload();
    this.emitDispatch();
    this.writeBack();
    f.i32Const(0).get(this.npc).mem(W.i32Store, 2, this.config.context + 4 * CTX_NEXT_PC);
    f.get(this.rem);
    const m = this.module;
    m.exportFunction('run', m.addFunction(m.type([I32, I32, I32], [I32]), f));
    const leaders = new Uint8Array(SLOTS);
    for (const block of this.blocks) leaders[block.leader] = 1;
    return { bytes: m.encode(), leaders, instructions: this.instructions };
  }

  // ------------------------------------------------------------------ context

  private ctxLoad(word: number): void {
    this.f.i32Const(0).mem(W.i32Load, 2, this.config.context + 4 * word);
  }

  /** Registers, flags and windows from the context (at entry and after a helper). */
  private reload(): void {
    this.reloadRegisters(ALL_REGISTERS, true);
  }

  /** Some registers (those a helper's instruction may have written), the flags when asked, and the windows, from the context. */
  private reloadRegisters(registers: readonly number[], flags: boolean): void {
    const f = this.f;
    for (const r of registers) {
      if (this.regLocal[r] < 0) continue;
      this.ctxLoad(r);
      f.set(this.regLocal[r]);
    }
    if (flags) {
      this.ctxLoad(THUMB_CTX.FLAGS);
      f.tee(this.t1).i32Const(3).op(W.i32ShrU).set(this.n);
      f.get(this.t1).i32Const(2).op(W.i32ShrU).i32Const(1).op(W.i32And).set(this.z);
      f.get(this.t1).i32Const(1).op(W.i32ShrU).i32Const(1).op(W.i32And).set(this.c);
      f.get(this.t1).i32Const(1).op(W.i32And).set(this.v);
    }
    for (let i = 0; i < 9; i++) {
      this.ctxLoad(THUMB_CTX.LD_BASE + i);
      f.set(this.win[i]);
    }
  }

  /** Registers compiled code changed, and the flags, into the context (before a helper and at exit). */
  private writeBack(): void {
    const f = this.f;
    const ctx = this.config.context;
    for (const r of this.written) f.i32Const(0).get(this.regLocal[r]).mem(W.i32Store, 2, ctx + 4 * r);
    f.i32Const(0);
    f.get(this.n).i32Const(3).op(W.i32Shl).get(this.z).i32Const(2).op(W.i32Shl).op(W.i32Or);
    f.get(this.c).i32Const(1).op(W.i32Shl).op(W.i32Or).get(this.v).op(W.i32Or);
    f.mem(W.i32Store, 2, ctx + 4 * THUMB_CTX.FLAGS);
  }

  // ------------------------------------------------------------------ control (as ./rv32-translator.ts)

  private else(): void {
    this.f.else();
  }

  /** A branch to the absolute address `target`: in the page through the dispatch, else leave. */
  private branchTo(target: number, giveBack: number): void {
    const offset = (target - this.page.base) | 0;
    if (offset >= 0 && offset < PAGE_SIZE) this.jumpToSlot(offset >> 1, giveBack);
    else this.exitAt(offset, giveBack);
  }

  private reg(r: number): void {
    this.f.get(this.regLocal[r]);
  }

  private setReg(r: number): void {
    this.f.set(this.regLocal[r]);
  }

  /**
   * Run the instruction at `offset` through the core's exec helper; leave unless it says to go on.
   * Leaving, the context is already right (the locals were written back before the call, and the
   * helper wrote what the instruction or its exception changed, NEXT_PC and the flags), so the
   * function returns at once; going on, it reloads only what the instruction may have changed
   * (`changes`: registers, undefined for all of them and the flags) and the windows.
   */
  private exec(offset: number, after: number, changes?: readonly number[]): void {
    const f = this.f;
    this.writeBack();
    f.get(this.vbase).i32Const(offset).op(W.i32Add).get(this.rem).i32Const(after).op(W.i32Add).call(this.helperExec);
    this.ctxLoad(CTX_STATUS);
    f.if(BLOCK_VOID, BranchHint.UNLIKELY);
    f.get(this.rem);
    if (after !== 0) f.i32Const(after).op(W.i32Add);
    f.op(W.return);
    f.end();
    this.reloadRegisters(changes ?? ALL_REGISTERS, changes === undefined);
  }

  /** Did the interpreter take a slow path at `offset` (ThumbPageToTranslate.slowPath)? */
  private slowAt(offset: number): boolean {
    return this.config.helperAtEveryAccess === true || (this.page.slowPath !== undefined && this.page.slowPath[offset >> 1] !== 0);
  }

  /**
   * What the instruction at `offset` cannot do in line: through the exec helper where the
   * interpreter took a slow path there (see exec), else leave before it (the interpreter runs it and
   * the rest of the block; `after` + 1 steps go back to the budget), so the code holds no call.
   */
  private slowPathOf(offset: number, after: number, changes?: readonly number[]): void {
    if (this.slowAt(offset)) this.exec(offset, after, changes);
    else this.exitAt(offset, after + 1);
  }

  // ------------------------------------------------------------------ blocks

  protected emitBlock(index: number): void {
    const f = this.f;
    const block = this.blocks[index];
    const count = block.slots.length;
    const last = this.page.insn(block.slots[count - 1])!;
    const lastTarget = last.op === Op.B || last.op === Op.BL || last.op === Op.CBZ || last.op === Op.CBNZ ? branchTarget(this.page, last) : -1;
    this.openSelfLoop(lastTarget === block.leader << 1);
    f.get(this.rem).i32Const(count).op(W.i32LtS);
    this.if(BLOCK_VOID, BranchHint.UNLIKELY);
    this.exitAt(block.leader << 1, 0);
    this.end();
    f.get(this.rem).i32Const(count).op(W.i32Sub).set(this.rem);
    block.slots.forEach((slot, k) => this.instruction(slot, count - k - 1));
    this.instructions += count;
    this.closeSelfLoop();
    if (!block.transfers) {
      const next = this.blocks[index + 1];
      if (next === undefined || next.leader !== block.fallthrough) this.jumpToSlot(block.fallthrough, 0);
    }
  }

  private instruction(slot: number, after: number): void {
    const insn = this.page.insn(slot)!;
    if (insn.op === Op.IT) {
      // retires and does nothing else: the instructions it covers follow in this block (itGroup), each under its condition
      this.itState = insn.list & 0xff;
      return;
    }
    if (this.itState === 0) {
      this.plainInstruction(slot, after);
      return;
    }
    const cond = this.itState >>> 4;
    this.itState = itAdvance(this.itState);
    this.inIt = true;
    if (cond < 14) {
      this.condition(cond);
      this.if();
      this.plainInstruction(slot, after);
      this.end();
    } else {
      this.plainInstruction(slot, after);
    }
    this.inIt = false;
  }

  private plainInstruction(slot: number, after: number): void {
    const insn = this.page.insn(slot)!;
    const treatment = treatmentOf(insn)!;
    const offset = slot << 1;
    const f = this.f;
    if (treatment === 'exit') {
      // it always goes somewhere else: the interpreter runs it (through the helper, compiled code would leave after it anyway)
      this.exitAt(offset, after + 1);
      return;
    }
    if (treatment === 'exec') {
      this.slowPathOf(offset, after);
      return;
    }
    // an instruction that names r15 reads its own address + 4 (the interpreter sets r15 so)
    if (insn.readsPc) f.get(this.vbase).i32Const(offset + 4).op(W.i32Add).set(this.regLocal[15]);
    switch (treatment) {
      case 'alu':
        return this.alu(insn, offset, after);
      case 'load':
        return this.load(insn, offset, after);
      case 'store':
        return this.store(insn, offset, after);
      case 'multiple':
        return this.multiple(insn, offset, after);
      case 'dual':
        return this.dual(insn, offset, after);
      case 'branch':
        return this.branch(insn, offset, after);
      case 'bx':
        return this.bx(insn, offset, after);
    }
  }

  private branch(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    switch (insn.op) {
      case Op.BL:
        f.get(this.vbase).i32Const((offset + insn.len) | 1).op(W.i32Add).set(this.regLocal[14]);
        this.branchTo(insn.imm, after);
        return;
      case Op.CBZ:
      case Op.CBNZ:
        this.reg(insn.rn);
        if (insn.op === Op.CBZ) f.op(W.i32Eqz);
        this.if();
        this.branchTo(insn.imm, after);
        this.end();
        return;
      default:
        if (insn.cond >= 14) {
          this.branchTo(insn.imm, after);
          return;
        }
        this.condition(insn.cond);
        this.if();
        this.branchTo(insn.imm, after);
        this.end();
    }
  }

  /** Push 1 when condition `cond` (0-13) holds for the flag locals, else 0. */
  private condition(cond: number): void {
    const f = this.f;
    switch (cond >>> 1) {
      case 0: f.get(this.z); break;
      case 1: f.get(this.c); break;
      case 2: f.get(this.n); break;
      case 3: f.get(this.v); break;
      case 4: f.get(this.c).get(this.z).op(W.i32Eqz).op(W.i32And); break; // HI
      case 5: f.get(this.n).get(this.v).op(W.i32Eq); break; // GE
      default: f.get(this.z).op(W.i32Eqz).get(this.n).get(this.v).op(W.i32Eq).op(W.i32And); break; // GT
    }
    if ((cond & 1) !== 0) f.op(W.i32Eqz);
  }

  /** BX/BLX: a Thumb target that is not an EXC_RETURN value in line; anything else through the helper. */
  private bx(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    this.reg(insn.rm);
    f.tee(this.t1).i32Const(1).op(W.i32And);
    f.get(this.t1).i32Const(28).op(W.i32ShrU).i32Const(0xf).op(W.i32Ne).op(W.i32And);
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    if (insn.op === Op.BLX) f.get(this.vbase).i32Const((offset + 2) | 1).op(W.i32Add).set(this.regLocal[14]);
    f.get(this.t1).i32Const(-2).op(W.i32And).tee(this.npc).get(this.vbase).op(W.i32Sub).tee(this.t2).i32Const(PAGE_SIZE).op(W.i32LtU);
    this.if();
    this.giveBack(after);
    f.get(this.t2).i32Const(1).op(W.i32ShrU).set(this.slotParam);
    this.brLoop();
    this.end();
    this.giveBack(after);
    this.brOut();
    this.end();
    if (this.slowAt(offset)) {
      this.exec(offset, after);
      this.exitAt(offset + insn.len, after);
    } else {
      this.exitAt(offset, after + 1);
    }
  }

  // ------------------------------------------------------------------ data processing

  /**
   * Push operand2 of a data-processing instruction. With `carry`, the shifter's carry out goes to
   * local sc (C itself when the shift leaves it unchanged).
   */
  private operand2(insn: Insn, carry: boolean): void {
    const f = this.f;
    if (insn.kind === Kind.IMM) {
      f.i32Const(insn.imm);
      if (carry) {
        if (insn.immCarry >= 0) f.i32Const(insn.immCarry);
        else f.get(this.c);
        f.set(this.sc);
      }
      return;
    }
    if (insn.kind === Kind.REG) {
      this.shiftConst(insn.rm, insn.shiftType, insn.shiftN, carry);
      return;
    }
    this.shiftRegister(insn.rm, insn.ra, insn.shiftType, carry);
  }

  /** Shift_C of register rm by a constant (DecodeImmShift's types and amounts). */
  private shiftConst(rm: number, type: number, n: number, carry: boolean): void {
    const f = this.f;
    const m = () => this.reg(rm);
    if (n === 0) {
      m();
      if (carry) f.get(this.c).set(this.sc);
      return;
    }
    switch (type) {
      case Shift.LSL:
        if (carry) { m(); f.i32Const(32 - n).op(W.i32ShrU).i32Const(1).op(W.i32And).set(this.sc); }
        m(); f.i32Const(n).op(W.i32Shl);
        return;
      case Shift.LSR:
        if (carry) { m(); f.i32Const(n - 1).op(W.i32ShrU).i32Const(1).op(W.i32And).set(this.sc); }
        if (n >= 32) f.i32Const(0);
        else { m(); f.i32Const(n).op(W.i32ShrU); }
        return;
      case Shift.ASR:
        if (carry) { m(); f.i32Const(Math.min(n, 32) - 1).op(W.i32ShrU).i32Const(1).op(W.i32And).set(this.sc); }
        m(); f.i32Const(Math.min(n, 31)).op(W.i32ShrS);
        return;
      case Shift.ROR:
        m(); f.i32Const(n).op(W.i32Rotr);
        if (carry) f.tee(this.t3).i32Const(31).op(W.i32ShrU).set(this.sc).get(this.t3);
        return;
      default: // RRX
        if (carry) { m(); f.i32Const(1).op(W.i32And).set(this.sc); }
        f.get(this.c).i32Const(31).op(W.i32Shl);
        m(); f.i32Const(1).op(W.i32ShrU).op(W.i32Or);
    }
  }

  /** Shift_C of register rm by the low byte of register rs (CortexM.shift's rules, amounts of 32 and more included). */
  private shiftRegister(rm: number, rs: number, type: number, carry: boolean): void {
    const f = this.f;
    const amount = this.s1;
    const value = this.s2;
    this.reg(rs);
    f.i32Const(0xff).op(W.i32And).set(amount);
    this.reg(rm);
    f.set(value);
    // the carry out for a non-zero amount into sc (wasm shifts take the amount modulo 32)
    switch (type) {
      case Shift.LSL:
        if (carry) {
          f.get(value).i32Const(32).get(amount).op(W.i32Sub).op(W.i32ShrU).i32Const(1).op(W.i32And);
          f.i32Const(0).get(amount).i32Const(32).op(W.i32LeU).op(W.select).set(this.sc);
        }
        f.get(value).get(amount).op(W.i32Shl).i32Const(0).get(amount).i32Const(32).op(W.i32LtU).op(W.select);
        break;
      case Shift.LSR:
        if (carry) {
          f.get(value).get(amount).i32Const(1).op(W.i32Sub).op(W.i32ShrU).i32Const(1).op(W.i32And);
          f.i32Const(0).get(amount).i32Const(32).op(W.i32LeU).op(W.select).set(this.sc);
        }
        f.get(value).get(amount).op(W.i32ShrU).i32Const(0).get(amount).i32Const(32).op(W.i32LtU).op(W.select);
        break;
      case Shift.ASR:
        if (carry) {
          f.get(value).get(amount).i32Const(32).get(amount).i32Const(32).op(W.i32LtU).op(W.select).i32Const(1).op(W.i32Sub).op(W.i32ShrU).i32Const(1).op(W.i32And).set(this.sc);
        }
        f.get(value).get(amount).i32Const(31).get(amount).i32Const(31).op(W.i32LtU).op(W.select).op(W.i32ShrS);
        break;
      default: // ROR
        f.get(value).get(amount).op(W.i32Rotr);
        if (carry) f.tee(this.s2).i32Const(31).op(W.i32ShrU).set(this.sc).get(this.s2);
        break;
    }
    // an amount of 0 leaves C as it is (the value is unchanged by every form above)
    if (carry) f.get(this.c).get(this.sc).get(amount).op(W.i32Eqz).op(W.select).set(this.sc);
  }

  private setNZ(result: number): void {
    const f = this.f;
    f.get(result).i32Const(31).op(W.i32ShrU).set(this.n);
    f.get(result).op(W.i32Eqz).set(this.z);
  }

  /** Pop the value into rd (r13 word-aligned when the op does so in the interpreter). */
  private setDest(insn: Insn): void {
    if (insn.rd === 13 && alignsSp(insn.op)) this.f.i32Const(-4).op(W.i32And);
    this.setReg(insn.rd);
  }

  private alu(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    const op = insn.op;
    // outside IT blocks, the "outside IT" forms set them too
    const setsFlags = this.inIt ? insn.setFlags === SetFlags.ALWAYS : insn.setFlags !== SetFlags.NEVER;
    const result = this.t1;
    if (LOGIC.has(op)) {
      const shifterCarry = setsFlags && !(insn.kind === Kind.REG && insn.shiftN === 0 && insn.shiftType === Shift.LSL);
      if (op === Op.MOV || op === Op.MVN) {
        this.operand2(insn, shifterCarry);
        if (op === Op.MVN) f.i32Const(-1).op(W.i32Xor);
      } else {
        this.reg(insn.rn);
        this.operand2(insn, shifterCarry);
        switch (op) {
          case Op.AND: case Op.TST: f.op(W.i32And); break;
          case Op.EOR: case Op.TEQ: f.op(W.i32Xor); break;
          case Op.ORR: f.op(W.i32Or); break;
          case Op.ORN: f.i32Const(-1).op(W.i32Xor).op(W.i32Or); break;
          default: f.i32Const(-1).op(W.i32Xor).op(W.i32And); break; // BIC
        }
      }
      f.set(result);
      if (setsFlags) {
        this.setNZ(result);
        if (shifterCarry) f.get(this.sc).set(this.c);
      }
      if (!COMPARE.has(op)) {
        f.get(result);
        this.setDest(insn);
      }
      return;
    }
    if (ARITH.has(op)) {
      const x = this.t2;
      const y = this.t3;
      // AddWithCarry(x, y, carry in), as the interpreter forms x and y
      this.reg(insn.rn);
      if (op === Op.RSB) f.i32Const(-1).op(W.i32Xor);
      f.set(x);
      this.operand2(insn, false);
      if (op === Op.SBC || op === Op.SUB || op === Op.CMP) f.i32Const(-1).op(W.i32Xor);
      f.set(y);
      f.get(x).get(y).op(W.i32Add);
      if (op === Op.ADC || op === Op.SBC) f.get(this.c).op(W.i32Add);
      else if (op === Op.RSB || op === Op.SUB || op === Op.CMP) f.i32Const(1).op(W.i32Add);
      f.set(result);
      if (setsFlags) {
        this.setNZ(result);
        if (op === Op.SUB || op === Op.CMP) {
          // no borrow: a >= b unsigned (y is ~b)
          f.get(x).get(y).i32Const(-1).op(W.i32Xor).op(W.i32GeU).set(this.c);
        } else {
          f.get(x).get(y).op(W.i32And).get(x).get(y).op(W.i32Or).get(result).i32Const(-1).op(W.i32Xor).op(W.i32And).op(W.i32Or).i32Const(31).op(W.i32ShrU).set(this.c);
        }
        f.get(x).get(result).op(W.i32Xor).get(y).get(result).op(W.i32Xor).op(W.i32And).i32Const(31).op(W.i32ShrU).set(this.v);
      }
      if (!COMPARE.has(op)) {
        f.get(result);
        this.setDest(insn);
      }
      return;
    }
    const r = (reg: number) => this.reg(reg);
    switch (op) {
      case Op.NOP:
      case Op.BARRIER:
        return;
      case Op.MOVT:
        r(insn.rd); f.i32Const(0xffff).op(W.i32And).i32Const(insn.imm << 16).op(W.i32Or);
        break;
      case Op.MUL:
        r(insn.rn); r(insn.rm); f.op(W.i32Mul).set(result);
        if (setsFlags) this.setNZ(result);
        f.get(result);
        break;
      case Op.MLA:
        r(insn.rn); r(insn.rm); f.op(W.i32Mul); r(insn.ra); f.op(W.i32Add);
        break;
      case Op.MLS:
        r(insn.ra); r(insn.rn); r(insn.rm); f.op(W.i32Mul).op(W.i32Sub);
        break;
      case Op.UMULL:
      case Op.SMULL:
      case Op.UMLAL:
      case Op.SMLAL: {
        const ext = op === Op.UMULL || op === Op.UMLAL ? W.i64ExtendI32U : W.i64ExtendI32S;
        r(insn.rn); f.op(ext); r(insn.rm); f.op(ext).op(W.i64Mul);
        if (op === Op.UMLAL || op === Op.SMLAL) {
          r(insn.ra); f.op(W.i64ExtendI32U).op(W.i64Const).op(32).op(I64_SHL);
          r(insn.rd); f.op(W.i64ExtendI32U).op(I64_OR).op(I64_ADD);
        }
        f.set(this.wide);
        f.get(this.wide).op(W.i32WrapI64);
        this.setReg(insn.rd);
        f.get(this.wide).op(W.i64Const).op(32).op(W.i64ShrU).op(W.i32WrapI64);
        this.setReg(insn.ra);
        return;
      }
      case Op.UDIV:
      case Op.SDIV:
        // by zero: the interpreter's execute() (a fault, or 0, as CCR.DIV_0_TRP says)
        r(insn.rm);
        f.op(W.i32Eqz);
        this.if(BLOCK_VOID, BranchHint.UNLIKELY);
        this.slowPathOf(offset, after, [insn.rd]);
        this.else();
        if (op === Op.SDIV) {
          // INT_MIN / -1: INT_MIN (wasm traps)
          r(insn.rn); f.i32Const(-0x8000_0000).op(W.i32Eq); r(insn.rm); f.i32Const(-1).op(W.i32Eq).op(W.i32And);
          f.if(I32);
          f.i32Const(-0x8000_0000);
          f.else();
          r(insn.rn); r(insn.rm); f.op(W.i32DivS);
          f.end();
        } else {
          r(insn.rn); r(insn.rm); f.op(W.i32DivU);
        }
        this.setReg(insn.rd);
        this.end();
        return;
      case Op.BFI:
      case Op.BFC: {
        const mask = insn.imm >= 32 ? -1 : ((1 << insn.imm) - 1) << insn.shiftN;
        r(insn.rd); f.i32Const(~mask).op(W.i32And);
        if (op === Op.BFI) { r(insn.rn); f.i32Const(insn.shiftN).op(W.i32Shl).i32Const(mask).op(W.i32And).op(W.i32Or); }
        break;
      }
      case Op.UBFX:
      case Op.SBFX: {
        const lsb = insn.shiftN;
        const width = insn.imm;
        r(insn.rn);
        if (32 - lsb - width !== 0) f.i32Const(32 - lsb - width).op(W.i32Shl);
        if (32 - width !== 0) f.i32Const(32 - width).op(op === Op.SBFX ? W.i32ShrS : W.i32ShrU);
        break;
      }
      case Op.CLZ: r(insn.rm); f.op(W.i32Clz); break;
      case Op.RBIT: {
        const t = this.t2;
        r(insn.rm); f.set(t);
        const swap = (shift: number, maskValue: number) => {
          f.get(t).i32Const(shift).op(W.i32ShrU).i32Const(maskValue).op(W.i32And);
          f.get(t).i32Const(maskValue).op(W.i32And).i32Const(shift).op(W.i32Shl).op(W.i32Or).set(t);
        };
        swap(1, 0x5555_5555);
        swap(2, 0x3333_3333);
        swap(4, 0x0f0f_0f0f);
        swap(8, 0x00ff_00ff);
        f.get(t).i32Const(16).op(W.i32Rotr);
        break;
      }
      case Op.REV: {
        const t = this.t2;
        r(insn.rm); f.set(t);
        f.get(t).i32Const(8).op(W.i32Rotr).i32Const(0xff00ff00 | 0).op(W.i32And);
        f.get(t).i32Const(8).op(W.i32Rotl).i32Const(0x00ff00ff).op(W.i32And).op(W.i32Or);
        break;
      }
      case Op.REV16: {
        const t = this.t2;
        r(insn.rm); f.set(t);
        f.get(t).i32Const(0x00ff_00ff).op(W.i32And).i32Const(8).op(W.i32Shl);
        f.get(t).i32Const(8).op(W.i32ShrU).i32Const(0x00ff_00ff).op(W.i32And).op(W.i32Or);
        break;
      }
      case Op.REVSH: {
        const t = this.t2;
        r(insn.rm); f.set(t);
        f.get(t).i32Const(24).op(W.i32Shl).i32Const(16).op(W.i32ShrS);
        f.get(t).i32Const(8).op(W.i32ShrU).i32Const(0xff).op(W.i32And).op(W.i32Or);
        break;
      }
      case Op.SXTB:
      case Op.SXTH:
      case Op.UXTB:
      case Op.UXTH:
        r(insn.rm);
        if (insn.shiftN !== 0) f.i32Const(insn.shiftN).op(W.i32Rotr);
        if (op === Op.SXTB) f.op(W.i32Extend8S);
        else if (op === Op.SXTH) f.op(W.i32Extend16S);
        else f.i32Const(op === Op.UXTB ? 0xff : 0xffff).op(W.i32And);
        break;
      default:
        throw new Error(`thumb translator: op ${op} has no translation`);
    }
    this.setReg(insn.rd);
  }

  // ------------------------------------------------------------------ loads and stores

  /** The address into local addr; the base's write-back value into t2 (when the mode writes back). */
  private address(insn: Insn): void {
    const f = this.f;
    switch (insn.mode) {
      case AddrMode.OFFSET:
        this.reg(insn.rn); f.i32Const(insn.imm).op(W.i32Add).set(this.addr);
        break;
      case AddrMode.PRE:
        this.reg(insn.rn); f.i32Const(insn.imm).op(W.i32Add).tee(this.addr).set(this.t2);
        break;
      case AddrMode.POST:
        this.reg(insn.rn); f.tee(this.addr).i32Const(insn.imm).op(W.i32Add).set(this.t2);
        break;
      case AddrMode.REG:
        this.reg(insn.rn); this.reg(insn.rm);
        if (insn.shiftN !== 0) f.i32Const(insn.shiftN).op(W.i32Shl);
        f.op(W.i32Add).set(this.addr);
        break;
      default: // LITERAL
        f.i32Const(insn.imm).set(this.addr);
    }
  }

  private writesBack(insn: Insn): boolean {
    return insn.mode === AddrMode.PRE || insn.mode === AddrMode.POST;
  }

  /** Push 1 when the bytes addr .. addr + `last` lie in window (base, size locals), else 0; addr - base goes to `temp`. */
  private inWindow(base: number, size: number, temp: number, last: number): void {
    const f = this.f;
    f.get(this.addr).get(base).op(W.i32Sub).tee(temp).get(size).op(W.i32LtU);
    if (last !== 0) f.get(temp).i32Const(last).op(W.i32Add).get(size).op(W.i32LtU).op(W.i32And);
  }

  /** Push the arena address of addr when the bytes addr .. addr + `last` lie in window (base, size, offset locals), else what `otherwise` pushes, selecting between them. */
  private windowPointer(base: number, size: number, offset: number, temp: number, last: number, otherwise: () => void): void {
    const f = this.f;
    f.get(this.addr).get(base).op(W.i32Sub).tee(temp).get(offset).op(W.i32Add);
    otherwise();
    f.get(temp).get(size).op(W.i32LtU);
    if (last !== 0) f.get(temp).i32Const(last).op(W.i32Add).get(size).op(W.i32LtU).op(W.i32And);
    f.op(W.select);
  }

  /**
   * Push the arena address of addr when the bytes addr .. addr + `last` lie in one window a load may
   * read through, else -1: the store window first (most loads read writable RAM, the stack and the
   * data, while literal loads from flash keep moving it among the load windows), then the two load
   * windows. Uses t1 and t3.
   */
  private loadPointer(last: number): void {
    const f = this.f;
    const [ldBase, ldSize, ldOff, ld2Base, ld2Size, ld2Off, stBase, stSize, stOff] = this.win;
    this.inWindow(stBase, stSize, this.t1, last);
    f.if(I32);
    f.get(this.t1).get(stOff).op(W.i32Add);
    f.else();
    this.windowPointer(ldBase, ldSize, ldOff, this.t1, last, () => this.windowPointer(ld2Base, ld2Size, ld2Off, this.t3, last, () => f.i32Const(-1)));
    f.end();
  }

  /** Push the arena address of addr when the bytes addr .. addr + `last` lie in the store window, else -1. Uses t1. */
  private storePointer(last: number): void {
    const [, , , , , , stBase, stSize, stOff] = this.win;
    this.windowPointer(stBase, stSize, stOff, this.t1, last, () => this.f.i32Const(-1));
  }

  private load(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    const size = insn.size;
    this.address(insn);
    this.loadPointer(0);
    f.tee(this.ptr).i32Const(-1).op(W.i32Ne);
    if (size > 1) f.get(this.addr).i32Const(size - 1).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    f.get(this.ptr);
    if (size === 4) f.mem(W.i32Load, 2);
    else if (size === 2) f.mem(insn.signed ? W.i32Load16S : W.i32Load16U, 1);
    else f.mem(insn.signed ? W.i32Load8S : W.i32Load8U, 0);
    f.set(this.t1);
    if (this.writesBack(insn)) { f.get(this.t2); this.setReg(insn.rn); }
    f.get(this.t1);
    this.setReg(insn.rd);
    this.else();
    this.slowPathOf(offset, after, [insn.rd, insn.rn]);
    this.end();
  }

  private store(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    const size = insn.size;
    this.address(insn);
    this.storePointer(0);
    f.tee(this.ptr).i32Const(-1).op(W.i32Ne);
    if (size > 1) f.get(this.addr).i32Const(size - 1).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    const slow = this.slowAt(offset);
    // (aligned, the bytes lie in one code chunk)
    if (!slow) this.notIntoCode(0, 0);
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    f.get(this.ptr);
    this.reg(insn.rd);
    f.mem(size === 4 ? W.i32Store : size === 2 ? W.i32Store16 : W.i32Store8, size === 4 ? 2 : size === 2 ? 1 : 0);
    if (this.writesBack(insn)) { f.get(this.t2); this.setReg(insn.rn); }
    if (slow) this.tellCodeWritten(0, 0, size, offset + insn.len, after);
    this.else();
    this.slowPathOf(offset, after, [insn.rn]);
    this.end();
  }

  /**
   * And (with the condition on the stack) the bytes at addr + `first` and addr + `last` lie in no
   * code chunk: a store into bytes some core decoded as code leaves before itself where the
   * interpreter took no slow path (see slowPathOf; it marks such a store). Uses t1.
   */
  private notIntoCode(first: number, last: number): void {
    this.codeChunkBits(first, last);
    this.f.op(W.i32Eqz).op(W.i32And);
  }

  /** Push nonzero when the byte at addr + `first` or addr + `last` lies in a chunk holding decoded code. Uses t1. */
  private codeChunkBits(first: number, last: number): void {
    const f = this.f;
    const chunkBit = (extra: number) => {
      f.get(this.addr);
      if (extra !== 0) f.i32Const(extra).op(W.i32Add);
      f.set(this.t1);
      this.codeChunkBit(this.t1, this.config.codeChunks);
    };
    chunkBit(first);
    if (last !== first) {
      chunkBit(last);
      f.op(W.i32Or);
    }
  }

  /**
   * After a store of `bytes` at addr where the interpreter took a slow path: when the bytes at
   * addr + `first` or addr + `last` hold decoded code, tell the cores (the codeWritten helper), and
   * leave (on at `next`) if this page's code went.
   */
  private tellCodeWritten(first: number, last: number, bytes: number, next: number, after: number): void {
    const f = this.f;
    this.codeChunkBits(first, last);
    this.if(BLOCK_VOID, BranchHint.UNLIKELY);
    this.writeBack();
    f.get(this.addr).i32Const(bytes).call(this.helperCodeWritten);
    this.if();
    this.exitAt(next, after);
    this.end();
    this.end();
  }

  /**
   * LDRD/STRD: both words inside one window and the address word-aligned, as the interpreter's fast
   * path (the base written back first, then the two registers); else the exec helper.
   */
  private dual(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    const load = insn.op === Op.LDRD;
    this.address(insn);
    // both words (the address is checked word-aligned below)
    if (load) this.loadPointer(4);
    else this.storePointer(4);
    f.tee(this.ptr).i32Const(-1).op(W.i32Ne).get(this.addr).i32Const(3).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    const slow = this.slowAt(offset);
    // into decoded code: the first or the last word's chunk (as the interpreter's storeTouchesCode)
    if (!load && !slow) this.notIntoCode(0, 7);
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    if (load) {
      f.get(this.ptr).mem(W.i32Load, 2, 0).set(this.t1);
      f.get(this.ptr).mem(W.i32Load, 2, 4).set(this.t3);
      if (this.writesBack(insn)) { f.get(this.t2); this.setReg(insn.rn); }
      f.get(this.t1);
      this.setReg(insn.rd);
      f.get(this.t3);
      this.setReg(insn.ra);
    } else {
      f.get(this.ptr);
      this.reg(insn.rd);
      f.mem(W.i32Store, 2, 0);
      f.get(this.ptr);
      this.reg(insn.ra);
      f.mem(W.i32Store, 2, 4);
      if (this.writesBack(insn)) { f.get(this.t2); this.setReg(insn.rn); }
      if (slow) this.tellCodeWritten(0, 7, 8, offset + insn.len, after);
    }
    this.else();
    this.slowPathOf(offset, after, [insn.rd, insn.ra, insn.rn]);
    this.end();
  }

  /**
   * LDM/STM (PUSH/POP): the whole block of words inside one window, aligned, as the interpreter's
   * fast path; else the exec helper. A POP into the pc branches in line when the value is a Thumb
   * address that is not an EXC_RETURN value (it is checked before any register changes).
   */
  private multiple(insn: Insn, offset: number, after: number): void {
    const f = this.f;
    const list = insn.list;
    const regs: number[] = [];
    for (let r = 0; r < 16; r++) if ((list & (1 << r)) !== 0) regs.push(r);
    const count = regs.length;
    const load = insn.op === Op.LDM;
    this.reg(insn.rn);
    if (insn.decrement) f.i32Const(4 * count).op(W.i32Sub);
    f.set(this.addr);
    // the arena address of the first word, or -1: every word (from the first to the last word's start) in one window
    if (load) this.loadPointer(4 * count - 4);
    else this.storePointer(4 * count - 4);
    f.tee(this.ptr).i32Const(-1).op(W.i32Ne).get(this.addr).i32Const(3).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    const toPc = load && (list & 0x8000) !== 0;
    const slow = this.slowAt(offset);
    // stores into decoded code: the first or the last word's chunk (as the interpreter's storeTouchesCode)
    if (!load && !slow) this.notIntoCode(0, 4 * count - 1);
    if (toPc) {
      // and the value for the pc is a Thumb address, not EXC_RETURN (read only when the words are in the window)
      f.if(I32);
      f.get(this.ptr).mem(W.i32Load, 2, 4 * (count - 1)).tee(this.t2).i32Const(1).op(W.i32And);
      f.get(this.t2).i32Const(28).op(W.i32ShrU).i32Const(0xf).op(W.i32Ne).op(W.i32And);
      f.else();
      f.i32Const(0);
      f.end();
    }
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    if (load) {
      if (insn.writeBack && (list & (1 << insn.rn)) === 0) {
        this.reg(insn.rn);
        f.i32Const(insn.decrement ? -4 * count : 4 * count).op(W.i32Add);
        this.setReg(insn.rn);
      }
      regs.forEach((r, i) => {
        if (r === 15) return;
        f.get(this.ptr).mem(W.i32Load, 2, 4 * i);
        this.setReg(r);
      });
    } else {
      regs.forEach((r, i) => {
        f.get(this.ptr);
        this.reg(r);
        f.mem(W.i32Store, 2, 4 * i);
      });
      if (insn.writeBack) {
        this.reg(insn.rn);
        f.i32Const(insn.decrement ? -4 * count : 4 * count).op(W.i32Add);
        this.setReg(insn.rn);
      }
      if (slow) this.tellCodeWritten(0, 4 * count - 1, 4 * count, offset + insn.len, after);
    }
    if (toPc) {
      f.get(this.t2).i32Const(-2).op(W.i32And).tee(this.npc).get(this.vbase).op(W.i32Sub).tee(this.t1).i32Const(PAGE_SIZE).op(W.i32LtU);
      this.if();
      this.giveBack(after);
      f.get(this.t1).i32Const(1).op(W.i32ShrU).set(this.slotParam);
      this.brLoop();
      this.end();
      this.giveBack(after);
      this.brOut();
    }
    this.else();
    if (slow) {
      this.exec(offset, after, [...regs, insn.rn]);
      if (toPc) this.exitAt(offset + insn.len, after);
    } else {
      this.exitAt(offset, after + 1);
    }
    this.end();
  }
}

/** Registers an in-line instruction writes. */
function destinations(insn: Insn, treatment: Treatment): number[] {
  const out: number[] = [];
  if (treatment === 'alu') {
    if (COMPARE.has(insn.op) || insn.op === Op.NOP || insn.op === Op.BARRIER) return out;
    out.push(insn.rd);
    if (insn.op === Op.UMULL || insn.op === Op.SMULL || insn.op === Op.UMLAL || insn.op === Op.SMLAL) out.push(insn.ra);
  } else if (treatment === 'load') {
    out.push(insn.rd);
    if (insn.mode === AddrMode.PRE || insn.mode === AddrMode.POST) out.push(insn.rn);
  } else if (treatment === 'store') {
    if (insn.mode === AddrMode.PRE || insn.mode === AddrMode.POST) out.push(insn.rn);
  } else if (treatment === 'dual') {
    if (insn.op === Op.LDRD) out.push(insn.rd, insn.ra);
    if (insn.mode === AddrMode.PRE || insn.mode === AddrMode.POST) out.push(insn.rn);
  } else if (treatment === 'multiple') {
    if (insn.op === Op.LDM) for (let r = 0; r < 15; r++) if ((insn.list & (1 << r)) !== 0) out.push(r);
    if (insn.writeBack) out.push(insn.rn);
  } else if (insn.op === Op.BL || insn.op === Op.BLX) {
    out.push(14);
  }
  return out;
}
