// The shape every translator's page function shares (see ./exit-protocol.ts and docs/jit.md): the
// parameters, the labels (an exit block, the dispatch loop, one block per leader in slot order,
// entered by a br_table on the slot), and the control helpers that branch between them. A
// translator extends it with its own instruction emission (emitBlock).
import { CODE_CHUNK_SHIFT } from '../memory.ts';
import { BLOCK_VOID, type BranchHint, FunctionBuilder, W } from './wasm.ts';

const SLOTS = 2048;

export abstract class PageFunctionEmitter {
  protected readonly f = new FunctionBuilder(3);
  // parameters: run(vbase, slot, remaining)
  protected readonly vbase = 0;
  protected readonly slotParam = 1;
  protected readonly rem = 2;
  /** The guest pc to continue at, stored into the context's NEXT_PC on the way out. */
  protected readonly npc = this.f.local();
  /** Leader slot → its index in slot order. */
  protected readonly leaderIndex = new Map<number, number>();
  /** Labels between the current code and the dispatch loop: its depth is `toLoop + nesting`. */
  private toLoop = 0;
  protected nesting = 0;
  /** The block being emitted, and whether a loop label wraps it (it branches back to its start). */
  protected current = 0;
  protected selfLoop = false;

  constructor(private readonly leaders: readonly number[]) {
    leaders.forEach((slot, i) => this.leaderIndex.set(slot, i));
  }

  /** Emit the block of the leader with this index (its budget check, its instructions, where it goes after). */
  protected abstract emitBlock(index: number): void;

  /**
   * The exit block, the dispatch loop and every leader's block: a slot that is not a leader leaves
   * without running anything. After it, the code of the exit path (write-back, return) follows.
   */
  protected emitDispatch(): void {
    const f = this.f;
    const n = this.leaders.length;
    f.block(); // $out
    f.loop(); // $dispatch
    for (let i = n - 1; i >= 0; i--) f.block();
    f.block(); // $miss
    // br_table on the slot: a leader's block, or $miss
    const table: number[] = [];
    for (let s = 0; s <= this.leaders[n - 1]; s++) {
      const k = this.leaderIndex.get(s);
      table.push(k === undefined ? 0 : k + 1);
    }
    f.get(this.slotParam).brTable(table, 0);
    f.end(); // $miss: not a leader — leave without running anything
    // inside $L0 .. $L(n-1), loop, $out: the loop is n labels out
    this.toLoop = n;
    this.nesting = 0;
    f.get(this.vbase).get(this.slotParam).i32Const(1).op(W.i32Shl).op(W.i32Add).set(this.npc);
    this.brOut();
    for (let i = 0; i < n; i++) {
      f.end(); // $L(i)
      this.toLoop = n - 1 - i;
      this.current = i;
      this.emitBlock(i);
    }
    f.end(); // loop
    f.end(); // $out
  }

  /** Wrap the current block in a loop label when it branches back to its own start (call before its code). */
  protected openSelfLoop(selfLoop: boolean): void {
    this.selfLoop = selfLoop;
    if (selfLoop) {
      this.f.loop();
      this.toLoop++;
    }
  }

  protected closeSelfLoop(): void {
    if (!this.selfLoop) return;
    this.f.end();
    this.toLoop--;
    this.selfLoop = false;
  }

  protected brOut(): void {
    this.f.br(this.toLoop + this.nesting + 1);
  }

  protected brLoop(): void {
    this.f.br(this.toLoop + this.nesting);
  }

  protected if(type = BLOCK_VOID, hint?: BranchHint): void {
    this.f.if(type, hint);
    this.nesting++;
  }

  protected end(): void {
    this.f.end();
    this.nesting--;
  }

  /**
   * Push 1 when the byte at the address in local `address` lies in a chunk some core decoded code
   * from (the address space's code-chunk map at arena offset `codeChunks`: a word per 4 KiB page,
   * a bit per chunk), else 0.
   */
  protected codeChunkBit(address: number, codeChunks: number): void {
    this.f.get(address).i32Const(12).op(W.i32ShrU).i32Const(2).op(W.i32Shl).mem(W.i32Load, 2, codeChunks);
    this.f.get(address).i32Const(CODE_CHUNK_SHIFT).op(W.i32ShrU).op(W.i32ShrU).i32Const(1).op(W.i32And);
  }

  /** Leave with the budget left plus `giveBack` steps not taken, continuing at vbase + `offset`. */
  protected exitAt(offset: number, giveBack: number): void {
    this.f.get(this.vbase).i32Const(offset).op(W.i32Add).set(this.npc);
    this.giveBack(giveBack);
    this.brOut();
  }

  protected giveBack(steps: number): void {
    if (steps !== 0) this.f.get(this.rem).i32Const(steps).op(W.i32Add).set(this.rem);
  }

  /** Go to `slot` of this page: a leader (directly when it is the block's own loop or later, else through the dispatch), or leave. */
  protected jumpToSlot(slot: number, giveBack: number): void {
    const target = slot < SLOTS ? this.leaderIndex.get(slot) : undefined;
    if (target === undefined) {
      this.exitAt(slot << 1, giveBack);
      return;
    }
    this.giveBack(giveBack);
    if (target === this.current && this.selfLoop) {
      // the block's own start (a tight loop): the loop label around it
      this.f.br(this.nesting);
    } else if (target > this.current) {
      // a later leader: its code follows the end of its block, which encloses this code
      this.f.br(target - this.current - 1 + this.nesting + (this.selfLoop ? 1 : 0));
    } else {
      this.f.i32Const(slot).set(this.slotParam);
      this.brLoop();
    }
  }
}

