// The mps2-an385 device models against QEMU 7.2's: one script of register reads and writes runs on
// qemu-system-arm -M mps2-an385 (compiled into a Cortex-M3 program with Debian's arm-none-eabi-gcc,
// printing every value read through semihosting) and on BoardLab's device models directly; every
// value read must be the same. Only registers that do not depend on time are read (QEMU's virtual
// clock follows the host's), so the counters themselves are left to the unit tests. QEMU 7.2
// writes the semihosting console to stderr when no chardev is given.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MmioHandler } from '../memory.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { CmsdkApbDualTimer } from './cmsdk-apb-dualtimer.ts';
import { CmsdkApbTimer } from './cmsdk-apb-timer.ts';
import { CmsdkApbUart } from './cmsdk-apb-uart.ts';
import { privateRam, type DeviceContext } from './device.ts';
import { Mps2Fpgaio } from './mps2-fpgaio.ts';
import { Mps2Scc } from './mps2-scc.ts';

type Op = readonly ['r', number] | readonly ['w', number, number];

const TIMER0 = 0x4000_0000;
const DUALTIMER = 0x4000_2000;
// UARTs 2 and 3: QEMU connects no host backend to them under -nographic, so nothing they send mixes with the output.
const UART2 = 0x4000_6000;
const UART3 = 0x4000_7000;
const FPGAIO = 0x4002_8000;
const SCC = 0x4002_f000;

const ids = (base: number): Op[] => [0xfd0, 0xfd4, 0xfd8, 0xfdc, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => ['r', base + o] as const);
const OSCCLK = (device: number, write = false) => (0x8000_0000 | (write ? 0x4000_0000 : 0) | (1 << 20) | device) >>> 0;

