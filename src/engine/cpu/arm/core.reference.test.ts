// The Cortex-M cores against Debian's qemu-system-arm: testdata/conformance.c, built live with
// arm-none-eabi-gcc for cortex-m3 and cortex-m0, prints digests of instruction groups and exception
// cases through semihosting. QEMU runs it (mps2-an385 for the M3, microbit for the M0 — QEMU 7.2's
// mps2-an385 takes only a cortex-m3) and the core here must print the same bytes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../memory.ts';
import { FLASH, FLASH_SIZE, makeCore, SRAM, SRAM_SIZE } from './testing.ts';

const here = new URL('./testdata/', import.meta.url).pathname;

/** Semihosting operations the program uses (ARM's semihosting specification). */
const SYS_WRITEC = 0x03;
const SYS_WRITE0 = 0x04;
const SYS_EXIT = 0x18;

function build(cpu: string): string {
  const elf = join(mkdtempSync(join(tmpdir(), 'armcore-')), `conformance-${cpu}.elf`);
  execFileSync('arm-none-eabi-gcc', [`-mcpu=${cpu}`, '-mthumb', '-O2', '-ffreestanding', '-nostdlib', '-T', join(here, 'link.ld'), join(here, 'conformance.c'), '-lgcc', '-o', elf]);
  return elf;
}

/** Load the ELF's PT_LOAD segments at their physical addresses (as QEMU's -kernel does for M-profile). */
function loadElf(space: AddressSpace, image: Uint8Array): void {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== 1) continue;
    const offset = view.getUint32(at + 4, true);
    const paddr = view.getUint32(at + 12, true);
    const filesz = view.getUint32(at + 16, true);
    if (filesz > 0) space.writeBytes(paddr, image.subarray(offset, offset + filesz));
  }
}

function runOnBoardLab(elf: string, profile: 'v7m' | 'v6m'): string {
  const space = new AddressSpace('reference');
  space.mapRam('flash', FLASH, new ArrayBuffer(FLASH_SIZE), FLASH_SIZE);
  space.mapRam('sram', SRAM, new ArrayBuffer(SRAM_SIZE), SRAM_SIZE);
  loadElf(space, readFileSync(elf));
  let output = '';
  let exited = false;
  const { cpu } = makeCore(space, {
    profile,
    semihosting: (op, param) => {
      if (op === SYS_WRITEC) output += String.fromCharCode(space.load(param, 1));
      else if (op === SYS_WRITE0) for (let a = param, c = space.load(a, 1); c !== 0; c = space.load(++a, 1)) output += String.fromCharCode(c);
      else if (op === SYS_EXIT) {
        exited = true;
        cpu.requestStop();
      }
      return 0;
    },
  });
  cpu.reset();
  for (let total = 0; !exited && total < 50_000_000; ) {
    const n = cpu.run(1_000_000);
    total += n;
    if (n === 0) throw new Error(`the core stopped: ${cpu.describe()} at 0x${cpu.pc.toString(16)}; output so far:\n${output}`);
  }
  expect(exited).toBe(true);
  return output;
}

/** QEMU 7.2 writes the semihosting console (target=native) to its stderr. */
function runOnQemu(elf: string, machine: string, cpu?: string): string {
  const run = spawnSync('qemu-system-arm', ['-M', machine, ...(cpu === undefined ? [] : ['-cpu', cpu]), '-nographic', '-semihosting-config', 'enable=on,target=native', '-kernel', elf], { timeout: 60_000, encoding: 'latin1' });
  expect(run.status).toBe(0);
  return run.stderr;
}

describe('Cortex-M cores against qemu-system-arm', () => {
  it('cortex-m3 prints what QEMU 7.2 prints on mps2-an385', () => {
    const elf = build('cortex-m3');
    const qemu = runOnQemu(elf, 'mps2-an385', 'cortex-m3');
    expect(qemu).toMatch(/^conformance\narith=[0-9a-f]{8}\nbits=[0-9a-f]{8}\nmemory=[0-9a-f]{8}\nexceptions=[0-9a-f]{8}\n$/);
    expect(runOnBoardLab(elf, 'v7m')).toBe(qemu);
  });

  it('cortex-m0 prints what QEMU 7.2 prints on microbit', () => {
    const elf = build('cortex-m0');
    const qemu = runOnQemu(elf, 'microbit');
    expect(qemu).toMatch(/^conformance\narith=[0-9a-f]{8}\n/);
    expect(runOnBoardLab(elf, 'v6m')).toBe(qemu);
  });
});
