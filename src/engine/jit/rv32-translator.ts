// The RV32 translator: one decoded guest page (the interpreter's slot arrays, ../cpu/riscv/decode.ts)
// into one WebAssembly function that retires exactly the instructions the interpreter would.
//
// Shape of the function (see ./exit-protocol.ts for the contract):
//   - Leaders: the slots execution can enter at (entries the core saw, branch and jump targets in
//     the page, the instruction after each branch or call). Each leader starts a basic block that
//     runs to the next leader, a branch or jump, or an instruction the tier leaves to the
//     interpreter (CSRs, system instructions, atomics, floating point...), which ends the block
//     before it.
//   - A loop around nested blocks, one per leader in slot order, entered by a br_table on the
//     slot: leader k's code follows the end of its block, so a block falls through into the next
//     leader's code. Jumps inside the page set the slot and branch back to the loop.
//   - At each leader: if the budget left is smaller than the block, return before it (the
//     interpreter runs the rest one instruction at a time); else take the whole block from the
//     budget. A helper that stops mid-block gives back the part not run, so the budget, instret and
//     the step count seen by devices are exact.
//   - Guest registers in locals; loads and stores hit the RAM windows in the context (the
//     interpreter's last RAM mapping for loads and for stores, when it is in the arena) inline,
//     and call a helper otherwise. A store into a chunk that holds decoded code tells the core,
//     and leaves the function if this page's code changed.

import { Op } from '../cpu/riscv/decode.ts';
import { CTX_ARCH_FIELDS, CTX_NEXT_PC, CTX_STATUS, STATUS_ATTENTION, STATUS_TRAPPED } from './exit-protocol.ts';
import { BLOCK_VOID, BranchHint, I32, ModuleBuilder, W } from './wasm.ts';
import { PageFunctionEmitter } from './page-function.ts';

const PAGE_SIZE = 4096;
const SLOTS = PAGE_SIZE >>> 1;

/** Hart context words of the RV32 core: x0..x31 at 0 (word 32 absorbs writes to x0), then its RAM windows. */
export const RV32_CTX = {
  LD_BASE: CTX_ARCH_FIELDS,
  LD_SIZE: CTX_ARCH_FIELDS + 1,
  LD_OFF: CTX_ARCH_FIELDS + 2,
  ST_BASE: CTX_ARCH_FIELDS + 3,
  ST_SIZE: CTX_ARCH_FIELDS + 4,
  ST_OFF: CTX_ARCH_FIELDS + 5,
} as const;

export interface Rv32PageToTranslate {
  readonly words: Int32Array;
  readonly imms: Int32Array;
  /** Decode an UNDECODED slot (the interpreter's decoder: it also marks the bytes as code). */
  decode(slot: number): void;
  /** Slots execution entered the page at. */
  readonly entries: Iterable<number>;
  /**
   * Slots where another compiled function of the page is entered (1), or none: this function does
   * not compile code from there on, and a jump or fall-through to one leaves it (the core enters
   * the other function), so a new entry compiles only the code the page's functions lack.
   */
  readonly compiledElsewhere?: Uint8Array;
  /**
   * Halfwords that changed while compiled code held them, again and again (self-modifying code),
   * nonzero, or none: an instruction over one is left to the interpreter, so the next change there
   * drops no compiled code.
   */
  readonly rewritten?: Uint8Array;
  /**
   * Slots where the interpreter saw a load or store take its slow path (a device, memory outside
   * the RAM windows, a store into decoded code), nonzero, or none. Those call a helper on a window
   * miss; every other load and store leaves the function before itself on a miss (the interpreter
   * runs it), so the hot code holds no call. (A call clobbers every machine register: with one in a
   * loop, even on a cold path, V8 keeps the loop's values in memory — Chromium's CRC ran 20% slower.)
   */
  readonly slowAccess?: Uint8Array;
}

export interface Rv32TranslationConfig {
  /** Arena byte offset of the hart context. */
  readonly context: number;
  /** Arena byte offset of the address space's code-chunk map. */
  readonly codeChunks: number;
  /** 2 without the C extension (jump targets must be 4-byte aligned), 0 with it. */
  readonly ialignMask: number;
  /**
   * Every load and store calls a helper on a window miss, as at a slow access: the hart's RAM is
   * (partly) outside the guest arena, where compiled code's windows never reach, and leaving the
   * function at each such access would cost more than the call.
   */
  readonly helperAtEveryAccess?: boolean;
}

