// The ELFs committed under public/firmware/ must be exactly what the sources in firmware/ build to.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { firmwarePrograms, publicFirmwareDir, repoRoot } from './run-reference.ts';

const FIX_HINT = 'run `make -C firmware install` and commit public/firmware/';
/** Building every program (several dozen, each per-ISA library once) on a busy machine. */
const BUILD_TIMEOUT_MS = 120_000;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const ET_EXEC = 2;
const EM_RISCV = 243;
const RAM_BASE = 0x8000_0000;

interface ElfHeader {
  magic: number[];
  elfClass: number;
  dataEncoding: number;
  type: number;
  machine: number;
  entry: number;
}

function parseElf32Header(bytes: Buffer): ElfHeader {
  if (bytes.length < 52) throw new Error(`file is ${bytes.length} bytes, too short for an ELF32 header`);
  return {
    magic: [...bytes.subarray(0, 4)],
    elfClass: bytes[4],
    dataEncoding: bytes[5],
    type: bytes.readUInt16LE(16),
    machine: bytes.readUInt16LE(18),
    entry: bytes.readUInt32LE(24),
  };
}

const programs = firmwarePrograms();
let buildDir = '';

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'boardlab-firmware-'));
  const result = spawnSync('make', ['-s', '--no-print-directory', `-j${availableParallelism()}`, '-C', join(repoRoot, 'firmware'), `OUT=${buildDir}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`building firmware failed (make -C firmware OUT=${buildDir}):\n` +
      `${result.error?.message ?? ''}${result.stdout}${result.stderr}`);
  }
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

describe('firmware build', () => {
  test('the Makefile knows some programs', () => {
    expect(programs.length).toBeGreaterThan(0);
  });

  test('public/firmware/ holds no ELF without a source program', () => {
    const committed = existsSync(publicFirmwareDir)
      ? readdirSync(publicFirmwareDir).filter((name) => name.endsWith('.elf')).sort()
      : [];
    const built = programs.map((name) => `${name}.elf`).sort();
    const orphans = committed.filter((name) => !built.includes(name));
    expect(orphans, `public/firmware/ has ELFs no firmware/ program builds: ${orphans.join(', ')}; delete them`).toEqual([]);
  });

  describe.each(programs)('%s.elf', (name) => {
    const committedPath = join(publicFirmwareDir, `${name}.elf`);

    test('committed ELF is byte-identical to a fresh build', () => {
      const fresh = readFileSync(join(buildDir, `${name}.elf`));
      expect(existsSync(committedPath), `public/firmware/${name}.elf is missing; ${FIX_HINT}`).toBe(true);
      const committed = readFileSync(committedPath);
      expect(committed.equals(fresh),
        `public/firmware/${name}.elf is stale: it differs from a fresh build of firmware/${name} ` +
        `(${committed.length} vs ${fresh.length} bytes); ${FIX_HINT}`).toBe(true);
    });

    test('is a 32-bit little-endian RISC-V executable entered at 0x80000000', () => {
      const header = parseElf32Header(readFileSync(join(buildDir, `${name}.elf`)));
      expect(header.magic, 'ELF magic').toEqual(ELF_MAGIC);
      expect(header.elfClass, 'EI_CLASS (1 = ELFCLASS32)').toBe(ELFCLASS32);
      expect(header.dataEncoding, 'EI_DATA (1 = little endian)').toBe(ELFDATA2LSB);
      expect(header.type, 'e_type (2 = ET_EXEC)').toBe(ET_EXEC);
      expect(header.machine, 'e_machine (243 = EM_RISCV)').toBe(EM_RISCV);
      expect(header.entry.toString(16), 'e_entry').toBe(RAM_BASE.toString(16));
    });
  });
});
