// The Thumb/Thumb-2 disassembler against Debian's GNU objdump: every line `arm-none-eabi-objdump -d`
// (binutils 2.40) prints for the code of the committed ARM firmware must come out the same from
// ./disasm.ts — address, bytes and text: mnemonics with .w/.n, IT-block conditions, literal-pool
// comments, branch targets with their symbols, and `$d` data as .word/.short/.byte. Then the same
// on assembled programs: every instruction class, IT blocks of every shape and condition, every
// 16-bit encoding, and random 32-bit encodings. The helper (./disasm-objdump.ts) prints the first
// mismatching lines on failure.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFromEachAddress, compareWithObjdump, withAssembled } from './disasm-objdump.ts';

const FIRMWARE = join(import.meta.dirname, '../../../../public/firmware/arm');

/** Every instruction class of ARMv7-M in the forms a program writes them, plus literal pools and data. */
const INSTRUCTION_FORMS = `
.globl _start
_start:
  movs r0, #0
  movs r7, #255
  mov r0, r1
  movs r0, r1
  mov r8, sp
  mov sp, r9
  mov pc, lr
  adds r0, r1, r2
  subs r0, r1, r2
  adds r0, r1, #7
  subs r0, r1, #0
  adds r3, #200
  subs r3, #33
  add r0, r8
  add sp, r1
  add r1, sp, r1
  add r0, pc
  cmp r0, r9
  cmp r8, r9
  cmp r1, #0
  cmp r1, #255
  cmn r1, r2
  tst r1, r2
  ands r0, r1
  eors r0, r1
  orrs r0, r1
  bics r0, r1
  mvns r0, r1
  adcs r0, r1
  sbcs r0, r1
  rors r0, r1
  lsls r0, r1
  lsrs r0, r1
  asrs r0, r1
  lsls r0, r1, #31
  lsrs r0, r1, #32
  asrs r0, r1, #32
  lsrs r0, r1, #1
  negs r0, r1
  muls r0, r1, r0
  rev r0, r1
  rev16 r0, r1
  revsh r0, r1
  sxtb r0, r1
  sxth r0, r1
  uxtb r0, r1
  uxth r0, r1
  ldr r0, [r1]
  ldr r0, [r1, #124]
  ldr r0, [sp, #1020]
  ldr r0, [sp]
  ldrb r0, [r1, #31]
  ldrh r0, [r1, #62]
  ldrsb r0, [r1, r2]
  ldrsh r0, [r1, r2]
  ldr r0, [r1, r2]
  ldrb r0, [r1, r2]
  ldrh r0, [r1, r2]
  str r0, [r1, r2]
  strb r0, [r1, r2]
  strh r0, [r1, r2]
  str r0, [r1, #4]
  strb r0, [r1, #5]
  strh r0, [r1, #6]
  str r0, [sp, #16]
  ldr r0, lit1
  ldr r1, =0x12345678
  adr r2, lit1
  add r0, sp, #1020
  add sp, #508
  sub sp, #508
  push {r0}
  push {r0-r7, lr}
  pop {r0-r7, pc}
  pop {r4}
  stmia r0!, {r1, r2}
  ldmia r0!, {r1, r2}
  ldmia r0, {r0, r1}
  ldm r1, {r1}
  ldm r1!, {r2}
  bx lr
  blx r3
  bkpt #0
  bkpt #255
  svc #0
  svc #17
  udf #0
  udf #255
  cpsie i
  cpsid i
  cpsie f
  cpsid if
  nop
  yield
  wfe
  wfi
  sev
  beq _start
  bne lit1
  b _start
  b .+2000
  cbz r0, 1f
  cbnz r7, 1f
1:
  nop
  .align 2
lit1:
  .word 0x11223344
  .short 0x5566
  .align 2
  .ltorg
t2:
  add.w r0, r1, #1
  adds.w r0, r1, #0xff00
  add.w r0, r1, #0xab00ab00
  add.w r0, r1, #0xabababab
  add.w r0, r1, #0x3fc0
  add.w r0, r1, #0x80000000
  add.w r0, r1, #0x1fe
  sub.w r0, r1, #1
  subs.w sp, sp, #8
  add.w sp, sp, #8
  rsb r0, r1, #0
  rsbs r0, r1, #100
  adc r0, r1, #3
  sbc r0, r1, #3
  and r0, r1, #0xf0
  ands r0, r1, #0xf0
  orr r0, r1, #0x100
  orn r0, r1, #0x100
  eor r0, r1, #0x100
  bic r0, r1, #0x100
  tst r0, #0x100
  teq r0, #0x100
  cmp.w r0, #0x100
  cmn.w r0, #0x100
  mov.w r0, #0x100
  movs.w r0, #0x100
  mvn r0, #0x100
  mvns r0, #0x100
  add.w r0, r1, r2
  add.w r0, r1, r2, lsl #3
  adds.w r0, r1, r2, lsr #32
  sub.w r0, r1, r2, asr #1
  subs.w r0, r1, r2, asr #32
  rsb r0, r1, r2, ror #7
  adc.w r0, r1, r2, rrx
  sbc.w r0, r1, r2
  and.w r0, r1, r2
  orr.w r0, r1, r2
  orn r0, r1, r2
  eor.w r0, r1, r2
  bic.w r0, r1, r2
  tst.w r0, r1, lsl #2
  teq r0, r1
  cmp.w r0, r1
  cmn.w r0, r1, lsl #1
  mov.w r0, r1
  movs.w r0, r1
  mov.w r0, r1, lsl #1
  mov.w r0, r1, lsr #32
  mov.w r0, r1, asr #3
  mov.w r0, r1, ror #3
  mov.w r0, r1, rrx
  movs.w r0, r1, rrx
  mvn.w r0, r1
  mvn.w r0, r1, lsl #2
  lsl.w r0, r1, r2
  lsls.w r0, r1, r2
  lsr.w r0, r1, r2
  asr.w r0, r1, r2
  ror.w r0, r1, r2
  rors.w r0, r1, r2
  movw r0, #0
  movw r0, #65535
  movt r0, #65535
  addw r0, r1, #4095
  subw r0, r1, #4095
  addw r0, sp, #4
  subw sp, sp, #4
  mul.w r0, r1, r2
  mla r0, r1, r2, r3
  mls r0, r1, r2, r3
  smull r0, r1, r2, r3
  umull r0, r1, r2, r3
  smlal r0, r1, r2, r3
  umlal r0, r1, r2, r3
  sdiv r0, r1, r2
  udiv r0, r1, r2
  ssat r0, #1, r1
  ssat r0, #32, r1, lsl #4
  ssat r0, #16, r1, asr #31
  usat r0, #0, r1
  usat r0, #31, r1, asr #2
  sbfx r0, r1, #0, #32
  ubfx r0, r1, #31, #1
  bfi r0, r1, #4, #8
  bfc r0, #0, #32
  clz r0, r1
  rbit r0, r1
  rev.w r0, r1
  rev16.w r0, r1
  revsh.w r0, r1
  sxtb.w r0, r1
  sxth.w r0, r1, ror #8
  uxtb.w r0, r1, ror #16
  uxth.w r0, r1, ror #24
  ldr.w r0, [r1]
  ldr.w r0, [r1, #4095]
  ldr r0, [r1, #-255]
  ldr r0, [r1, #255]!
  ldr r0, [r1, #-1]!
  ldr r0, [r1], #255
  ldr r0, [r1], #-255
  ldr.w r0, [r1, r2]
  ldr.w r0, [r1, r2, lsl #3]
  ldrb.w r0, [r1, #100]
  ldrsb.w r0, [r1, #100]
  ldrh.w r0, [r1, #100]
  ldrsh.w r0, [r1, #-100]
  ldrsb r0, [r1], #1
  ldrsh r0, [r1, #2]!
  ldrt r0, [r1, #4]
  ldrbt r0, [r1]
  ldrht r0, [r1, #255]
  ldrsbt r0, [r1, #1]
  ldrsht r0, [r1, #1]
  strt r0, [r1, #4]
  strbt r0, [r1, #4]
  strht r0, [r1, #4]
  str.w r0, [r1, #4095]
  strb.w r0, [r1, #-4]
  strh.w r0, [r1], #4
  str r0, [r1, #-4]!
  str.w r0, [r1, r2, lsl #1]
  ldr.w r0, lit2
  ldrb.w r0, lit2
  ldrsh.w r0, lit2
  ldr.w pc, [sp], #4
  pld [r1]
  pld [r1, #4]
  pld [r1, #-4]
  pld [r1, r2, lsl #2]
  pli [r1, #8]
  ldrd r0, r1, [r2]
  ldrd r0, r1, [r2, #1020]
  ldrd r0, r1, [r2, #-1020]!
  ldrd r0, r1, [r2], #4
  strd r0, r1, [r2, #8]
  strd r0, r1, [r2, #-8]!
  strd r0, r1, [r2], #-4
  ldrd r0, r1, [r2, #0]!
  ldrd r0, r1, lit2
  ldrex r0, [r1]
  ldrex r0, [r1, #1020]
  strex r0, r1, [r2]
  strex r0, r1, [r2, #4]
  ldrexb r0, [r1]
  ldrexh r0, [r1]
  strexb r0, r1, [r2]
  strexh r0, r1, [r2]
  clrex
  ldm.w r0, {r1, r2, r3}
  ldm.w r0!, {r1, r2, lr}
  ldmdb r0, {r1, r2}
  ldmdb r0!, {r1, pc}
  stm.w r0, {r1, r2}
  stm.w r0!, {r1, r2, r8}
  stmdb r0, {r1, r2}
  stmdb sp!, {r4, r5}
  push.w {r4-r11, lr}
  pop.w {r4-r11, pc}
  push.w {r8}
  pop.w {r8}
  tbb [pc, r0]
  tbb [r1, r0]
  tbh [pc, r0, lsl #1]
  tbh [r1, r2, lsl #1]
  b.w _start
  bl _start
  beq.w _start
  bne.w t2
  bgt.w lit2
  b.w lit2
  mrs r0, apsr
  mrs r0, primask
  msr basepri, r0
  msr apsr_nzcvq, r0
  dsb
  dmb
  isb
  dsb st
  dmb #13
  isb #7
  dmb #0
  dsb #12
  nop.w
  yield.w
  wfe.w
  wfi.w
  sev.w
  .inst.w 0xf3af8420
  udf.w #0
  udf.w #65535
  mov r0, r0
  nop
  .align 2
lit2:
  .word 0
  .word 0xdeadbeef
  .word 0
  .word 0
  .word 0
  .word 1
  .byte 1, 2, 3
  .align 1
  nop
`;