export interface Rv32Translation {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** 1 for every halfword slot whose bytes compiled code depends on: a store there drops the function. */
  readonly covered: Uint8Array;
  readonly leaders: number;
  /** 1 for every slot compiled code can be entered at. */
  readonly entrySlots: Uint8Array;
  readonly instructions: number;
}

type Kind = 'alu' | 'load' | 'store' | 'branch' | 'jal' | 'jalr';

function kindOf(op: number): Kind | undefined {
  if (op >= Op.BEQ && op <= Op.BGEU) return 'branch';
  if (op >= Op.LB && op <= Op.LHU) return 'load';
  if (op >= Op.SB && op <= Op.SW) return 'store';
  if (op === Op.JAL) return 'jal';
  if (op === Op.JALR) return 'jalr';
  if (COMPILED_ALU.has(op)) return 'alu';
  return undefined;
}

const COMPILED_ALU: ReadonlySet<number> = new Set<number>([
  Op.LUI, Op.AUIPC, Op.ADDI, Op.SLTI, Op.SLTIU, Op.XORI, Op.ORI, Op.ANDI, Op.SLLI, Op.SRLI, Op.SRAI,
  Op.ADD, Op.SUB, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.SRA, Op.OR, Op.AND, Op.FENCE,
  Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU,
  Op.SH1ADD, Op.SH2ADD, Op.SH3ADD, Op.ANDN, Op.ORN, Op.XNOR, Op.CLZ, Op.CTZ, Op.CPOP,
  Op.MAX, Op.MAXU, Op.MIN, Op.MINU, Op.SEXT_B, Op.SEXT_H, Op.ZEXT_H, Op.ROL, Op.ROR, Op.RORI,
  Op.BCLR, Op.BCLRI, Op.BEXT, Op.BEXTI, Op.BINV, Op.BINVI, Op.BSET, Op.BSETI,
]);

interface Block {
  leader: number;
  /** Slots of the block's instructions, in order. */
  slots: number[];
  /** Where execution goes after the last instruction when it falls through (slot; SLOTS: off the page). */
  fallthrough: number;
  /** The block ends with a branch or jump that always transfers (no fall-through). */
  transfers: boolean;
}

/** The page's instruction at `slot` is compiled (decoding it first); its kind, or undefined when the interpreter must run it. */
function compiledKind(page: Rv32PageToTranslate, slot: number, ialignMask: number): Kind | undefined {
  if ((page.words[slot] & 0xff) === Op.UNDECODED) page.decode(slot);
  const w = page.words[slot];
  const op = w & 0xff;
  const kind = kindOf(op);
  if (kind === undefined) return undefined;
  const len = w >>> 24;
  if (slot + (len >>> 1) > SLOTS) return undefined;
  const rewritten = page.rewritten;
  if (rewritten !== undefined && (rewritten[slot] !== 0 || (len === 4 && rewritten[slot + 1] !== 0))) return undefined;
  // a jump or branch whose target the hart cannot fetch traps when taken: the interpreter does that
  if ((kind === 'jal' || kind === 'branch') && ((slot << 1) + page.imms[slot]) & ialignMask) return undefined;
  return kind;
}

/** Leaders and basic blocks reachable from the entries, or none. */
function discover(page: Rv32PageToTranslate, ialignMask: number): Block[] {
  const leaders = new Set<number>();
  const work: number[] = [];
  const elsewhere = page.compiledElsewhere;
  const entries = new Set(page.entries);
  /** Code from `slot` on belongs to another function of the page (not when it is one of this function's entries). */
  const stop = (slot: number) => elsewhere !== undefined && elsewhere[slot] !== 0 && !entries.has(slot);
  const addLeader = (slot: number) => {
    if (slot < 0 || slot >= SLOTS || leaders.has(slot) || stop(slot)) return;
    leaders.add(slot);
    work.push(slot);
  };
  for (const entry of entries) addLeader(entry);
  // first pass: follow every leader to find more (targets, fall-throughs)
  while (work.length !== 0) {
    let slot = work.pop()!;
    while (slot < SLOTS) {
      const kind = compiledKind(page, slot, ialignMask);
      if (kind === undefined) break;
      const w = page.words[slot];
      const next = slot + (w >>> 25);
      if (kind === 'branch' || kind === 'jal') {
        const target = (slot << 1) + page.imms[slot];
        if (target >= 0 && target < PAGE_SIZE) addLeader(target >> 1);
        addLeader(next); // after a branch, and the return point of a call
        break;
      }
      if (kind === 'jalr') {
        addLeader(next);
        break;
      }
      slot = next;
      if (leaders.has(slot) || stop(slot)) break;
    }
  }
  const sorted = [...leaders].sort((a, b) => a - b);
  const blocks: Block[] = [];
  for (const leader of sorted) {
    const slots: number[] = [];
    let slot = leader;
    let transfers = false;
    while (slot < SLOTS) {
      const kind = compiledKind(page, slot, ialignMask);
      if (kind === undefined) break;
      slots.push(slot);
      const next = slot + (page.words[slot] >>> 25);
      if (kind === 'branch' || kind === 'jal' || kind === 'jalr') {
        transfers = kind !== 'branch';
        slot = next;
        break;
      }
      slot = next;
      if (leaders.has(slot) || stop(slot)) break;
    }
    if (slots.length !== 0) blocks.push({ leader, slots, fallthrough: slot, transfers });
  }
  return blocks;
}

