// When the Thumb-2 tier compiles, and how much: the policies that keep compile time paid back
// (what ./thumb-exactness.test.ts checks is that whatever it compiles retires as the interpreter).
import { describe, expect, it } from 'vitest';
import { bootThumb, DEVICE, SRAM } from './testing/thumb-cores.ts';

const HOT_LOOP = `
  .thumb_func
start:
  ldr r1, =1000000
  movs r0, #0
loop:
  adds r0, r0, r1
  eor r2, r0, r0, lsl #3
  add r0, r0, r2, lsr #5
  mov r3, r0
  subs r1, #1
  bne loop
done:
  b done
`;

describe('the Thumb-2 tier compiles hot code once', () => {
  it('does not count where a run starts as an entry: short runs that stop inside a loop do not recompile it block by block', () => {
    const b = bootThumb(HOT_LOOP, 'jit', 20);
    for (let i = 0; i < 10; i++) b.cpu.run(5000);
    expect(b.cpu.tiers.stats().compiled).toBe(1);
    // budgets that are no multiple of the loop's 6 instructions: most runs start in the middle of its block
    for (let i = 0; i < 3000; i++) b.cpu.run(7 + (i % 5));
    const stats = b.cpu.tiers.stats();
    expect(stats.compiledInstructions).toBeGreaterThan(50_000);
    expect(stats.compiled).toBe(1);
  });
});

/** A hot loop whose load hits RAM for 1000 iterations, then the device for 3000 (six instructions an iteration, five before the loop). */
const LOAD_MOVES_TO_A_DEVICE = `
  .thumb_func
start:
  ldr r3, =4000
  ldr r4, =1000
  movs r2, #0
  ldr r6, =${SRAM + 0x100}
  ldr r5, =${DEVICE}
loop:
  ldr r0, [r6]
  add r2, r2, r0
  subs r4, #1
  bne skip
  mov r6, r5
skip:
  subs r3, #1
  bne loop
done:
  b done
`;

describe('the Thumb-2 tier and slow paths', () => {
  it('compiles a load that reached a device after it was compiled once more, calling the helper there: the loop then runs compiled', () => {
    const b = bootThumb(LOAD_MOVES_TO_A_DEVICE, 'jit', 20);
    // the RAM iterations, and 100 on the device
    const firstPhase = 5 + 6 * 1100 + 1;
    while (b.cpu.instret < firstPhase) b.cpu.run(Math.min(1000, firstPhase - b.cpu.instret));
    const before = b.cpu.tiers.stats();
    // compiled without a call at the load (its slow path only opened the RAM window), then once more with one
    expect(before.compiled).toBe(2);
    const done = b.symbols.get('done');
    const instret = b.cpu.instret;
    while (b.cpu.pc !== done) b.cpu.run(1000);
    const after = b.cpu.tiers.stats();
    expect(after.compiled).toBe(2);
    // without the helper at the load, compiled code would leave before it every iteration and the interpreter run most of the loop
    expect(after.compiledInstructions - before.compiledInstructions).toBeGreaterThan(0.99 * (b.cpu.instret - instret));
    expect(b.device.length).toBe(3000);
  });
});

/** A hot loop whose only load is from the literal pool in flash, at address 0 (no load window is open before it). */
const FLASH_LITERAL_LOOP = `
  .thumb_func
start:
  ldr r1, =3000
  movs r0, #0
loop:
  ldr r2, =0x12345
  add r0, r0, r2
  subs r1, #1
  bne loop
done:
  b done
`;