const SCRIPT: Op[] = [
  // SCC: identification, configuration registers, the SYS_CFG channel.
  ...[0xffc, 0xff8, 0x010, 0x0a8, 0x100, 0x00c, 0x000, 0x004, 0x0a0, 0x0a4, 0x0ac].map((o) => ['r', SCC + o] as const),
  ['w', SCC + 0x100, 0x1234_5678], ['r', SCC + 0x100],
  ['w', SCC + 0x000, 1], ['r', SCC + 0x000],
  ['w', SCC + 0x004, 0xff], ['r', SCC + 0x004],
  ['w', SCC + 0x0a8, OSCCLK(2)], ['r', SCC + 0x0ac], ['r', SCC + 0x0a0], ['r', SCC + 0x0a8],
  ['w', SCC + 0x0a8, OSCCLK(0)], ['r', SCC + 0x0a0],
  ['w', SCC + 0x0a8, OSCCLK(1)], ['r', SCC + 0x0a0],
  ['w', SCC + 0x0a4, 12_000_000], ['w', SCC + 0x0a8, OSCCLK(0, true)], ['r', SCC + 0x0ac],
  ['w', SCC + 0x0a8, OSCCLK(0)], ['r', SCC + 0x0a0],
  ['w', SCC + 0x0a8, OSCCLK(3)], ['r', SCC + 0x0ac],
  ['w', SCC + 0x0a8, 0x8020_0000], ['r', SCC + 0x0ac],
  ['w', SCC + 0x0a8, 0], ['r', SCC + 0x0ac], ['r', SCC + 0x0a8],
  // FPGAIO: the registers that do not count.
  ['r', FPGAIO + 0x00], ['r', FPGAIO + 0x08], ['r', FPGAIO + 0x1c], ['r', FPGAIO + 0x4c],
  ['w', FPGAIO + 0x00, 0xff], ['r', FPGAIO + 0x00],
  ['w', FPGAIO + 0x4c, 0x1234], ['r', FPGAIO + 0x4c],
  ['w', FPGAIO + 0x1c, 5], ['r', FPGAIO + 0x1c],
  // UART 2: reset values, ID, BAUDDIV, transmit with TX disabled (stuck, then overrun).
  ...[0x00, 0x04, 0x08, 0x0c, 0x10].map((o) => ['r', UART2 + o] as const),
  ...ids(UART2),
  ['w', UART2 + 0x10, 0xffff_ffff], ['r', UART2 + 0x10],
  ['w', UART2 + 0x00, 0x41], ['r', UART2 + 0x04], ['r', UART2 + 0x0c],
  ['w', UART2 + 0x00, 0x42], ['r', UART2 + 0x04], ['r', UART2 + 0x0c],
  ['w', UART2 + 0x08, 0x10], ['r', UART2 + 0x0c],
  ['w', UART2 + 0x04, 0x04], ['r', UART2 + 0x04], ['r', UART2 + 0x0c],
  ['w', UART2 + 0x08, 0x11], ['r', UART2 + 0x04],
  // UART 3: transmit with TX and its interrupt enabled; INTCLEAR; CTRL's 7 bits.
  ['w', UART3 + 0x08, 0x05], ['w', UART3 + 0x00, 0x43], ['r', UART3 + 0x04], ['r', UART3 + 0x0c],
  ['w', UART3 + 0x0c, 0x01], ['r', UART3 + 0x0c],
  ['w', UART3 + 0x08, 0xff], ['r', UART3 + 0x08],
  ['w', UART3 + 0x08, 0x00], ['r', UART3 + 0x08],
  // Timer 0, stopped: reset values, ID, RELOAD loading VALUE, CTRL's bits.
  ...[0x00, 0x04, 0x08, 0x0c].map((o) => ['r', TIMER0 + o] as const),
  ...ids(TIMER0),
  ['w', TIMER0 + 0x08, 1000], ['r', TIMER0 + 0x08], ['r', TIMER0 + 0x04],
  ['w', TIMER0 + 0x04, 77], ['r', TIMER0 + 0x04], ['r', TIMER0 + 0x08],
  ['w', TIMER0 + 0x00, 0x0e], ['r', TIMER0 + 0x00],
  ['w', TIMER0 + 0x00, 0x00], ['r', TIMER0 + 0x00],
  // Dual timer, stopped: reset values of both counters, ID, LOAD in 16-bit free-running mode, mode and size changes, BGLOAD, test mode.
  ...[0x00, 0x04, 0x08, 0x10, 0x14, 0x18, 0x20, 0x24, 0x28, 0x30, 0x34, 0x38, 0xf00].map((o) => ['r', DUALTIMER + o] as const),
  ...ids(DUALTIMER),
  ['w', DUALTIMER + 0x00, 0x1234_0005], ['r', DUALTIMER + 0x00], ['r', DUALTIMER + 0x04], ['r', DUALTIMER + 0x18],
  ['w', DUALTIMER + 0x08, 0x62], ['r', DUALTIMER + 0x08], ['r', DUALTIMER + 0x00], ['r', DUALTIMER + 0x04],
  ['w', DUALTIMER + 0x18, 7], ['r', DUALTIMER + 0x00], ['r', DUALTIMER + 0x04],
  ['w', DUALTIMER + 0x08, 0x20], ['r', DUALTIMER + 0x08], ['r', DUALTIMER + 0x00], ['r', DUALTIMER + 0x04],
  ['w', DUALTIMER + 0x20, 0xabcd_0010], ['w', DUALTIMER + 0x28, 0x0a], ['r', DUALTIMER + 0x28], ['r', DUALTIMER + 0x24],
  ['w', DUALTIMER + 0x28, 0x08], ['r', DUALTIMER + 0x28], ['r', DUALTIMER + 0x24], ['r', DUALTIMER + 0x20],
  ['w', DUALTIMER + 0xf00, 1], ['w', DUALTIMER + 0xf04, 3], ['r', DUALTIMER + 0xf00], ['r', DUALTIMER + 0xf04],
  ['w', DUALTIMER + 0xf00, 0], ['r', DUALTIMER + 0x10], ['r', DUALTIMER + 0x14],
];

const hex = (n: number) => `0x${(n >>> 0).toString(16)}u`;

