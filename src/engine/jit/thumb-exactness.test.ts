// The exactness scenarios of #16 for the Thumb-2 tier: a fault inside compiled code, an interrupt
// raised by a device store in a hot loop, and self-modifying code, each on both tiers with the
// whole state compared after every run() of random length.
import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../state.ts';
import { bootThumb, DEVICE, type DeviceAccess, NOTHING, observable, random, SRAM, type TierCore } from './testing/thumb-cores.ts';

function bothTiers(source: string, runs: number, seed: number, maxBudget: number): [TierCore, TierCore] {
  const a = bootThumb(source, 'interp');
  const b = bootThumb(source, 'jit');
  const next = random(seed);
  for (let i = 0; i < runs; i++) {
    const budget = 1 + Math.floor(next() * maxBudget);
    const na = a.cpu.run(budget);
    const nb = b.cpu.run(budget);
    expect(observable(b, nb), `run ${i} (budget ${budget})`).toEqual(observable(a, na));
  }
  return [a, b];
}

/** A fault handler that returns past the 16-bit instruction that faulted (the stacked pc + 2). */
const SKIP_A_16_BIT_FAULT = `
  .thumb_func
fault_handler:
  ldr r0, [sp, #24]
  adds r0, #2
  str r0, [sp, #24]
  bx lr
`;

const FAULT_IN_HOT_LOOP = `
  .thumb_func
start:
  ldr r1, =500
  ldr r2, =${NOTHING}
  ldr r4, =${SRAM + 0x100}
  movs r0, #0
loop:
  adds r0, r0, r1
  str r0, [r4]
  cmp r1, #7
  bne skip
faulting:
  ldr r3, [r2]
skip:
  subs r1, #1
  bne loop
done:
  b done

${SKIP_A_16_BIT_FAULT}`;

const IRQ_FROM_A_STORE = `
  .thumb_func
start:
  ldr r0, =0xe000e100
  movs r1, #1
  str r1, [r0]
  cpsie i
  ldr r1, =400
  ldr r2, =${DEVICE}
  ldr r4, =${SRAM + 0x100}
  movs r5, #0
loop:
  adds r5, r5, r1
  cmp r1, #123
  bne quiet
  movs r3, #1
raise:
  str r3, [r2]
quiet:
  eor r5, r5, r5, lsl #1
  subs r1, #1
  bne loop
done:
  b done

  .thumb_func
irq_handler:
  ldr r0, =${DEVICE}
  movs r1, #0
  str r1, [r0]
  ldr r0, =${SRAM + 0x200}
  ldr r1, [r0]
  adds r1, #1
  str r1, [r0]
  bx lr
`;

/** Iterations of the loops below, and how many of them access RAM before the base moves to the device. */
const ITERATIONS = 1200;
const IN_RAM = 1000;

/**
 * A load and a store at fixed instructions of a hot loop that hit RAM for IN_RAM iterations (the
 * loop is compiled then) and the device afterwards: compiled code leaves before each of them on its
 * first miss, and the interpreter does the access. Seven instructions an iteration, and the move
 * to the device once.
 */
const LOAD_AND_STORE_REACH_A_DEVICE = `
  .thumb_func
start:
  ldr r3, =${ITERATIONS}
  ldr r4, =${IN_RAM}
  movs r2, #0
  ldr r6, =${SRAM + 0x100}
  ldr r5, =${DEVICE}
loop:
  ldr r0, [r6]
  str r0, [r6, #4]
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

/** A counter in RAM at 0x60000000 (mapped by the test, outside the guest arena), incremented ITERATIONS times, after a load and a store there. */
const PRIVATE_RAM_LOOP = `
  .thumb_func