/** Translate the page, or undefined when none of its entries starts compilable code. */
export function translateRv32Page(page: Rv32PageToTranslate, config: Rv32TranslationConfig): Rv32Translation | undefined {
  const blocks = discover(page, config.ialignMask);
  if (blocks.length === 0) return undefined;
  return new Rv32Emitter(page, config, blocks).emit();
}

class Rv32Emitter extends PageFunctionEmitter {
  private readonly module = new ModuleBuilder(65536);
  private readonly helperLoad: number;
  private readonly helperStore: number;
  private readonly helperCodeWritten: number;
  // locals
  private readonly regLocal = new Int32Array(33).fill(-1);
  private readonly written = new Set<number>();
  private readonly addr: number;
  private readonly off: number;
  private readonly value: number;
  private readonly ldBase: number;
  private readonly ldSize: number;
  private readonly ldOff: number;
  private readonly stBase: number;
  private readonly stSize: number;
  private readonly stOff: number;
  private readonly covered = new Uint8Array(SLOTS);
  private instructions = 0;

  constructor(
    private readonly page: Rv32PageToTranslate,
    private readonly config: Rv32TranslationConfig,
    private readonly blocks: Block[],
  ) {
    super(blocks.map((b) => b.leader));
    const m = this.module;
    this.helperLoad = m.importFunction('load', m.type([I32, I32, I32, I32], [I32]));
    this.helperStore = m.importFunction('store', m.type([I32, I32, I32, I32, I32], []));
    this.helperCodeWritten = m.importFunction('codeWritten', m.type([I32, I32], [I32]));
    const f = this.f;
    for (const block of blocks) {
      for (const slot of block.slots) {
        const w = page.words[slot];
        const rd = (w >>> 8) & 63;
        const rs1 = (w >>> 14) & 31;
        const rs2 = (w >>> 19) & 31;
        for (const r of [rd, rs1, rs2]) if (r !== 0 && r !== 32 && this.regLocal[r] < 0) this.regLocal[r] = f.local();
        if (rd !== 32 && rd !== 0 && writesRd(w & 0xff)) this.written.add(rd);
      }
    }
    this.addr = f.local();
    this.off = f.local();
    this.value = f.local();
    this.ldBase = f.local();
    this.ldSize = f.local();
    this.ldOff = f.local();
    this.stBase = f.local();
    this.stSize = f.local();
    this.stOff = f.local();
  }

  emit(): Rv32Translation {
    const f = this.f;
    const ctx = this.config.context;
    for (let r = 1; r < 32; r++) if (this.regLocal[r] >= 0) f.i32Const(0).mem(W.i32Load, 2, ctx + 4 * r).set(this.regLocal[r]);
    this.reloadWindows();
    this.emitDispatch();
    this.writeBack();
    f.i32Const(0).get(this.npc).mem(W.i32Store, 2, ctx + 4 * CTX_NEXT_PC);
    f.get(this.rem);
    const m = this.module;
    m.exportFunction('run', m.addFunction(m.type([I32, I32, I32], [I32]), f));
    const entrySlots = new Uint8Array(SLOTS);
    for (const block of this.blocks) entrySlots[block.leader] = 1;
    return { bytes: m.encode(), covered: this.covered, leaders: this.blocks.length, entrySlots, instructions: this.instructions };
  }

