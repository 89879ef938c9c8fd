import { describe, expect, it } from 'vitest';
import { BranchHint, FunctionBuilder, I32, I64, ModuleBuilder, W } from './wasm.ts';

function instantiate(module: ModuleBuilder, memory: WebAssembly.Memory, helpers: Record<string, (...args: number[]) => number> = {}) {
  const bytes = module.encode();
  expect(WebAssembly.validate(bytes)).toBe(true);
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, ...helpers } }).exports;
}

describe('the WebAssembly encoder', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });

  it('encodes integers as LEB128: constants across the signed range come back', () => {
    const module = new ModuleBuilder(65536);
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, -8192, 0x7fffffff, -0x80000000, 0x12345678];
    const type = module.type([], [I32]);
    values.forEach((v, i) => {
      const f = new FunctionBuilder(0);
      f.i32Const(v);
      module.exportFunction(`c${i}`, module.addFunction(type, f));
    });
    const exports = instantiate(module, memory);
    values.forEach((v, i) => expect((exports[`c${i}`] as () => number)()).toBe(v | 0));
  });

  it('writes branch hints in a metadata.code.branch_hint section before the code, each at its if or br_if', () => {
    const module = new ModuleBuilder(65536);
    module.importFunction('unused', module.type([], []));
    // max(a, b) with a hinted if, and a loop whose hinted br_if leaves at once
    const f = new FunctionBuilder(2);
    const spare = f.local();
    f.block().get(0).get(1).op(W.i32Eq).brIf(0, BranchHint.UNLIKELY).end();
    f.get(0).get(1).op(W.i32GtS).if(I32, BranchHint.LIKELY).get(0).else().get(1).end().tee(spare);
    module.exportFunction('max', module.addFunction(module.type([I32, I32], [I32]), f));
    const bytes = module.encode();
    const exports = instantiate(module, memory, { unused: () => 0 });
    expect((exports.max as (a: number, b: number) => number)(3, 9)).toBe(9);
    expect((exports.max as (a: number, b: number) => number)(-3, -9)).toBe(-3);
    // the custom section: its name, one function (index 1: after the import), two hints
    const name = new TextEncoder().encode('metadata.code.branch_hint');
    const at = bytes.findIndex((_, i) => name.every((b, k) => bytes[i + k] === b));
    expect(at).toBeGreaterThan(0);
    expect(bytes[at - 1]).toBe(name.length);
    let p = at + name.length;
    expect([bytes[p++], bytes[p++], bytes[p++]]).toEqual([1, 1, 2]); // one function, index 1, two hints
    const hints: Array<[number, number]> = [];
    for (let k = 0; k < 2; k++) {
      const offset = bytes[p++];
      expect(bytes[p++]).toBe(1); // payload size
      hints.push([offset, bytes[p++]]);
    }
    expect(hints.map(([, hint]) => hint)).toEqual([BranchHint.UNLIKELY, BranchHint.LIKELY]);
    // the sections in order: the custom one right before the code section
    const ids: number[] = [];
    for (let q = 8; q < bytes.length; ) {
      ids.push(bytes[q++]);
      let size = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[q++];
        size |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      q += size;
    }
    expect(ids).toEqual([1, 2, 3, 7, 0, 10]);
    // each offset (from the body's start: its locals) is the hinted instruction
    const body = f.encode();
    expect(hints.map(([offset]) => body[offset])).toEqual([W.brIf, W.if]);
  });

  it('imports the shared memory and helpers, and runs loops, br_table, loads, stores and i64 arithmetic', () => {
    const module = new ModuleBuilder(65536);
    const helper = module.importFunction('twice', module.type([I32], [I32]));
    // sum(n): stores 1..n at [0..], sums them back through loads, adds twice(7) and mulhu(-1, -1)
    const f = new FunctionBuilder(1);
    const i = f.local();
    const sum = f.local();
    const wide = f.local(I64);
    f.block().loop();
    f.get(i).get(0).op(W.i32GeU).brIf(1);
    f.get(i).i32Const(2).op(W.i32Shl).get(i).i32Const(1).op(W.i32Add).mem(W.i32Store, 2, 16);
    f.get(sum).get(i).i32Const(2).op(W.i32Shl).mem(W.i32Load, 2, 16).op(W.i32Add).set(sum);
    f.get(i).i32Const(1).op(W.i32Add).set(i);
    f.br(0).end().end();
    f.i32Const(-1).op(W.i64ExtendI32U).i32Const(-1).op(W.i64ExtendI32U).op(W.i64Mul).set(wide);
    f.get(sum).i32Const(7).call(helper).op(W.i32Add);
    f.get(wide).op(W.i64Const).op(32).op(W.i64ShrU).op(W.i32WrapI64).op(W.i32Add).set(sum);
    // br_table: 0 → +100, 1 → +200, else nothing
    f.block().block().block().get(0).i32Const(3).op(W.i32And).brTable([0, 1], 2).end();
    f.get(sum).i32Const(100).op(W.i32Add).set(sum).br(1).end();
    f.get(sum).i32Const(200).op(W.i32Add).set(sum).end();
    f.get(sum);
    const sumIndex = module.addFunction(module.type([I32], [I32]), f);
    module.exportFunction('sum', sumIndex);
    const exports = instantiate(module, memory, { twice: (v) => 2 * v });
    // n=4: 1+2+3+4 = 10, + 14, + 0xfffffffe (mulhu) → wraps to 22; n & 3 = 0 → +100
    expect((exports.sum as (n: number) => number)(4)).toBe((10 + 14 + 0xfffffffe + 100) | 0);
    expect((exports.sum as (n: number) => number)(5)).toBe((15 + 14 + 0xfffffffe + 200) | 0);
    expect((exports.sum as (n: number) => number)(6)).toBe((21 + 14 + 0xfffffffe) | 0);
    expect(new Int32Array(memory.buffer)[4 + 2]).toBe(3);
  });

  it('refuses an import declared after a function', () => {
    const module = new ModuleBuilder(65536);
    module.addFunction(module.type([], []), new FunctionBuilder(0));
    expect(() => module.importFunction('late', 0)).toThrow(/before functions/);
  });
});
