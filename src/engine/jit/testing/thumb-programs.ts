// A seeded generator of Thumb-2 test programs for the compiling tier: a loop whose body is random
// instructions of the groups the translator compiles (data processing with immediates, shifted and
// register-shifted registers, multiplies and divides, bit fields, extends, loads and stores in every
// addressing mode, conditional branches), mixed with what it leaves to the core: IT blocks, PUSH/POP,
// MRS, unaligned loads, device accesses, loads from nothing (BusFaults, which the handler skips) and
// SVCs. Registers: r0-r8 and r12 hold data, r9 points at a buffer, r10 counts iterations, r11 walks
// the buffer with write-back.
import { DEVICE, NOTHING, SRAM } from './thumb-cores.ts';

const BUFFER = SRAM + 0x1000;
/** Where the fault handler counts the faults it skipped. */
const FAULT_COUNT = SRAM + 0xf000;
const DATA = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r12'];
const LOW = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'];
const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le'];
const SHIFTS = ['lsl', 'lsr', 'asr', 'ror'];

export interface ProgramOptions {
  /** Instructions in the loop body. */
  length: number;
  iterations: number;
  /** Also the instructions compiled code leaves to the core (IT, PUSH/POP, MRS, devices, faults, SVC). */
  mixed: boolean;
}