  // ------------------------------------------------------------------ control helpers

  private reg(r: number): void {
    if (r === 0) this.f.i32Const(0);
    else this.f.get(this.regLocal[r]);
  }

  /** Pop the value on the stack into rd (x0's sink drops it). */
  private setReg(rd: number): void {
    if (rd === 32 || rd === 0) this.f.op(W.drop);
    else this.f.set(this.regLocal[rd]);
  }

  private writeBack(): void {
    const ctx = this.config.context;
    for (const r of this.written) this.f.i32Const(0).get(this.regLocal[r]).mem(W.i32Store, 2, ctx + 4 * r);
  }

  private reloadWindows(): void {
    const f = this.f;
    const ctx = this.config.context;
    const field = (word: number, local: number) => f.i32Const(0).mem(W.i32Load, 2, ctx + 4 * word).set(local);
    field(RV32_CTX.LD_BASE, this.ldBase);
    field(RV32_CTX.LD_SIZE, this.ldSize);
    field(RV32_CTX.LD_OFF, this.ldOff);
    field(RV32_CTX.ST_BASE, this.stBase);
    field(RV32_CTX.ST_SIZE, this.stSize);
    field(RV32_CTX.ST_OFF, this.stOff);
  }

  /** After a helper: leave when it says so (its NEXT_PC), giving back the steps after this instruction. */
  private leaveOnStatus(match: number | undefined, giveBack: number): void {
    const f = this.f;
    f.i32Const(0).mem(W.i32Load, 2, this.config.context + 4 * CTX_STATUS);
    if (match !== undefined) f.i32Const(match).op(W.i32Eq);
    this.if(BLOCK_VOID, BranchHint.UNLIKELY);
    f.i32Const(0).mem(W.i32Load, 2, this.config.context + 4 * CTX_NEXT_PC).set(this.npc);
    this.giveBack(giveBack);
    this.brOut();
    this.end();
  }

  // ------------------------------------------------------------------ blocks

  protected emitBlock(index: number): void {
    const f = this.f;
    const block = this.blocks[index];
    const count = block.slots.length;
    // a block that branches back to its own start is a wasm loop: no dispatch per iteration
    const last = block.slots[count - 1];
    const lastKind = kindOf(this.page.words[last] & 0xff);
    this.openSelfLoop((lastKind === 'branch' || lastKind === 'jal') && (last << 1) + this.page.imms[last] === block.leader << 1);
    // budget: the whole block or nothing
    f.get(this.rem).i32Const(count).op(W.i32LtS);
    this.if(BLOCK_VOID, BranchHint.UNLIKELY);
    this.exitAt(block.leader << 1, 0);
    this.end();
    f.get(this.rem).i32Const(count).op(W.i32Sub).set(this.rem);
    block.slots.forEach((slot, k) => {
      // steps of this block after this instruction, given back if it leaves here
      const after = count - k - 1;
      this.instruction(slot, after);
    });
    this.instructions += count;
    this.closeSelfLoop();
    if (!block.transfers) {
      const next = this.blocks[index + 1];
      if (next === undefined || next.leader !== block.fallthrough) this.jumpToSlot(block.fallthrough, 0);
    }
  }