/** The script as a Cortex-M3 program: a vector table, then every access in order; each read printed through SYS_WRITE0. */
function program(): string {
  const body = SCRIPT.map((op) => (op[0] === 'r' ? `  put(*(volatile uint32_t *)${hex(op[1])});` : `  *(volatile uint32_t *)${hex(op[1])} = ${hex(op[2])};`)).join('\n');
  return `#include <stdint.h>
extern uint32_t _estack;
void reset(void);
__attribute__((section(".vectors"), used)) const void *const vectors[2] = { &_estack, (const void *)reset };
static int semihost(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
static char line[10];
static void put(uint32_t v) {
  for (int i = 7; i >= 0; i--) { line[i] = "0123456789abcdef"[v & 15]; v >>= 4; }
  line[8] = '\\n';
  line[9] = 0;
  semihost(0x04, line); /* SYS_WRITE0 */
}
void reset(void) {
${body}
  semihost(0x18, (const void *)0x20026); /* SYS_EXIT, ADP_Stopped_ApplicationExit */
  for (;;) {}
}
`;
}

const LINKER_SCRIPT = `MEMORY { SSRAM1 (rx) : ORIGIN = 0, LENGTH = 4M  SSRAM23 (rwx) : ORIGIN = 0x20000000, LENGTH = 4M }
_estack = ORIGIN(SSRAM23) + LENGTH(SSRAM23);
SECTIONS { .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) } > SSRAM1  .bss (NOLOAD) : { *(.bss*) *(COMMON) } > SSRAM23 }
`;

const work = mkdtempSync(join(tmpdir(), 'boardlab-mps2-devices-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function onQemu(): string[] {
  writeFileSync(join(work, 'script.c'), program());
  writeFileSync(join(work, 'link.ld'), LINKER_SCRIPT);
  const gcc = spawnSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-O1', '-nostdlib', '-ffreestanding', '-T', 'link.ld', 'script.c', '-o', 'script.elf'], { cwd: work, encoding: 'utf8' });
  if (gcc.error) throw gcc.error;
  if (gcc.status !== 0) throw new Error(`arm-none-eabi-gcc failed:\n${gcc.stderr}`);
  const qemu = spawnSync('qemu-system-arm', ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-monitor', 'none', '-semihosting-config', 'enable=on,target=native', '-kernel', join(work, 'script.elf')], { encoding: 'utf8', timeout: 30_000 });
  if (qemu.error) throw qemu.error;
  if (qemu.status !== 0) throw new Error(`qemu-system-arm exited ${qemu.status}:\n${qemu.stderr}`);
  // QEMU 7.2 writes the semihosting console (no chardev given) to stderr.
  return qemu.stderr.split('\n').filter((l) => l !== '');
}

function onBoardLab(): string[] {
  const clock = new FakeClock();
  const context = (path: string): DeviceContext => ({ path, props: {}, allocateRam: privateRam, clock });
  const devices = new Map<number, MmioHandler>([
    [TIMER0, new CmsdkApbTimer(context('/machine/timer0'))],
    [DUALTIMER, new CmsdkApbDualTimer(context('/machine/dualtimer'))],
    [UART2, new CmsdkApbUart(context('/machine/uart2'))],
    [UART3, new CmsdkApbUart(context('/machine/uart3'))],
    [FPGAIO, new Mps2Fpgaio(context('/machine/fpgaio'))],
    [SCC, new Mps2Scc(context('/machine/scc'))],
  ]);
  const device = (address: number) => devices.get(address & ~0xfff)!;
  return SCRIPT.flatMap((op) => {
    if (op[0] === 'w') {
      device(op[1]).write(op[1] & 0xfff, op[2], 4);
      return [];
    }
    return [(device(op[1]).read(op[1] & 0xfff, 4) >>> 0).toString(16).padStart(8, '0')];
  });
}

describe('the mps2-an385 devices against qemu-system-arm 7.2', () => {
  it('every register read of the script gives what QEMU gives (SCC, FPGAIO, UART, timer, dual timer)', () => {
    const qemu = onQemu();
    const ours = onBoardLab();
    expect(qemu.length).toBe(SCRIPT.filter((op) => op[0] === 'r').length);
    const reads = SCRIPT.filter((op) => op[0] === 'r');
    const differences = ours.flatMap((value, i) => (value === qemu[i] ? [] : [`read ${i} at 0x${reads[i][1].toString(16)}: QEMU ${qemu[i]}, BoardLab ${value}`]));
    expect(differences).toEqual([]);
  });
});