/** Instructions ARMv6-M has (Thumb plus BL, MRS/MSR, barriers), assembled for the Cortex-M0. */
const V6M_FORMS = `
.globl _start
_start:
  movs r0, #1
  adds r1, r0, #2
  subs r2, r1, r0
  mov r8, r9
  add r8, r0
  cmp r8, r1
  muls r0, r1, r0
  rev r0, r1
  sxtb r0, r1
  uxth r0, r1
  ldr r0, [r1, r2]
  ldrsh r0, [r1, r2]
  str r0, [sp, #4]
  ldr r0, =0xe000ed00
  push {r4, lr}
  pop {r4, pc}
  ldm r0!, {r1, r2}
  ldm r0, {r0, r1}
  stm r0!, {r1, r2}
  bl _start
  blx r3
  bx lr
  beq _start
  b _start
  svc #3
  bkpt #0xab
  cpsid i
  cpsie i
  mrs r0, primask
  mrs r1, control
  mrs r2, ipsr
  msr msp, r0
  msr psp, r0
  msr control, r1
  dsb
  dmb
  isb
  wfi
  wfe
  sev
  yield
  nop
  udf #1
  .ltorg
`;

const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
/** Every IT shape after the first instruction: t (then), e (else), up to three more. */
const SHAPES = ['', 't', 'e', 'tt', 'te', 'et', 'ee', 'ttt', 'tte', 'tet', 'tee', 'ett', 'ete', 'eet', 'eee'];
const BLOCK_BODY = ['add{} r0, r1', 'mov{} r2, #7', 'add{}.w r0, r1, #0x1000', 'ldr{} r3, [r4, #4]', 'str{}.w r5, [r6, #-8]', 'lsl{} r0, r1, #3', 'cmp{} r0, #1', 'and{} r1, r2'];