/** A hot loop that switches with TBB on the count's low bits, one case an SVC (its handler on another page, counting them in SRAM). */
const SWITCH_AND_SVC_LOOP = `
  .thumb_func
start:
  ldr r1, =600
  movs r0, #0
loop:
  and r2, r1, #3
  tbb [pc, r2]
table:
  .byte (case0 - table) / 2, (case1 - table) / 2, (case2 - table) / 2, (case3 - table) / 2
case0:
  adds r0, #1
  b next
case1:
  adds r0, #2
  b next
case2:
  svc #0
  b next
case3:
  adds r0, #4
next:
  subs r1, #1
  bne loop
done:
  b done
  .balign 4096
  .thumb_func
svc_handler:
  ldr r3, =${SRAM + 0x200}
  ldr r2, [r3]
  adds r2, #1
  str r2, [r3]
  bx lr
`;

describe('the Thumb-2 tier without calls', () => {
  it('leaves compiled code before a TBB and an SVC in a hot loop instead of calling the exec helper there', () => {
    const b = bootThumb(SWITCH_AND_SVC_LOOP, 'jit', 20);
    const calls: number[] = [];
    const helpers = b.cpu['jitHelpers'];
    const exec = helpers.exec;
    helpers.exec = (...args) => {
      calls.push(args[0]);
      return exec(...args);
    };
    const done = b.symbols.get('done')!;
    while (b.cpu.pc !== done) b.cpu.run(1000);
    // the counts 600..1: low bits 0, 1 and 3 add 1, 2 and 4; 2 calls the SVC
    expect(b.cpu.r[0]).toBe(150 * (1 + 2 + 4));
    expect(new DataView(b.sram.buffer, b.sram.byteOffset).getUint32(0x200, true)).toBe(150);
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.5 * b.cpu.instret);
    // (the handler's exception return, on its own page, goes through the helper once the interpreter has run it)
    expect(calls.filter((pc) => pc >>> 12 === done >>> 12)).toEqual([]);
  });


  it('runs a loop loading from flash at address 0 compiled without calling the exec helper: the load opened its window', () => {
    const b = bootThumb(FLASH_LITERAL_LOOP, 'jit', 20);
    let calls = 0;
    const helpers = b.cpu['jitHelpers'];
    const exec = helpers.exec;
    helpers.exec = (...args) => {
      calls++;
      return exec(...args);
    };
    const done = b.symbols.get('done');
    while (b.cpu.pc !== done) b.cpu.run(1000);
    expect(b.cpu.r[0]).toBe(Math.imul(3000, 0x12345));
    expect(calls).toBe(0);
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.95 * b.cpu.instret);
  });
});

/** Three functions, each on its own page of flash, called in turn: a cache smaller than two of them must evict. */
const THREE_PAGES = `
  .thumb_func
start:
  ldr r4, =3000
  movs r0, #0
  movs r1, #0
  movs r2, #0
again:
  bl f1
  bl f2
  bl f3
  subs r4, #1
  bne again
done:
  b done
  .balign 4096
  .thumb_func
f1:
  adds r0, r0, #1
  eor r0, r0, r0, lsl #2
  bx lr
  .balign 4096
  .thumb_func
f2:
  adds r1, r1, #3
  eor r1, r1, r0, lsr #1
  bx lr
  .balign 4096
  .thumb_func
f3:
  add r2, r0, r1
  bx lr
`;

describe('the compiled-code cache of a Cortex-M core', () => {
  it("keeps at most jitCacheBytes of WebAssembly, evicting the oldest pages, and the run is the interpreter's all the same", () => {
    const interp = bootThumb(THREE_PAGES, 'interp');
    const jit = bootThumb(THREE_PAGES, 'jit', 2, 0, 2000);
    const done = jit.symbols.get('done');
    while (interp.cpu.pc !== done) interp.cpu.run(97);
    while (jit.cpu.pc !== done) jit.cpu.run(97);
    expect([...jit.cpu.r]).toEqual([...interp.cpu.r]);
    expect(jit.cpu.instret).toBe(interp.cpu.instret);
    const stats = jit.cpu.tiers.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.cachedBytes).toBeLessThanOrEqual(2000);
    expect(stats.compiledInstructions).toBeGreaterThan(0);
  });
});
