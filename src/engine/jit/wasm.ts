// A small WebAssembly binary encoder: just what the compiling tier's translators emit (i32/i64
// integer code, linear-memory loads and stores, structured control flow, calls to imported
// helpers) and a module with one imported shared memory. Written by hand: it is the product's
// code generator, and the binary format's part it needs is small (WebAssembly core spec, chapter 5).

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export type ValueType = typeof I32 | typeof I64;

/** Block types: no result, or one i32. */
export const BLOCK_VOID = 0x40;

/** Opcodes the translators use (names as in the text format). */
export const W = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Load8S: 0x2c,
  i32Load8U: 0x2d,
  i32Load16S: 0x2e,
  i32Load16U: 0x2f,
  i32Store: 0x36,
  i32Store8: 0x3a,
  i32Store16: 0x3b,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeS: 0x4c,
  i32LeU: 0x4d,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  i32Clz: 0x67,
  i32Ctz: 0x68,
  i32Popcnt: 0x69,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32DivU: 0x6e,
  i32RemS: 0x6f,
  i32RemU: 0x70,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i32Rotl: 0x77,
  i32Rotr: 0x78,
  i64Mul: 0x7e,
  i64ShrS: 0x87,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32S: 0xac,
  i64ExtendI32U: 0xad,
  i32Extend8S: 0xc0,
  i32Extend16S: 0xc1,
} as const;

/** A growable byte buffer with the format's integer encodings. */
class Bytes {
  private data: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  length = 0;

  byte(b: number): void {
    if (this.length === this.data.length) this.grow(1);
    this.data[this.length++] = b;
  }

  append(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.data.length) this.grow(bytes.length);
    this.data.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Room for `more` bytes past the end, at least doubling. */
  private grow(more: number): void {
    const next = new Uint8Array(Math.max(this.data.length * 2, this.length + more));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^32. */
  u32(value: number): void {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? b : b | 0x80);
    } while (v !== 0);
  }

  /** Signed LEB128 of an int32. */
  s32(value: number): void {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  name(text: string): void {
    const utf8 = new TextEncoder().encode(text);
    this.u32(utf8.length);
    this.append(utf8);
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.data.slice(0, this.length);
  }
}

/**
 * Which way an `if` or `br_if` almost always goes, for the engine's code layout and register
 * allocation (the branch-hinting proposal's `metadata.code.branch_hint` section; an engine that
 * does not know it ignores it, and it never changes what the code does).
 */
export const enum BranchHint {
  UNLIKELY = 0,
  LIKELY = 1,
}

/** The body of one function: locals, then instructions appended with the emitters below. */
export class FunctionBuilder {
  private readonly code = new Bytes();
  private readonly localTypes: ValueType[] = [];
  /** Branch hints: the offset of each hinted instruction in `code`, and its hint. */
  private readonly hintOffsets: number[] = [];
  private readonly hintValues: BranchHint[] = [];
  /** Bytes of the locals' declaration before the instructions, known once encoded. */
  private localsLength = 0;

  constructor(readonly paramCount: number) {}

  /** A new local of `type`; returns its index (after the parameters). */
  local(type: ValueType = I32): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  op(opcode: number): this {
    this.code.byte(opcode);
    return this;
  }

  i32Const(value: number): this {
    this.code.byte(W.i32Const);
    this.code.s32(value);
    return this;
  }

  get(local: number): this {
    this.code.byte(W.localGet);
    this.code.u32(local);
    return this;
  }

  set(local: number): this {
    this.code.byte(W.localSet);
    this.code.u32(local);
    return this;
  }

  tee(local: number): this {
    this.code.byte(W.localTee);
    this.code.u32(local);
    return this;
  }

  /** A load or store with its memarg: alignment as log2 bytes, and a constant offset. */
  mem(opcode: number, alignLog2: number, offset = 0): this {
    this.code.byte(opcode);
    this.code.u32(alignLog2);
    this.code.u32(offset);
    return this;
  }

  block(type = BLOCK_VOID): this {
    this.code.byte(W.block);
    this.code.byte(type);
    return this;
  }

  loop(type = BLOCK_VOID): this {
    this.code.byte(W.loop);
    this.code.byte(type);
    return this;
  }

  /** `if`, with which way it almost always goes when that is known. */
  if(type = BLOCK_VOID, hint?: BranchHint): this {
    if (hint !== undefined) this.hint(hint);
    this.code.byte(W.if);
    this.code.byte(type);
    return this;
  }

  else(): this {
    return this.op(W.else);
  }

  end(): this {
    return this.op(W.end);
  }

  br(depth: number): this {
    this.code.byte(W.br);
    this.code.u32(depth);
    return this;
  }

  brIf(depth: number, hint?: BranchHint): this {
    if (hint !== undefined) this.hint(hint);
    this.code.byte(W.brIf);
    this.code.u32(depth);
    return this;
  }