/**
 * An IT block of every shape for every condition (16- and 32-bit instructions inside, 16-bit forms
 * that set flags outside a block, a conditional branch last in every third), and IT AL blocks
 * (which the assembler refuses to write, so as encodings).
 */
function itBlocks(): string {
  const inverse = (c: string) => CONDITIONS[CONDITIONS.indexOf(c) ^ 1];
  const lines = ['.globl _start', '_start:'];
  let k = 0;
  for (const condition of CONDITIONS) {
    for (const shape of SHAPES) {
      lines.push(`  it${shape} ${condition}`);
      const all = ['t', ...shape];
      all.forEach((x, i) => {
        const c = x === 't' ? condition : inverse(condition);
        if (i === all.length - 1 && k % 3 === 0) lines.push(`  b${c} _start`);
        else lines.push('  ' + BLOCK_BODY[(k + i) % BLOCK_BODY.length].replace('{}', c));
      });
      k++;
    }
  }
  // IT AL with 1 to 4 instructions: masks 1000, 0100, 0010, 0001.
  [8, 4, 2, 1].forEach((mask, n) => {
    lines.push(`  .inst.n 0x${(0xbfe0 | mask).toString(16)}`);
    for (let i = 0; i <= n; i++) lines.push('  ' + BLOCK_BODY[i].replace('{}', ''));
  });
  return lines.join('\n') + '\n';
}

