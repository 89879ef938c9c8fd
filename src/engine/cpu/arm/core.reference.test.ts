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
import { cpus } from './index.ts';
import { FLASH, FLASH_SIZE, SRAM, SRAM_SIZE } from './testing.ts';

const here = new URL('./testdata/', import.meta.url).pathname;

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

/** Run the ELF on the module's core (its semihosting on, as -semihosting-config enable=on,target=native): the console output and the exit status. */
function runOnBoardLab(elf: string, model: string): { output: string; status: number | undefined } {
  const space = new AddressSpace('reference');
  space.mapRam('flash', FLASH, new ArrayBuffer(FLASH_SIZE), FLASH_SIZE);
  space.mapRam('sram', SRAM, new ArrayBuffer(SRAM_SIZE), SRAM_SIZE);
  loadElf(space, readFileSync(elf));
  let output = '';
  let status: number | undefined;
  const cpu = cpus[model]({
    path: '/machine/cpu',
    props: { semihosting: true },
    space,
    console: (bytes) => (output += String.fromCharCode(...bytes)),
    exit: (code) => (status = code),
  });
  cpu.reset();
  for (let total = 0; status === undefined && total < 50_000_000; ) {
    const n = cpu.run(1_000_000);
    total += n;
    if (n === 0 && status === undefined) throw new Error(`the core stopped: ${cpu.debug.describe()} at 0x${cpu.pc.toString(16)}; output so far:\n${output}`);
  }
  return { output, status };
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
    expect(runOnBoardLab(elf, 'cortex-m3')).toEqual({ output: qemu, status: 0 });
  });

  it('cortex-m0 prints what QEMU 7.2 prints on microbit', () => {
    const elf = build('cortex-m0');
    const qemu = runOnQemu(elf, 'microbit');
    expect(qemu).toMatch(/^conformance\narith=[0-9a-f]{8}\n/);
    expect(runOnBoardLab(elf, 'cortex-m0')).toEqual({ output: qemu, status: 0 });
  });
});