  private instruction(slot: number, after: number): void {
    const page = this.page;
    const f = this.f;
    const w = page.words[slot];
    const imm = page.imms[slot];
    const op = w & 0xff;
    const rd = (w >>> 8) & 63;
    const rs1 = (w >>> 14) & 31;
    const rs2 = (w >>> 19) & 31;
    const len = w >>> 24;
    const offset = slot << 1;
    for (let s = slot; s < slot + (len >>> 1); s++) this.covered[s] = 1;
    const kind = kindOf(op)!;
    switch (kind) {
      case 'load':
        return this.load(op, rd, rs1, imm, offset, len, after);
      case 'store':
        return this.store(op, rs1, rs2, imm, offset, len, after);
      case 'jal': {
        f.get(this.vbase).i32Const(offset + len).op(W.i32Add);
        this.setReg(rd);
        const target = offset + imm;
        if (target >= 0 && target < PAGE_SIZE) this.jumpToSlot(target >> 1, after);
        else this.exitAt(target, after);
        return;
      }
      case 'jalr': {
        this.reg(rs1);
        f.i32Const(imm).op(W.i32Add).i32Const(-2).op(W.i32And).set(this.addr);
        if (this.config.ialignMask !== 0) {
          // a target the hart cannot fetch: leave before the jump, the interpreter takes the trap
          f.get(this.addr).i32Const(this.config.ialignMask).op(W.i32And);
          this.if(BLOCK_VOID, BranchHint.UNLIKELY);
          this.exitAt(offset, after + 1);
          this.end();
        }
        f.get(this.vbase).i32Const(offset + len).op(W.i32Add);
        this.setReg(rd);
        f.get(this.addr).get(this.vbase).op(W.i32Sub).tee(this.off).i32Const(PAGE_SIZE).op(W.i32LtU);
        this.if();
        this.giveBack(after);
        f.get(this.off).i32Const(1).op(W.i32ShrU).set(this.slotParam);
        this.brLoop();
        this.end();
        f.get(this.addr).set(this.npc);
        this.giveBack(after);
        this.brOut();
        return;
      }
      case 'branch': {
        this.reg(rs1);
        this.reg(rs2);
        f.op(BRANCH_COMPARE[op - Op.BEQ]);
        this.if();
        const target = offset + imm;
        if (target >= 0 && target < PAGE_SIZE) this.jumpToSlot(target >> 1, after);
        else this.exitAt(target, after);
        this.end();
        return;
      }
      case 'alu':
        return this.alu(op, rd, rs1, rs2, imm, offset);
    }
  }

  /** The interpreter took a slow path for the access at `slot` (see Rv32PageToTranslate.slowAccess). */
  private slowAccessAt(slot: number): boolean {
    return this.config.helperAtEveryAccess === true || (this.page.slowAccess !== undefined && this.page.slowAccess[slot] !== 0);
  }

  private load(op: number, rd: number, rs1: number, imm: number, offset: number, len: number, after: number): void {
    const f = this.f;
    const size = op === Op.LW ? 4 : op === Op.LH || op === Op.LHU ? 2 : 1;
    this.reg(rs1);
    f.i32Const(imm).op(W.i32Add).tee(this.addr).get(this.ldBase).op(W.i32Sub).tee(this.off).get(this.ldSize).op(W.i32LtU);
    if (size > 1) f.get(this.off).i32Const(size - 1).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    const [opcode, align] = LOAD_OPCODE[op - Op.LB];
    if (!this.slowAccessAt(offset >> 1)) {
      // a miss leaves before the load: the interpreter runs it, and the rest of the block
      this.if(BLOCK_VOID, BranchHint.LIKELY);
      f.get(this.ldOff).get(this.off).op(W.i32Add).mem(opcode, align);
      this.setReg(rd);
      f.else();
      this.exitAt(offset, after + 1);
      this.end();
      return;
    }
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    f.get(this.ldOff).get(this.off).op(W.i32Add);
    f.mem(opcode, align);
    f.set(this.value);
    f.else();
    this.writeBack();
    f.get(this.vbase).i32Const(offset).op(W.i32Add).get(this.rem).i32Const(after).op(W.i32Add).get(this.addr).i32Const(op | (len << 8)).call(this.helperLoad).set(this.value);
    this.leaveOnStatus(STATUS_TRAPPED, after);
    // an attention after the load: the value lands in rd, then leave
    f.i32Const(0).mem(W.i32Load, 2, this.config.context + 4 * CTX_STATUS).i32Const(STATUS_ATTENTION).op(W.i32Eq);
    this.if(BLOCK_VOID, BranchHint.UNLIKELY);
    f.get(this.value);
    this.setReg(rd);
    this.exitAt(offset + len, after);
    this.end();
    this.reloadWindows();
    this.end();
    f.get(this.value);
    this.setReg(rd);
  }

