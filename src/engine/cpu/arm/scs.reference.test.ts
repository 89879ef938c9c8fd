// The SCS against QEMU 7.2 live: one sequence of System Control Space accesses becomes a small
// Thumb program (built with Debian's arm-none-eabi-gcc) that runs on qemu-system-arm — a cortex-m3
// on mps2-an385, a cortex-m0 on microbit — and prints every value it reads over semihosting. The
// same accesses on SystemControlSpace must read the same values. Nothing here depends on time:
// SysTick stays disabled, and interrupts are masked (PRIMASK) so pending ones are never taken.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CPUID_CORTEX_M0, CPUID_CORTEX_M3, type ScsOptions, SystemControlSpace } from './scs.ts';

type Access = { read: number; size?: 1 | 2 | 4 } | { write: number; value: number; size?: 1 | 2 | 4 };

const BASE = 0xe000_e000;

/** Registers read after reset, then after each group of writes. */
const RESET_READS: Access[] = [
  0x004, 0x008, 0x010, 0x014, 0x018, 0x01c, 0x100, 0x180, 0x200, 0x280, 0x300, 0x400, 0x41c, 0xd00, 0xd04, 0xd08, 0xd0c, 0xd10, 0xd14, 0xd18, 0xd1c, 0xd20, 0xd24,
  0xd28, 0xd2c, 0xd30, 0xd34, 0xd38, 0xd3c, 0xd40, 0xd44, 0xd48, 0xd4c, 0xd50, 0xd54, 0xd58, 0xd5c, 0xd60, 0xd64, 0xd68, 0xd6c, 0xd70, 0xd74, 0xd78, 0xd7c,
  0xd88, 0xd90, 0xd98, 0xd9c, 0xda0, 0xdb8, 0xf00, 0xf34, 0xf40, 0xfd0, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc,
].map((read) => ({ read }));

const WRITES: Access[] = [
  // control registers: what sticks
  { write: 0xd10, value: 0xffff_ffff },
  { read: 0xd10 },
  { write: 0xd10, value: 0x12 },
  { read: 0xd10 },
  { write: 0xd14, value: 0xffff_ffff },
  { read: 0xd14 },
  { write: 0xd14, value: 0x200 },
  { write: 0xd08, value: 0xffff_ffff },
  { read: 0xd08 },
  { write: 0xd08, value: 0 },
  { write: 0xd18, value: 0xffff_ffff },
  { write: 0xd1c, value: 0xffff_ffff },
  { write: 0xd20, value: 0xffff_ffff },
  { read: 0xd18 },
  { read: 0xd1c },
  { read: 0xd20 },
  { read: 0xd22, size: 1 },
  { read: 0xd1e, size: 2 },
  { write: 0x400, value: 0xffff_ffff },
  { write: 0x405, value: 0x9a, size: 1 },
  { write: 0x40a, value: 0x5678, size: 2 },
  { read: 0x400 },
  { read: 0x404 },
  { read: 0x408 },
  { read: 0x401, size: 1 },
  { read: 0x402, size: 2 },
  // AIRCR: no key, then PRIGROUP
  { write: 0xd0c, value: 0x0000_0300 },
  { read: 0xd0c },
  { write: 0xd0c, value: 0x05fa_0700 },
  { read: 0xd0c },
  { write: 0xd0c, value: 0x05fa_0500 },
  { read: 0xd0c },
  // SHCSR
  { write: 0xd24, value: 0x0007_0000 },
  { read: 0xd24 },
  { write: 0xd24, value: 0 },
  // word-only registers with byte/halfword accesses
  { read: 0xd00, size: 1 },
  { read: 0xd00, size: 2 },
  { read: 0xd0c, size: 2 },
  { write: 0xd08, value: 0xff, size: 1 },
  { read: 0xd08 },
  // enable, pend, arbitrate: priorities with PRIGROUP 5 (group [7:6])
  { write: 0x400, value: 0x0000_4850 },
  { write: 0x100, value: 0x0000_0003 },
  { read: 0x100 },
  { read: 0x180 },
  { write: 0x200, value: 0x0000_0003 },
  { read: 0x200 },
  { read: 0xd04 },
  { write: 0xd20, value: 0x0040_0000 }, // PendSV 0x40
  { write: 0xd04, value: 1 << 28 },
  { read: 0xd04 },
  { write: 0xd04, value: 1 << 27 },
  { write: 0xd20, value: 0x4800_0000 }, // SysTick 0x48: ties with IRQ 1, the lower number wins
  { write: 0xd04, value: 1 << 26 },
  { read: 0xd04 },
  { write: 0xd04, value: 1 << 25 },
  { read: 0xd04 },
  { write: 0x180, value: 0x0000_0001 },
  { read: 0xd04 },
  { write: 0x280, value: 0xffff_ffff },
  { read: 0x200 },
  { read: 0xd04 },
  { write: 0x103, value: 0x80, size: 1 },
  { read: 0x100 },
  { read: 0x103, size: 1 },
  { write: 0x180, value: 0xffff_ffff },
  // STIR
  { write: 0xf00, value: 5 },
  { read: 0x200 },
  { write: 0xf00, value: 45 },
  { read: 0x204 },
  { write: 0x280, value: 0xffff_ffff },
  // fault status: W1C with nothing set, address registers
  { write: 0xd28, value: 0xffff_ffff },
  { read: 0xd28 },
  { write: 0xd34, value: 0x1234_5678 },
  { read: 0xd34 },
  { write: 0xd38, value: 0x8765_4321 },
  { read: 0xd38 },
  // MPU registers (written while disabled)
  { write: 0xd98, value: 3 },
  { write: 0xda0, value: 0xffff_ffff },
  { read: 0xda0 },
  { read: 0xdb0 },
  { write: 0xd9c, value: 0xffff_ffff },
  { read: 0xd98 },
  { read: 0xd9c },
  { write: 0xd9c, value: 0x2000_0015 },
  { read: 0xd98 },
  { read: 0xd9c },
  { write: 0xda4, value: 0x1000_0000 },
  { read: 0xd9c },
  { write: 0xd98, value: 9 },
  { read: 0xd98 },
  // SysTick registers (never enabled: nothing depends on time)
  { write: 0x014, value: 0xffff_ffff },
  { read: 0x014 },
  { write: 0x010, value: 0x0000_0006 },
  { read: 0x010 },
  { write: 0x010, value: 0 },
  { read: 0x010 },
  { write: 0x018, value: 1234 },
  { read: 0x018 },
  { read: 0x01c },
  // CPACR without an FPU
  { write: 0xd88, value: 0xffff_ffff },
  { read: 0xd88 },
];

