// The ARM ELFs committed under public/firmware/arm/ must be exactly what the sources in
// firmware/arm/ build to (Debian's arm-none-eabi-gcc), and each must be a Cortex-M image QEMU's
// mps2-an385 starts: a Thumb executable whose vector table sits at address 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { armFirmwareDir, armFirmwarePrograms, ARMV6M_PROGRAMS, publicArmFirmwareDir } from './run-reference.ts';

const FIX_HINT = 'run `make -C firmware/arm install` and commit public/firmware/arm/';
const BUILD_TIMEOUT_MS = 120_000;

const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const ET_EXEC = 2;
const EM_ARM = 40;
const PT_LOAD = 1;
const RAM_BASE = 0x2000_0000;
const RAM_END = 0x2040_0000;
const CODE_END = 0x0040_0000;

interface Segment { type: number; offset: number; vaddr: number; paddr: number; filesz: number; memsz: number }

function parseElf(bytes: Buffer): { machine: number; type: number; elfClass: number; data: number; entry: number; segments: Segment[] } {
  if (bytes.length < 52 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const phoff = bytes.readUInt32LE(28);
  const phentsize = bytes.readUInt16LE(42);
  const phnum = bytes.readUInt16LE(44);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    segments.push({
      type: bytes.readUInt32LE(at), offset: bytes.readUInt32LE(at + 4), vaddr: bytes.readUInt32LE(at + 8),
      paddr: bytes.readUInt32LE(at + 12), filesz: bytes.readUInt32LE(at + 16), memsz: bytes.readUInt32LE(at + 20),
    });
  }
  return { elfClass: bytes[4], data: bytes[5], type: bytes.readUInt16LE(16), machine: bytes.readUInt16LE(18), entry: bytes.readUInt32LE(24), segments };
}

/** The word at physical address `address` of the image (what the loader puts there). */
function loadedWord(bytes: Buffer, segments: Segment[], address: number): number | undefined {
  const segment = segments.find((s) => s.type === PT_LOAD && address >= s.paddr && address + 4 <= s.paddr + s.filesz);
  return segment === undefined ? undefined : bytes.readUInt32LE(segment.offset + address - segment.paddr);
}

const programs = armFirmwarePrograms();

/** Whether the program's program.mk asks for an ARMv6-M core (CPU := cortex-m0 or cortex-m0plus). */
function isBuiltForArmv6m(name: string): boolean {
  const config = join(armFirmwareDir, name, 'program.mk');
  return existsSync(config) && /^CPU\s*:=\s*cortex-m0(plus)?\s*$/m.test(readFileSync(config, 'utf8'));
}
let buildDir = '';

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'boardlab-arm-firmware-'));
  const result = spawnSync('make', ['-s', '--no-print-directory', `-j${availableParallelism()}`, '-C', armFirmwareDir, `OUT=${buildDir}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`building ARM firmware failed (make -C firmware/arm OUT=${buildDir}):\n` +
      `${result.error?.message ?? ''}${result.stdout}${result.stderr}`);
  }
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

describe('ARM firmware build', () => {
  test('the ARMv6-M programs (conf-armv6m, m0-blinky) are built for an ARMv6-M core', () => {
    for (const name of [...ARMV6M_PROGRAMS, 'm0-blinky']) expect(isBuiltForArmv6m(name), name).toBe(true);
  });

  test('the Makefile knows the programs the issue asks for', () => {
    for (const name of ['hello', 'semihost-hello', 'systick-blinky', 'uart-echo', 'tasks', 'fault-demo', 'conf-arm-alu', 'conf-arm-mem', 'conf-arm-branch', 'conf-arm-muldiv', 'conf-arm-bitfield', 'conf-arm-excl', 'conf-arm-exc', 'conf-armv6m', 'bench-crc', 'bench-sort', 'bench-matmul', 'bench-dhry', 'bench-quick']) expect(programs).toContain(name);
  });

  test('public/firmware/arm/ holds no ELF without a source program', () => {
    const committed = existsSync(publicArmFirmwareDir) ? readdirSync(publicArmFirmwareDir).filter((n) => n.endsWith('.elf')).sort() : [];
    const orphans = committed.filter((name) => !programs.includes(name.slice(0, -'.elf'.length)));
    expect(orphans, `public/firmware/arm/ has ELFs no firmware/arm/ program builds: ${orphans.join(', ')}; delete them`).toEqual([]);
  });

  describe.each(programs)('%s.elf', (name) => {
    const committedPath = join(publicArmFirmwareDir, `${name}.elf`);

    test('committed ELF is byte-identical to a fresh build', () => {
      const fresh = readFileSync(join(buildDir, `${name}.elf`));
      expect(existsSync(committedPath), `public/firmware/arm/${name}.elf is missing; ${FIX_HINT}`).toBe(true);
      const committed = readFileSync(committedPath);
      expect(committed.equals(fresh),
        `public/firmware/arm/${name}.elf is stale: it differs from a fresh build of firmware/arm/${name} ` +
        `(${committed.length} vs ${fresh.length} bytes); ${FIX_HINT}`).toBe(true);
    });

    test('is a 32-bit little-endian ARM executable with its vector table at 0', () => {
      const bytes = readFileSync(join(buildDir, `${name}.elf`));
      const elf = parseElf(bytes);
      expect(elf.elfClass, 'EI_CLASS (1 = ELFCLASS32)').toBe(ELFCLASS32);
      expect(elf.data, 'EI_DATA (1 = little endian)').toBe(ELFDATA2LSB);
      expect(elf.type, 'e_type (2 = ET_EXEC)').toBe(ET_EXEC);
      expect(elf.machine, 'e_machine (40 = EM_ARM)').toBe(EM_ARM);
      const initialSp = loadedWord(bytes, elf.segments, 0);
      const resetVector = loadedWord(bytes, elf.segments, 4);
      expect(initialSp, 'word 0 (initial MSP) is loaded').toBeDefined();
      expect(initialSp! >= RAM_BASE && initialSp! <= RAM_END && initialSp! % 8 === 0, `initial MSP 0x${initialSp!.toString(16)} is 8-aligned in SSRAM2/3`).toBe(true);
      expect(resetVector! & 1, 'the reset vector has the Thumb bit').toBe(1);
      expect(resetVector! < CODE_END, 'the reset handler is in SSRAM1').toBe(true);
      expect(elf.entry, 'e_entry is the reset handler').toBe(resetVector);
      for (const s of elf.segments.filter((seg) => seg.type === PT_LOAD && seg.memsz > seg.filesz)) {
        expect(s.paddr, 'zero-filled segments are placed at their RAM address (nothing overwrites code)').toBe(s.vaddr);
      }
    });

    if (isBuiltForArmv6m(name)) {
      test('is built for ARMv6-M (no Thumb-2 32-bit encodings but BL, MRS, MSR, DMB, DSB, ISB)', () => {
        const dump = spawnSync('arm-none-eabi-objdump', ['-d', join(buildDir, `${name}.elf`)], { encoding: 'utf8' });
        expect(dump.status).toBe(0);
        const wide = dump.stdout.split('\n').filter((line) => /^\s+[0-9a-f]+:\s+[0-9a-f]{4} [0-9a-f]{4}\s/.test(line))
          .filter((line) => !/\t(bl|mrs|msr|dmb|dsb|isb)\b/.test(line));
        expect(wide).toEqual([]);
      });
    }
  });
});