/** Every 16-bit encoding (0x0000–0xe7ff), in order: IT encodings among them make blocks of the next ones. */
function every16BitEncoding(): string {
  const lines = ['.globl _start', '_start:'];
  for (let h = 0; h < 0xe800; h++) lines.push(`  .inst.n 0x${h.toString(16)}`);
  return lines.join('\n') + '\n';
}

/**
 * Random 32-bit encodings (a fixed xorshift sequence), leaving out what no Cortex-M3 or M0 core
 * decodes and the disassembler does not print as objdump does: the coprocessor, VFP and NEON
 * space, ARMv8-A's CRC32, the ARMv8.1-M branch-future and low-overhead-loop branches, and A-profile banked
 * registers in MRS/MSR.
 */
function random32BitEncodings(count: number): string {
  let seed = 0x9e3779b9;
  const next = () => {
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed;
  };
  const lines = ['.globl _start', '_start:'];
  while (lines.length < count + 2) {
    const hw1 = 0xe800 + (next() % 0x1800);
    const hw2 = next() & 0xffff;
    if ((hw1 & 0xec00) === 0xec00 || (hw1 & 0xff10) === 0xf900) continue; // coprocessor, VFP, NEON
    if ((hw1 & 0xffe0) === 0xfac0 && (hw2 & 0xf0c0) === 0xf080) continue; // ARMv8-A CRC32
    if (hw1 >= 0xf000 && hw1 < 0xf800 && (hw2 & 0xd001) === 0xc001) continue; // v8.1-M BF/WLS/LE
    if (((hw1 & 0xffe0) === 0xf380 || (hw1 & 0xffe0) === 0xf3e0) && (hw2 & 0xd020) === 0x8020) continue; // banked MRS/MSR
    lines.push(`  .inst.w 0x${(((hw1 << 16) | hw2) >>> 0).toString(16)}`);
  }
  return lines.join('\n') + '\n';
}

describe('Thumb disassembler matches arm-none-eabi-objdump on the committed firmware', () => {
  const files = readdirSync(FIRMWARE).filter((f) => f.endsWith('.elf')).sort();

  it('finds the ARM firmware', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of files) {
    it(file, () => {
      const { instructions, mismatches } = compareWithObjdump(join(FIRMWARE, file));
      expect(instructions).toBeGreaterThan(100);
      expect(mismatches.slice(0, 20)).toEqual([]);
    });
  }
});

describe('Thumb disassembler matches arm-none-eabi-objdump on assembled programs', () => {
  it('every ARMv7-M instruction class, literal pools and data (-mcpu=cortex-m3)', () => {
    const { instructions, mismatches } = withAssembled(INSTRUCTION_FORMS, compareWithObjdump);
    expect(instructions).toBeGreaterThan(300);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('ARMv6-M instructions (-mcpu=cortex-m0)', () => {
    const { instructions, mismatches } = withAssembled(V6M_FORMS, compareWithObjdump, 'cortex-m0');
    expect(instructions).toBeGreaterThan(40);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('IT blocks of every shape and condition', () => {
    const { instructions, mismatches } = withAssembled(itBlocks(), compareWithObjdump);
    expect(instructions).toBeGreaterThan(14 * 15 * 2);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('every 16-bit encoding', () => {
    const { instructions, mismatches } = withAssembled(every16BitEncoding(), compareWithObjdump);
    expect(instructions).toBe(0xe800);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('30000 random 32-bit encodings', () => {
    const { instructions, mismatches } = withAssembled(random32BitEncodings(30000), compareWithObjdump);
    expect(instructions).toBe(30000);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});

describe('Thumb disassembler matches arm-none-eabi-objdump when a listing starts mid-block', () => {
  // objdump --start-address at every halfword: inside IT blocks (and in the middle of 32-bit
  // instructions) both read back for the IT instruction.
  it('at every halfword of the first IT blocks', () => {
    const { instructions, mismatches } = withAssembled(itBlocks(), (elf) => compareFromEachAddress(elf, 0x1000, 0x1000 + 0xa0));
    expect(instructions).toBe(0x50);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('at every halfword of the random 32-bit encodings’ first 0x60 bytes', () => {
    const { instructions, mismatches } = withAssembled(random32BitEncodings(64), (elf) => compareFromEachAddress(elf, 0x1000, 0x1060));
    expect(instructions).toBe(0x30);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });
});