const SEQUENCE = [...RESET_READS, ...WRITES];

/** The C program performing `accesses` and printing every read as 8 hex digits and a newline. */
function program(accesses: Access[]): string {
  const type = (size = 4) => (size === 1 ? 'unsigned char' : size === 2 ? 'unsigned short' : 'unsigned int');
  const body = accesses
    .map((access) => {
      if ('read' in access) return `  hex(*(volatile ${type(access.size)} *)0x${(BASE + access.read).toString(16)});`;
      return `  *(volatile ${type(access.size)} *)0x${(BASE + access.write).toString(16)} = 0x${access.value.toString(16)}u;`;
    })
    .join('\n');
  return `
static int semihost(int op, const void *param) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = param;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
static void hex(unsigned int v) {
  char text[10];
  for (int i = 0; i < 8; i++) text[i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  text[8] = '\\n';
  text[9] = 0;
  semihost(4, text);
}
void reset(void) {
  __asm__ volatile("cpsid i");
${body}
  semihost(0x18, (const void *)0x20026);
  for (;;) {}
}
__attribute__((section(".vectors"), used)) static const void *const vectors[] = {(const void *)0x20004000, (const void *)reset};
`;
}

const LINKER_SCRIPT = `
MEMORY { FLASH (rx) : ORIGIN = 0, LENGTH = 256K  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 16K }
SECTIONS { .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) } > FLASH  .data : { *(.data*) *(.bss*) } > RAM }
`;

const work = mkdtempSync(join(tmpdir(), 'boardlab-scs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Builds the probe for `cpu` and runs it on `machine`: the values it printed. */
function onQemu(cpu: 'cortex-m3' | 'cortex-m0', machine: string): number[] {
  const source = join(work, `probe-${cpu}.c`);
  const linker = join(work, 'probe.ld');
  const elf = join(work, `probe-${cpu}.elf`);
  writeFileSync(source, program(SEQUENCE));
  writeFileSync(linker, LINKER_SCRIPT);
  execFileSync('arm-none-eabi-gcc', [`-mcpu=${cpu}`, '-mthumb', '-nostdlib', '-O1', '-T', linker, source, '-o', elf]);
  // without a serial port QEMU writes the semihosting console to stderr
  const run = spawnSync('qemu-system-arm', ['-M', machine, ...(machine === 'mps2-an385' ? ['-cpu', cpu] : []), '-nographic', '-monitor', 'none', '-serial', 'none', '-semihosting-config', 'enable=on,target=native', '-kernel', elf], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`qemu-system-arm -M ${machine} exited with ${String(run.status)}: ${run.stderr}`);
  return run.stderr
    .split('\n')
    .filter((line) => /^[0-9a-f]{8}$/.test(line))
    .map((line) => parseInt(line, 16));
}

/** The same accesses on SystemControlSpace. */
function onBoardLab(options: ScsOptions): number[] {
  const scs = new SystemControlSpace(options, { nowNs: () => 0, scheduleAt: () => {}, exceptionStateChanged: () => {}, requestSystemReset: () => {} });
  const values: number[] = [];
  for (const access of SEQUENCE) {
    if ('read' in access) values.push(scs.read(access.read, access.size ?? 4) ?? -1);
    else scs.write(access.write, access.value, access.size ?? 4);
  }
  return values;
}

function describeReads(values: number[]): string[] {
  const reads = SEQUENCE.filter((access) => 'read' in access);
  return values.map((value, i) => {
    const access = reads[i];
    return `#${i} read 0x${'read' in access ? (BASE + access.read).toString(16) : '?'} = 0x${value.toString(16)}`;
  });
}

describe('SCS against qemu-system-arm 7.2', () => {
  it('cortex-m3 on mps2-an385 (32 IRQs, 8 priority bits, 25 MHz clock, 1 MHz reference): every read matches', () => {
    const qemu = onQemu('cortex-m3', 'mps2-an385');
    expect(qemu.length).toBe(SEQUENCE.filter((access) => 'read' in access).length);
    const ours = onBoardLab({ numIrq: 32, priorityBits: 8, profile: 'v7m', cpuid: CPUID_CORTEX_M3, clockHz: 25_000_000, refClockHz: 1_000_000 });
    expect(describeReads(ours)).toEqual(describeReads(qemu));
  });
  it('cortex-m0 on microbit (32 IRQs, 2 priority bits, no SysTick reference clock): every read matches', () => {
    const qemu = onQemu('cortex-m0', 'microbit');
    expect(qemu.length).toBe(SEQUENCE.filter((access) => 'read' in access).length);
    const ours = onBoardLab({ numIrq: 32, priorityBits: 2, profile: 'v6m', cpuid: CPUID_CORTEX_M0, clockHz: 16_000_000, refClockHz: 0 });
    expect(describeReads(ours)).toEqual(describeReads(qemu));
  });
});