  private store(op: number, rs1: number, rs2: number, imm: number, offset: number, len: number, after: number): void {
    const f = this.f;
    const size = op === Op.SW ? 4 : op === Op.SH ? 2 : 1;
    this.reg(rs1);
    f.i32Const(imm).op(W.i32Add).tee(this.addr).get(this.stBase).op(W.i32Sub).tee(this.off).get(this.stSize).op(W.i32LtU);
    if (size > 1) f.get(this.off).i32Const(size - 1).op(W.i32And).op(W.i32Eqz).op(W.i32And);
    if (!this.slowAccessAt(offset >> 1)) {
      // a miss, or a store into bytes some hart decoded as code, leaves before the store: the interpreter runs it
      this.codeChunkBit(this.addr, this.config.codeChunks);
      f.op(W.i32Eqz).op(W.i32And);
      this.if(BLOCK_VOID, BranchHint.LIKELY);
      this.storeInWindow(size, rs2);
      f.else();
      this.exitAt(offset, after + 1);
      this.end();
      return;
    }
    this.if(BLOCK_VOID, BranchHint.LIKELY);
    this.storeInWindow(size, rs2);
    // a store into bytes some hart decoded as code: tell the core; leave if this page's code changed
    this.codeChunkBit(this.addr, this.config.codeChunks);
    this.if(BLOCK_VOID, BranchHint.UNLIKELY);
    f.get(this.addr).i32Const(size).call(this.helperCodeWritten);
    this.if();
    this.exitAt(offset + len, after);
    this.end();
    this.end();
    f.else();
    this.writeBack();
    f.get(this.vbase).i32Const(offset).op(W.i32Add).get(this.rem).i32Const(after).op(W.i32Add).get(this.addr);
    this.reg(rs2);
    f.i32Const(size | (len << 8)).call(this.helperStore);
    this.leaveOnStatus(undefined, after);
    this.reloadWindows();
    this.end();
  }

  /** Store rs2's low `size` bytes at the store window's offset `off`. */
  private storeInWindow(size: number, rs2: number): void {
    const f = this.f;
    f.get(this.stOff).get(this.off).op(W.i32Add);
    this.reg(rs2);
    f.mem(size === 4 ? W.i32Store : size === 2 ? W.i32Store16 : W.i32Store8, size === 4 ? 2 : size === 2 ? 1 : 0);
  }