  /** br_table: the value on the stack picks `depths[value]`, or `fallback` when out of range. */
  brTable(depths: readonly number[], fallback: number): this {
    this.code.byte(W.brTable);
    this.code.u32(depths.length);
    for (const d of depths) this.code.u32(d);
    this.code.u32(fallback);
    return this;
  }

  call(functionIndex: number): this {
    this.code.byte(W.call);
    this.code.u32(functionIndex);
    return this;
  }

  private hint(hint: BranchHint): void {
    this.hintOffsets.push(this.code.length);
    this.hintValues.push(hint);
  }

  /** The branch hints as (offset from the body's start, hint) pairs in order; call after encode(). */
  branchHints(): Array<[number, BranchHint]> {
    return this.hintOffsets.map((offset, i) => [this.localsLength + offset, this.hintValues[i]]);
  }

  /** The function's body as the code section holds it (size not included). */
  encode(): Uint8Array<ArrayBuffer> {
    const out = new Bytes();
    // locals, run-length encoded by type
    const groups: Array<[number, ValueType]> = [];
    for (const type of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    out.u32(groups.length);
    for (const [count, type] of groups) {
      out.u32(count);
      out.byte(type);
    }
    this.localsLength = out.length;
    out.append(this.code.bytes());
    out.byte(W.end);
    return out.bytes();
  }

  /** Bytes of instructions emitted so far. */
  get size(): number {
    return this.code.length;
  }
}

interface FunctionType {
  params: readonly ValueType[];
  results: readonly ValueType[];
}

/**
 * A module importing one shared memory ("env"."memory") and helper functions ("env"."<name>"),
 * defining functions and exporting them by name.
 */
export class ModuleBuilder {
  private readonly types: FunctionType[] = [];
  private readonly imports: Array<{ name: string; type: number }> = [];
  private readonly functions: Array<{ type: number; body: FunctionBuilder }> = [];
  private readonly exports: Array<{ name: string; index: number }> = [];

  constructor(private readonly memoryMaxPages: number) {}

  type(params: readonly ValueType[], results: readonly ValueType[]): number {
    const key = `${params.join(',')}->${results.join(',')}`;
    const found = this.types.findIndex((t) => `${t.params.join(',')}->${t.results.join(',')}` === key);
    if (found >= 0) return found;
    this.types.push({ params, results });
    return this.types.length - 1;
  }

  /** Import a host function; imports come first in the function index space, so declare them all before any function. */
  importFunction(name: string, type: number): number {
    if (this.functions.length !== 0) throw new Error('wasm: imports must be declared before functions');
    this.imports.push({ name, type });
    return this.imports.length - 1;
  }

  addFunction(type: number, body: FunctionBuilder): number {
    this.functions.push({ type, body });
    return this.imports.length + this.functions.length - 1;
  }

  exportFunction(name: string, index: number): void {
    this.exports.push({ name, index });
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out = new Bytes();
    out.append(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const section = (id: number, fill: (b: Bytes) => void) => {
      const body = new Bytes();
      fill(body);
      out.byte(id);
      out.u32(body.length);
      out.append(body.bytes());
    };
    section(1, (b) => {
      b.u32(this.types.length);
      for (const t of this.types) {
        b.byte(0x60);
        b.u32(t.params.length);
        for (const p of t.params) b.byte(p);
        b.u32(t.results.length);
        for (const r of t.results) b.byte(r);
      }
    });
    section(2, (b) => {
      b.u32(this.imports.length + 1);
      b.name('env');
      b.name('memory');
      b.byte(0x02); // memory
      b.byte(0x03); // limits: minimum, maximum, shared
      b.u32(0);
      b.u32(this.memoryMaxPages);
      for (const imp of this.imports) {
        b.name('env');
        b.name(imp.name);
        b.byte(0x00); // function
        b.u32(imp.type);
      }
    });
    section(3, (b) => {
      b.u32(this.functions.length);
      for (const f of this.functions) b.u32(f.type);
    });
    section(7, (b) => {
      b.u32(this.exports.length);
      for (const e of this.exports) {
        b.name(e.name);
        b.byte(0x00);
        b.u32(e.index);
      }
    });
    const bodies = this.functions.map((f) => f.body.encode());
    // the branch hints come before the code they describe
    const hinted = this.functions.map((f, i) => ({ index: this.imports.length + i, hints: f.body.branchHints() })).filter((f) => f.hints.length !== 0);
    if (hinted.length !== 0) {
      section(0, (b) => {
        b.name('metadata.code.branch_hint');
        b.u32(hinted.length);
        for (const { index, hints } of hinted) {
          b.u32(index);
          b.u32(hints.length);
          for (const [offset, hint] of hints) {
            b.u32(offset);
            b.u32(1);
            b.byte(hint);
          }
        }
      });
    }
    section(10, (b) => {
      b.u32(bodies.length);
      for (const body of bodies) {
        b.u32(body.length);
        b.append(body);
      }
    });
    return out.bytes();
  }
}