export function thumbProgram(next: () => number, options: ProgramOptions): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const d = () => pick(DATA);
  const low = () => pick(LOW);
  const imm8 = () => int(0, 255);
  const lines: string[] = [];
  let label = 0;
  let walked = 0;
  const pending: Array<{ at: number; name: string }> = [];
  const groups: Array<() => string[]> = [
    () => [`movs ${low()}, #${imm8()}`],
    () => [`mov.w ${d()}, #0x${((imm8() << (2 * int(0, 12))) >>> 0).toString(16)}`],
    () => [`movw ${d()}, #${int(0, 0xffff)}`, ...(next() < 0.5 ? [`movt ${d()}, #${int(0, 0xffff)}`] : [])],
    () => [`${pick(['mvn', 'mvns'])} ${d()}, ${d()}, ${pick(SHIFTS)} #${int(1, 31)}`],
    () => [`${pick(['adds', 'subs'])} ${low()}, ${low()}, ${low()}`],
    () => [`${pick(['add', 'adds', 'sub', 'subs', 'adc', 'adcs', 'sbc', 'sbcs', 'rsb', 'rsbs'])}.w ${d()}, ${d()}, ${d()}, ${pick(SHIFTS)} #${int(1, 31)}`],
    () => [`${pick(['add', 'adds', 'sub', 'subs', 'adc', 'adcs', 'sbc', 'sbcs', 'rsb', 'rsbs'])}.w ${d()}, ${d()}, #${imm8()}`],
    () => [`${pick(['cmp', 'cmn', 'tst', 'teq'])}.w ${d()}, ${d()}, ${pick(SHIFTS)} #${int(1, 31)}`],
    () => [`${pick(['cmp', 'cmn', 'tst', 'teq'])}.w ${d()}, #${(imm8() << int(0, 24)) >>> 0}`],
    () => [`cmp ${low()}, #${imm8()}`],
    () => [`${pick(['and', 'ands', 'orr', 'orrs', 'eor', 'eors', 'bic', 'bics', 'orn', 'orns'])}.w ${d()}, ${d()}, ${d()}, ${pick([...SHIFTS, 'lsr', 'asr'])} #${int(1, 31)}`],
    () => [`${pick(['and', 'ands', 'orr', 'orrs', 'eor', 'eors', 'bic', 'bics'])}.w ${d()}, ${d()}, #0x${((imm8() << int(0, 24)) >>> 0).toString(16)}`],
    () => [`${pick(['ands', 'orrs', 'eors', 'bics', 'adcs', 'sbcs', 'mvns', 'tst', 'cmn'])} ${low()}, ${low()}`],
    () => [`${pick(['lsls', 'lsrs', 'asrs'])} ${low()}, ${low()}, #${int(1, 31)}`],
    () => [`${pick(['lsl', 'lsr', 'asr', 'ror', 'lsls', 'lsrs', 'asrs', 'rors'])}.w ${d()}, ${d()}, ${d()}`],
    () => [`${pick(['lsls', 'lsrs', 'asrs', 'rors'])} ${low()}, ${low()}`],
    () => [`rrx${pick(['', 's'])} ${d()}, ${d()}`],
    () => [`mul ${d()}, ${d()}, ${d()}`],
    () => {
      const rd = low();
      return [`muls ${rd}, ${low()}, ${rd}`];
    },
    () => [`${pick(['mla', 'mls'])} ${d()}, ${d()}, ${d()}, ${d()}`],
    () => {
      const [lo, hi] = twoDistinct();
      return [`${pick(['umull', 'smull', 'umlal', 'smlal'])} ${lo}, ${hi}, ${d()}, ${d()}`];
    },
    () => [`${pick(['udiv', 'sdiv'])} ${d()}, ${d()}, ${d()}`],
    () => {
      const rotation = pick([0, 8, 16, 24]);
      return [`${pick(['uxtb', 'uxth', 'sxtb', 'sxth'])}.w ${d()}, ${d()}${rotation === 0 ? '' : `, ror #${rotation}`}`];
    },
    () => {
      const lsb = int(0, 31);
      return [`${pick(['ubfx', 'sbfx'])} ${d()}, ${d()}, #${lsb}, #${int(1, 32 - lsb)}`];
    },
    () => {
      const lsb = int(0, 31);
      return [next() < 0.5 ? `bfi ${d()}, ${d()}, #${lsb}, #${int(1, 32 - lsb)}` : `bfc ${d()}, #${lsb}, #${int(1, 32 - lsb)}`];
    },
    () => [`${pick(['clz', 'rev', 'rev16', 'revsh', 'rbit'])} ${d()}, ${d()}`],
    () => {
      const [op, size] = pick([['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1], ['ldrh', 2], ['strh', 2], ['ldrsb', 1], ['ldrsh', 2]] as const);
      const offset = int(0, 63) * size;
      return [`${op} ${d()}, [r9, #${offset}]`];
    },
    () => {
      const [op, size] = pick([['ldr', 4], ['str', 4], ['ldrb', 1], ['strb', 1], ['ldrh', 2], ['strh', 2], ['ldrsh', 2]] as const);
      return [`and r12, ${d()}, #0x${(0x40 - size).toString(16)}`, `${op} ${d()}, [r9, r12]`];
    },
    () => [`and r12, ${d()}, #0xf`, `${pick(['ldr', 'str'])} ${low()}, [r9, r12, lsl #2]`],
    () => {
      if (walked >= 40) return [`nop`];
      walked++;
      const [op] = pick([['ldr'], ['str'], ['ldrb'], ['strb'], ['ldrh'], ['strh']] as const);
      return [next() < 0.5 ? `${op} ${d()}, [r11, #4]!` : `${op} ${d()}, [r11], #4`];
    },
    () => [`ldr ${d()}, [r9, #${int(0, 60) * 4 + int(1, 3)}]`], // unaligned: allowed, through the core
    () => {
      if (walked >= 40) return ['nop'];
      walked += 4;
      const list = LOW.filter(() => next() < 0.4).join(', ') || 'r0';
      return [`${pick(['stmia', 'ldmia'])} r11!, {${list}}`];
    },
    () => [`bl leaf`],
    () => {
      const name = `L${label++}`;
      pending.push({ at: lines.length + int(1, 3), name });
      return [next() < 0.7 ? `b${pick(CONDITIONS)} ${name}` : `${pick(['cbz', 'cbnz'])} ${low()}, ${name}`];
    },
  ];
  const mixedGroups: Array<() => string[]> = [
    () => {
      const cond = pick(CONDITIONS);
      return [`it ${cond}`, `add${cond} ${low()}, ${low()}, #1`];
    },
    () => [`push {r0, r1, r4}`, `adds r0, #1`, `pop {r0, r1, r4}`],
    () => [`mrs ${d()}, apsr`],
    () => [`ldr r7, =${DEVICE}`, `ldr ${low()}, [r7, #4]`],
    () => [`ldr r7, =${NOTHING}`, `ldr r7, [r7]`],
    () => [`svc #1`],
  ];
  function twoDistinct(): [string, string] {
    const a = d();
    let b = d();
    while (b === a) b = d();
    return [a, b];
  }
  for (let i = 0; i < options.length; i++) {
    const group = options.mixed && next() < 0.15 ? pick(mixedGroups) : pick(groups);
    lines.push(...group());
    for (let k = pending.length - 1; k >= 0; k--) {
      if (pending[k].at <= lines.length) {
        lines.push(`${pending[k].name}:`);
        pending.splice(k, 1);
      }
    }
  }
  for (const p of pending) lines.push(`${p.name}:`);
  return `
  .thumb_func
start:
${DATA.map((r) => `  ldr ${r}, =0x${(Math.floor(next() * 0x1_0000_0000) >>> 0).toString(16)}\n`).join('')}  ldr r9, =${BUFFER}
  ldr r10, =${options.iterations}
loop:
  mov r11, r9
  ${lines.join('\n  ')}
  subs r10, r10, #1
  bne loop
done:
  b done

  .thumb_func
fault_handler:
  ldr r0, [sp, #24]
  ldrh r1, [r0]
  lsrs r1, r1, #11
  cmp r1, #0x1d
  blo 1f
  adds r0, #2
1:
  adds r0, #2
  str r0, [sp, #24]
  ldr r1, =${FAULT_COUNT}
  ldr r2, [r1]
  adds r2, #1
  str r2, [r1]
  bx lr

  .thumb_func
leaf:
  push {r4, r5, lr}
  adds r4, #3
  eors r5, r4
  pop {r4, r5, pc}

  .thumb_func
svc_handler:
  ldr r1, =${FAULT_COUNT + 4}
  ldr r2, [r1]
  adds r2, #1
  str r2, [r1]
  bx lr
  .ltorg
`;
}