  private alu(op: number, rd: number, rs1: number, rs2: number, imm: number, offset: number): void {
    const f = this.f;
    if (op === Op.FENCE) return;
    if (rd === 32 || rd === 0) return; // no effect: every compiled ALU op only writes rd
    const a = () => this.reg(rs1);
    const b = () => this.reg(rs2);
    const bin = (opcode: number, second: () => void) => {
      a();
      second();
      f.op(opcode);
    };
    const k = (v: number) => () => f.i32Const(v);
    switch (op) {
      case Op.LUI: f.i32Const(imm); break;
      case Op.AUIPC: f.get(this.vbase).i32Const(offset + imm).op(W.i32Add); break;
      case Op.ADDI: bin(W.i32Add, k(imm)); break;
      case Op.SLTI: bin(W.i32LtS, k(imm)); break;
      case Op.SLTIU: bin(W.i32LtU, k(imm)); break;
      case Op.XORI: bin(W.i32Xor, k(imm)); break;
      case Op.ORI: bin(W.i32Or, k(imm)); break;
      case Op.ANDI: bin(W.i32And, k(imm)); break;
      case Op.SLLI: bin(W.i32Shl, k(imm)); break;
      case Op.SRLI: bin(W.i32ShrU, k(imm)); break;
      case Op.SRAI: bin(W.i32ShrS, k(imm)); break;
      case Op.ADD: bin(W.i32Add, b); break;
      case Op.SUB: bin(W.i32Sub, b); break;
      case Op.SLL: bin(W.i32Shl, b); break;
      case Op.SLT: bin(W.i32LtS, b); break;
      case Op.SLTU: bin(W.i32LtU, b); break;
      case Op.XOR: bin(W.i32Xor, b); break;
      case Op.SRL: bin(W.i32ShrU, b); break;
      case Op.SRA: bin(W.i32ShrS, b); break;
      case Op.OR: bin(W.i32Or, b); break;
      case Op.AND: bin(W.i32And, b); break;
      case Op.MUL: bin(W.i32Mul, b); break;
      case Op.MULH:
      case Op.MULHSU:
      case Op.MULHU:
        a();
        f.op(op === Op.MULHU ? W.i64ExtendI32U : W.i64ExtendI32S);
        b();
        f.op(op === Op.MULH ? W.i64ExtendI32S : W.i64ExtendI32U);
        f.op(W.i64Mul).op(W.i64Const).op(32).op(W.i64ShrU).op(W.i32WrapI64);
        break;
      case Op.DIV:
        // by zero: -1; INT_MIN / -1: INT_MIN (wasm would trap on both)
        b();
        f.op(W.i32Eqz);
        f.if(I32);
        f.i32Const(-1);
        f.else();
        a();
        f.i32Const(-0x8000_0000).op(W.i32Eq);
        b();
        f.i32Const(-1).op(W.i32Eq).op(W.i32And);
        f.if(I32);
        f.i32Const(-0x8000_0000);
        f.else();
        bin(W.i32DivS, b);
        f.end();
        f.end();
        break;
      case Op.DIVU:
        b();
        f.op(W.i32Eqz);
        f.if(I32);
        f.i32Const(-1);
        f.else();
        bin(W.i32DivU, b);
        f.end();
        break;
      case Op.REM:
      case Op.REMU:
        // by zero: the dividend (wasm's rem_s of INT_MIN by -1 is 0, as RISC-V wants)
        b();
        f.op(W.i32Eqz);
        f.if(I32);
        a();
        f.else();
        bin(op === Op.REM ? W.i32RemS : W.i32RemU, b);
        f.end();
        break;
      case Op.SH1ADD:
      case Op.SH2ADD:
      case Op.SH3ADD:
        a();
        f.i32Const(op - Op.SH1ADD + 1).op(W.i32Shl);
        b();
        f.op(W.i32Add);
        break;
      case Op.ANDN: a(); b(); f.i32Const(-1).op(W.i32Xor).op(W.i32And); break;
      case Op.ORN: a(); b(); f.i32Const(-1).op(W.i32Xor).op(W.i32Or); break;
      case Op.XNOR: bin(W.i32Xor, b); f.i32Const(-1).op(W.i32Xor); break;
      case Op.CLZ: a(); f.op(W.i32Clz); break;
      case Op.CTZ: a(); f.op(W.i32Ctz); break;
      case Op.CPOP: a(); f.op(W.i32Popcnt); break;
      case Op.MAX:
      case Op.MAXU:
      case Op.MIN:
      case Op.MINU:
        a();
        b();
        a();
        b();
        f.op(op === Op.MAX ? W.i32GtS : op === Op.MAXU ? W.i32GtU : op === Op.MIN ? W.i32LtS : W.i32LtU);
        f.op(W.select);
        break;
      case Op.SEXT_B: a(); f.op(W.i32Extend8S); break;
      case Op.SEXT_H: a(); f.op(W.i32Extend16S); break;
      case Op.ZEXT_H: a(); f.i32Const(0xffff).op(W.i32And); break;
      case Op.ROL: bin(W.i32Rotl, b); break;
      case Op.ROR: bin(W.i32Rotr, b); break;
      case Op.RORI: bin(W.i32Rotr, k(imm)); break;
      case Op.BCLR: a(); f.i32Const(1); b(); f.op(W.i32Shl).i32Const(-1).op(W.i32Xor).op(W.i32And); break;
      case Op.BCLRI: a(); f.i32Const(~(1 << (imm & 31))).op(W.i32And); break;
      case Op.BEXT: a(); b(); f.op(W.i32ShrU).i32Const(1).op(W.i32And); break;
      case Op.BEXTI: a(); f.i32Const(imm & 31).op(W.i32ShrU).i32Const(1).op(W.i32And); break;
      case Op.BINV: a(); f.i32Const(1); b(); f.op(W.i32Shl).op(W.i32Xor); break;
      case Op.BINVI: a(); f.i32Const(1 << (imm & 31)).op(W.i32Xor); break;
      case Op.BSET: a(); f.i32Const(1); b(); f.op(W.i32Shl).op(W.i32Or); break;
      case Op.BSETI: a(); f.i32Const(1 << (imm & 31)).op(W.i32Or); break;
      default:
        throw new Error(`rv32 translator: op ${op} has no translation`);
    }
    this.setReg(rd);
  }
}

const BRANCH_COMPARE = [W.i32Eq, W.i32Ne, W.i32LtS, W.i32GeS, W.i32LtU, W.i32GeU];
/** LB, LH, LW, LBU, LHU: opcode and log2 alignment. */
const LOAD_OPCODE: ReadonlyArray<readonly [number, number]> = [
  [W.i32Load8S, 0],
  [W.i32Load16S, 1],
  [W.i32Load, 2],
  [W.i32Load8U, 0],
  [W.i32Load16U, 1],
];

function writesRd(op: number): boolean {
  const kind = kindOf(op);
  return kind === 'alu' || kind === 'load' || kind === 'jal' || kind === 'jalr';
}