start:
  ldr r3, =${ITERATIONS}
  ldr r6, =0x60000000
  @ the interpreter opens its windows on the RAM here: the loop's accesses never take its slow path
  ldr r1, [r6, #8]
  str r1, [r6, #8]
loop:
  ldr r0, [r6]
  adds r0, #1
  str r0, [r6]
  subs r3, #1
  bne loop
done:
  b done
`;

/** As LOAD_AND_STORE_REACH_A_DEVICE with a store alone (of the iteration's count): six instructions an iteration. */
const STORE_REACHES_A_DEVICE = `
  .thumb_func
start:
  ldr r3, =${ITERATIONS}
  ldr r4, =${IN_RAM}
  movs r2, #0
  ldr r6, =${SRAM + 0x100}
  ldr r5, =${DEVICE}
loop:
  str r2, [r6, #4]
  adds r2, #1
  subs r4, #1
  bne skip
  mov r6, r5
skip:
  subs r3, #1
  bne loop
done:
  b done
`;

/**
 * PUSH and POP (STMDB/LDMIA on r6) of two registers in a hot loop, in RAM for IN_RAM iterations and
 * then on the device; seven instructions an iteration, and the move to the device once.
 */
const MULTIPLE_REACH_A_DEVICE = `
  .thumb_func
start:
  ldr r3, =${ITERATIONS}
  ldr r4, =${IN_RAM}
  movs r2, #0
  ldr r6, =${SRAM + 0x108}
  ldr r5, =${DEVICE + 0x108}
loop:
  stmdb r6, {r2, r3}
  ldmdb r6, {r0, r1}
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

/** Instructions before \`loop\` in the programs above. */
const SETUP = 5;

/** TBB and TBH switches in a hot loop (compiled code leaves before each; the interpreter takes it), one case an SVC. */
const SWITCHES = `
  .thumb_func
start:
  ldr r1, =700
  movs r0, #0
loop:
  and r2, r1, #3
  tbb [pc, r2]
bytes:
  .byte (b0 - bytes) / 2, (b1 - bytes) / 2, (b2 - bytes) / 2, (b3 - bytes) / 2
b0:
  adds r0, #1
  b half
b1:
  adds r0, #2
  b half
b2:
  svc #0
  b half
b3:
  eor r0, r0, r0, lsl #3
half:
  ubfx r2, r1, #2, #1
  tbh [pc, r2, lsl #1]
halves:
  .2byte (h0 - halves) / 2, (h1 - halves) / 2
h0:
  adds r0, #5
  b next
h1:
  sub r0, r0, r1
next:
  subs r1, #1
  bne loop
done:
  b done

  .thumb_func
svc_handler:
  adds r5, #1
  bx lr
`;

/**
 * A loop copied to SRAM that rewrites the immediate of an instruction later in its own block
 * (movs r0, #n) before running it: compiled code must leave after the store and run the new one.
 */
const SELF_MODIFYING = `
  .thumb_func
start:
  ldr r6, =${SRAM + 0x2000}
  adr r7, template
  movs r3, #0
copy:
  ldr r0, [r7, r3]
  str r0, [r6, r3]
  adds r3, #4
  cmp r3, #32
  bne copy
  ldr r1, =300
  movs r5, #0
  orr r8, r6, #1
  blx r8
done:
  b done

  .align 2
template:
  and r2, r1, #0xff
  orr r2, r2, #0x2000
  strh.w r2, [r6, #12]
  movs r0, #0
  add r5, r5, r0
  subs r1, #1
  bne template
  bx lr
  nop
`;


/**
 * IT blocks in a hot loop, compiled into its blocks: ITE with a data-processing pair, a 16-bit ADDS
 * inside IT (no flags there) before a CMP inside IT whose flags the next instructions read, a
 * conditional call and a conditional return (BX LR last in an IT block), a conditional back edge
 * (B last in an IT block), and an IRQ raised by a device store just before an IT.
 */
const IT_BLOCKS = `
  .thumb_func
start:
  ldr r0, =0xe000e100
  movs r1, #1
  str r1, [r0]
  cpsie i
  ldr r1, =300
  ldr r2, =${DEVICE}
  movs r5, #0
  movs r6, #0
loop:
  tst r1, #1
  ite eq
  lsreq r5, r5, #1
  eorne r5, r5, r1, lsl #3
  cmp r1, #150
  itttt hi
  addhi r6, r6, #1
  addhi r6, r6, r1
  cmphi r6, #77
  addhi r6, r6, #5
  it cc
  addcc r6, r6, #3
  cmp r1, #123
  bne quiet
  movs r3, #1
  str r3, [r2]
quiet:
  cmp r1, #200
  itet lo
  movlo r4, r1
  movhs r4, #0
  bllo twice
  subs r1, #1
  itt ne
  addne r5, r5, r4
  bne loop
done:
  b done

  .thumb_func
twice:
  add r4, r4, r4
  cmp r4, #100
  it gt
  bxgt lr
  adds r4, #1
  bx lr

  .thumb_func
irq_handler:
  ldr r0, =${DEVICE}
  movs r1, #0
  str r1, [r0]
  ldr r0, =${SRAM + 0x200}
  ldr r1, [r0]
  adds r1, #1
  str r1, [r0]
  bx lr
`;

/** A load that faults as the second instruction of an IT block, in a hot loop. */
const FAULT_IN_IT_BLOCK = `
  .thumb_func
start:
  ldr r1, =300
  ldr r2, =${NOTHING}
  ldr r4, =${SRAM + 0x100}
  movs r0, #0
loop:
  adds r0, r0, r1
  cmp r1, #17
  itt eq
  addeq r0, r0, #1
faulting:
  ldreq r3, [r2]
  subs r1, #1
  bne loop
done:
  b done

${SKIP_A_16_BIT_FAULT}`;

/**
 * LDRD/STRD in a hot loop, compiled in line: pre- and post-indexed with write-back (a base that is
 * also a destination included), one that straddles the end of SRAM (a BusFault on its second word)
 * and one at an unaligned address (a UsageFault), both through the core.
 */
const DUAL_ACCESSES = `
  .thumb_func
start:
  ldr r1, =200
  ldr r4, =${SRAM + 0x100}
  ldr r7, =${SRAM + 0x10000 - 4}
  movs r0, #0
  movs r2, #0
loop:
  adds r0, r0, r1
  eor r2, r2, r0, lsl #1
  strd r0, r2, [r4, #8]!
  ldrd r5, r6, [r4], #-8
  add r3, r5, r6
  mov r8, r4
  ldrd r8, r9, [r8, #8]
  add r3, r3, r9
  cmp r1, #50
  bne no_fault
straddling:
  ldrd r5, r6, [r7]
no_fault:
  cmp r1, #90
  bne aligned
  adds r4, #2
unaligned:
  strd r0, r2, [r4]
  subs r4, #2
aligned:
  subs r1, #1
  bne loop
done:
  b done

  .thumb_func
fault_handler:
  ldr r0, [sp, #24]
  adds r0, #4
  str r0, [sp, #24]
  bx lr
`;

/** An IT at the last halfword of a page, its instruction on the next: the page's compiled code must not decode past its end. */
const IT_AT_PAGE_END = `
  .thumb_func
start:
  ldr r1, =300
  movs r0, #0
  b loop
  .balign 4096
  .skip 4088
loop:
  adds r0, #3
  cmp r1, #100
  nop
  it eq
  addeq.w r0, r0, #1
  subs r1, #1
  bne loop
done:
  b done
`;

describe('the Thumb-2 tier is exact', () => {
  it('takes a BusFault in compiled code at the same instruction, with the same state', () => {
    const [a, b] = bothTiers(FAULT_IN_HOT_LOOP, 150, 11, 60);
    const faulting = b.symbols.get('faulting')!;
    expect(a.traps.map((t) => t.pc)).toEqual([faulting]);
    expect(b.traps.map((t) => [t.pc, t.causeName])).toEqual(a.traps.map((t) => [t.pc, t.causeName]));
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(1000);
  });

  it('takes an interrupt raised by a device store in a hot loop at the same instruction', () => {
    const [a, b] = bothTiers(IRQ_FROM_A_STORE, 200, 5, 40);
    const stores = (core: TierCore) => core.device.filter((d) => d.write).map((d) => [d.value, d.retired]);
    expect(stores(a).length).toBe(2); // raised by the loop, lowered by the handler
    expect(stores(b)).toEqual(stores(a));
    expect(new DataView(b.sram.buffer, b.sram.byteOffset).getUint32(0x200, true)).toBe(1);
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(1000);
  });

  it('does a load and a store compiled while they hit RAM at their instructions when they reach a device later', () => {
    const [a, b] = bothTiers(LOAD_AND_STORE_REACH_A_DEVICE, 400, 7, 60);
    const expected: DeviceAccess[] = [];
    let sum = 0;
    for (let i = IN_RAM + 1; i <= ITERATIONS; i++) {
      // a device read returns how many accesses it has had, its own included; RAM held zeros
      const value = expected.length + 1;
      sum += value;
      const at = SETUP + 7 * (i - 1) + 1;
      expected.push({ write: false, offset: 0, value: 0, retired: at }, { write: true, offset: 4, value, retired: at + 1 });
    }
    for (const core of [a, b]) {
      expect(core.device).toEqual(expected);
      expect(core.cpu.r[2]).toBe(sum);
      expect(core.cpu.pc).toBe(core.symbols.get('done'));
    }
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.9 * b.cpu.instret);
  });

  it('does a store compiled while it hit RAM at its instruction when it reaches a device later', () => {
    const [a, b] = bothTiers(STORE_REACHES_A_DEVICE, 400, 13, 50);
    const expected: DeviceAccess[] = [];
    for (let i = IN_RAM + 1; i <= ITERATIONS; i++) expected.push({ write: true, offset: 4, value: i - 1, retired: SETUP + 6 * (i - 1) + 1 });
    for (const core of [a, b]) {
      expect(core.device).toEqual(expected);
      expect(core.cpu.r[2]).toBe(ITERATIONS);
      expect(core.cpu.pc).toBe(core.symbols.get('done'));
    }
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.9 * b.cpu.instret);
  });

  it('does a PUSH and a POP compiled while they hit RAM at their instructions when they reach a device later', () => {
    const [a, b] = bothTiers(MULTIPLE_REACH_A_DEVICE, 400, 19, 60);
    const expected: DeviceAccess[] = [];
    let r2 = 0; // RAM gave back the zero pushed
    for (let i = IN_RAM + 1; i <= ITERATIONS; i++) {
      const at = SETUP + 7 * (i - 1) + 1;
      expected.push({ write: true, offset: 0x100, value: r2, retired: at }, { write: true, offset: 0x104, value: ITERATIONS - i + 1, retired: at });
      // the POP's reads: how many accesses the device has had, each its own included; r0 (the first) adds to r2
      r2 += expected.length + 1;
      expected.push({ write: false, offset: 0x100, value: 0, retired: at + 1 }, { write: false, offset: 0x104, value: 0, retired: at + 1 });
    }
    for (const core of [a, b]) {
      expect(core.device).toEqual(expected);
      expect(core.cpu.r[2]).toBe(r2 | 0);
      expect(core.cpu.pc).toBe(core.symbols.get('done'));
    }
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.9 * b.cpu.instret);
  });

  it('runs a hot loop over RAM outside the guest arena in compiled code, its loads and stores through the helper', () => {
    const PRIVATE_RAM = 0x6000_0000;
    const cores = (['interp', 'jit'] as const).map((tier) => {
      const core = bootThumb(PRIVATE_RAM_LOOP, tier);
      // RAM the compiled code's windows never reach (a memory with shared: false)
      core.space.mapRam('private', PRIVATE_RAM, new ArrayBuffer(4096), 4096);
      return core;
    });
    const next = random(41);
    for (let i = 0; i < 200 && cores[0].cpu.pc !== cores[0].symbols.get('done'); i++) {
      const budget = 1 + Math.floor(next() * 400);
      const ran = cores.map((core) => core.cpu.run(budget));
      expect(observable(cores[1], ran[1]), `run ${i} (budget ${budget})`).toEqual(observable(cores[0], ran[0]));
    }
    for (const core of cores) {
      expect(core.cpu.pc).toBe(core.symbols.get('done'));
      expect(core.space.load(PRIVATE_RAM, 4)).toBe(ITERATIONS);
    }
    // leaving compiled code at each access would leave almost every instruction to the interpreter
    expect(cores[1].cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.9 * cores[1].cpu.instret);
  });

  it('runs TBB and TBH switches in a hot loop, an SVC among their cases, as the interpreter', () => {
    const [a, b] = bothTiers(SWITCHES, 300, 37, 60);
    let r0 = 0;
    for (let i = 700; i >= 1; i--) {
      const low = i & 3;
      if (low === 0) r0 += 1;
      else if (low === 1) r0 += 2;
      else if (low === 3) r0 ^= r0 << 3;
      r0 = ((i >> 2) & 1) === 0 ? r0 + 5 : r0 - i;
      r0 |= 0;
    }
    for (const core of [a, b]) {
      expect(core.cpu.pc).toBe(core.symbols.get('done'));
      expect(core.cpu.r[0]).toBe(r0);
      expect(core.cpu.r[5]).toBe(175);
    }
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.3 * b.cpu.instret);
  });

  it('runs code that rewrites the next instruction of its own block as the interpreter does', () => {
    const [, b] = bothTiers(SELF_MODIFYING, 250, 3, 50);
    // every call returns the immediate just written: the sum of (i & 0xff) for i = 300..1
    let sum = 0;
    for (let i = 1; i <= 300; i++) sum += i & 0xff;
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.r[5]).toBe(sum);
    expect(b.cpu.tiers.stats().compiled).toBeGreaterThan(0);
  });

  it('runs IT blocks compiled as the interpreter runs them, an interrupt raised just before one included', () => {
    const [a, b] = bothTiers(IT_BLOCKS, 300, 17, 60);
    const stores = (core: TierCore) => core.device.filter((d) => d.write).map((d) => [d.value, d.retired]);
    expect(stores(a).length).toBe(2);
    expect(stores(b)).toEqual(stores(a));
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(new DataView(b.sram.buffer, b.sram.byteOffset).getUint32(0x200, true)).toBe(1);
    // the loop's IT blocks ran compiled: nearly all of its instructions
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.6 * b.cpu.instret);
  });

  it('takes a fault in the second instruction of an IT block at the same instruction, with the same state', () => {
    const [a, b] = bothTiers(FAULT_IN_IT_BLOCK, 120, 23, 40);
    const faulting = b.symbols.get('faulting')!;
    expect(a.traps.map((t) => t.pc)).toEqual([faulting]);
    expect(b.traps.map((t) => [t.pc, t.causeName])).toEqual(a.traps.map((t) => [t.pc, t.causeName]));
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(500);
  });

  it('runs LDRD/STRD compiled as the interpreter, faults on their second word and unaligned ones included', () => {
    const [a, b] = bothTiers(DUAL_ACCESSES, 200, 31, 50);
    expect(a.traps.map((t) => t.pc)).toEqual([b.symbols.get('unaligned'), b.symbols.get('straddling')]);
    expect(b.traps.map((t) => [t.pc, t.causeName])).toEqual(a.traps.map((t) => [t.pc, t.causeName]));
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0.5 * b.cpu.instret);
  });

  it('runs an IT whose instruction is on the next page as the interpreter', () => {
    const [, b] = bothTiers(IT_AT_PAGE_END, 200, 41, 50);
    expect(b.symbols.get('loop')! & 0xfff).toBe(0xff8);
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.r[0]).toBe(300 * 3 + 1);
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(100);
  });

  it('leaves the interpreter on when a breakpoint is set, and compiles nothing', () => {
    const b = bootThumb(FAULT_IN_HOT_LOOP, 'jit');
    b.cpu.breakpoints.add(b.symbols.get('done')!);
    b.cpu.run(100_000);
    expect(b.cpu.pc).toBe(b.symbols.get('done'));
    expect(b.cpu.stoppedAtBreakpoint).toBe(true);
    expect(b.cpu.tiers.stats().compiledInstructions).toBe(0);
  });

  it('saves the state of a compiled core between any two instructions: restored into a fresh core it goes on as the interpreter', () => {
    const next = random(29);
    for (let trial = 0; trial < 6; trial++) {
      const reference = bootThumb(IRQ_FROM_A_STORE, 'interp');
      const compiled = bootThumb(IRQ_FROM_A_STORE, 'jit');
      const first = 1 + Math.floor(next() * 3000);
      reference.cpu.run(first);
      compiled.cpu.run(first);
      const restored = bootThumb(IRQ_FROM_A_STORE, 'jit');
      loadState(restored.cpu, saveState(compiled.cpu));
      restored.sram.set(compiled.sram);
      expect(restored.cpu.pc).toBe(reference.cpu.pc);
      for (let i = 0; i < 30; i++) {
        const budget = 1 + Math.floor(next() * 200);
        const na = reference.cpu.run(budget);
        const nb = restored.cpu.run(budget);
        const { device: _d, lastAccess: _l, traps: _t, lastTrap: _lt, ...b } = observable(restored, nb);
        const { device: _d2, lastAccess: _l2, traps: _t2, lastTrap: _lt2, ...a } = observable(reference, na);
        expect(b, `trial ${trial}, run ${i}`).toEqual(a);
      }
      expect(restored.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0);
    }
  });
});
