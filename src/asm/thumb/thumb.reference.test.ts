// The Thumb assembler against Debian's GNU tools: every program of ./testdata is assembled by
// `arm-none-eabi-as -mcpu=cortex-m3 -mthumb` (cortex-m0 for armv6m.s) and linked by
// `arm-none-eabi-ld -Ttext=0`, and by ours; the .text, .rodata and .data bytes and addresses and
// the entry point and the values and types of the program's symbols must be identical, and objdump must list both
// ELFs the same (so the $t/$d mapping symbols are where GNU as puts them), and the DWARF line
// tables (GNU as with -g) must hold the same rows.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../index.ts';
import { isMappingSymbol, parseElfSymbols } from '../../graph/elf-symbols.ts';

const TESTDATA = join(import.meta.dirname, 'testdata');
const EM_ARM = 40;
const COMPARED_SECTIONS = ['.text', '.rodata', '.data'];
const work = mkdtempSync(join(tmpdir(), 'thumb-reference-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Address and bytes of a section of an ELF32 little-endian file, by name. */
function sectionContents(elf: Uint8Array, name: string): { address: number; bytes: Uint8Array } | undefined {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = view.getUint32(0x20, true);
  const shentsize = view.getUint16(0x2e, true);
  const shnum = view.getUint16(0x30, true);
  const shstrndx = view.getUint16(0x32, true);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return { name: view.getUint32(at, true), type: view.getUint32(at + 4, true), address: view.getUint32(at + 12, true), offset: view.getUint32(at + 16, true), size: view.getUint32(at + 20, true) };
  };
  const names = header(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const h = header(i);
    let sectionName = '';
    for (let j = names.offset + h.name; elf[j] !== 0; j++) sectionName += String.fromCharCode(elf[j]);
    if (sectionName === name) return { address: h.address, bytes: elf.slice(h.offset, h.offset + h.size) };
  }
  return undefined;
}

/** Symbols the source defines (those of GNU as's object file), with their values in the linked ELF. */
function sourceSymbols(object: Uint8Array, linked: Uint8Array): Map<string, { value: number; type: number }> {
  const fromSource = new Set(parseElfSymbols(object).symbols.filter((s) => s.name !== '' && !isMappingSymbol(s.name, EM_ARM) && s.type !== 3 && s.type !== 4 && s.section !== 0).map((s) => s.name));
  const result = new Map<string, { value: number; type: number }>();
  for (const s of parseElfSymbols(linked).symbols) if (fromSource.has(s.name)) result.set(s.name, { value: s.value, type: s.type });
  return result;
}

function ourSymbols(elf: Uint8Array): Map<string, { value: number; type: number }> {
  const result = new Map<string, { value: number; type: number }>();
  for (const s of parseElfSymbols(elf).symbols) if (s.name !== '' && !isMappingSymbol(s.name, EM_ARM) && s.type !== 3 && s.type !== 4) result.set(s.name, { value: s.value, type: s.type });
  return result;
}

/** objdump's listing of the ELF's code, without the file name line. */
function objdump(path: string): string {
  return execFileSync('arm-none-eabi-objdump', ['-d', path], { encoding: 'utf8' }).split('\n').slice(2).join('\n');
}

/** The DWARF line table as objdump decodes it: [line, address] rows (`-` ends a sequence). */
function lineTable(path: string): string[][] {
  const text = execFileSync('arm-none-eabi-objdump', ['--dwarf=decodedline', path], { encoding: 'utf8' });
  return text.split('\n').map((row) => /^\S+\s+(\d+|-)\s+(0x[0-9a-f]+)/.exec(row)).filter((m) => m !== null).map((m) => [m[1], m[2]]);
}

/**
 * A program of random branches, label loads, adr, literal loads, pools, padding and alignment at
 * random distances (a fixed linear congruential sequence per seed): relaxation must reach the same
 * sizes as GNU as's passes, including instructions that grow and shrink again.
 */
function relaxationProgram(seed: number): string {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const below = (n: number) => Math.floor(random() * n);
  const labels = 120;
  const lines = ['.syntax unified', '.cpu cortex-m3', '.thumb', '.text', '.global _start', '.thumb_func', '_start:'];
  for (let i = 0; i < labels; i++) {
    lines.push(`L${i}:`);
    const target = `L${below(labels)}`;
    const r = random();
    if (r < 0.15) lines.push(` b ${target}`);
    else if (r < 0.3) lines.push(` b${['eq', 'ne', 'gt', 'lo'][below(4)]} ${target}`);
    else if (r < 0.4) lines.push(` ldr r${below(8)}, ${target}`);
    else if (r < 0.5) lines.push(` adr r${below(8)}, ${target}`);
    else if (r < 0.6) lines.push(` ldr r${below(8)}, =0x${below(0x7fffffff).toString(16)}`);
    else if (r < 0.7) lines.push(` .space ${2 * below(60)}`);
    else if (r < 0.75) lines.push(` .align ${1 + below(3)}`);
    else if (r < 0.8) lines.push(' b 1f', ' .ltorg', '1:');
    else if (r < 0.85 && i < labels - 2) lines.push(` cbz r1, L${i + 1}`);
    else lines.push([' adds r0, r1', ' nop', ' mov.w r0, r1', ` bl ${target}`][below(4)]);
  }
  lines.push('1: b 1b');
  return lines.join('\n') + '\n';
}

const programs = readdirSync(TESTDATA).filter((f) => f.endsWith('.s')).sort();

describe('Thumb relaxation against arm-none-eabi-as + ld', () => {
  // Seeds whose programs GNU as accepts (others have a branch or load out of reach).
  for (const seed of [3, 12, 15, 21, 27, 33]) {
    it(`generated program ${seed}: identical .text`, () => {
      const source = relaxationProgram(seed);
      const stem = join(work, `relax-${seed}`);
      writeFileSync(`${stem}.s`, source);
      execFileSync('arm-none-eabi-as', ['-mcpu=cortex-m3', '-mthumb', `${stem}.s`, '-o', `${stem}.o`]);
      execFileSync('arm-none-eabi-ld', ['-Ttext=0', `${stem}.o`, '-o', `${stem}.gnu.elf`], { stdio: 'ignore' });
      const result = assemble(source, { march: 'armv7-m' });
      if (!result.ok) throw new Error(`assembly failed: ${JSON.stringify(result.errors)}`);
      const theirs = sectionContents(new Uint8Array(readFileSync(`${stem}.gnu.elf`)), '.text');
      expect(Buffer.from(sectionContents(result.elf, '.text')?.bytes ?? []).toString('hex')).toBe(Buffer.from(theirs?.bytes ?? []).toString('hex'));
    });
  }
});

describe('Thumb assembler against arm-none-eabi-as + ld', () => {
  it('has a corpus of at least eight programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of programs) {
    it(`${file}: identical sections and symbols`, () => {
      const v6m = file.startsWith('armv6m');
      const source = readFileSync(join(TESTDATA, file), 'utf8');
      const stem = join(work, file.replace(/\.s$/, ''));
      execFileSync('arm-none-eabi-as', ['-g', `-mcpu=${v6m ? 'cortex-m0' : 'cortex-m3'}`, '-mthumb', join(TESTDATA, file), '-o', `${stem}.o`]);
      execFileSync('arm-none-eabi-ld', ['-Ttext=0', `${stem}.o`, '-o', `${stem}.gnu.elf`], { stdio: 'ignore' });
      const gnu = new Uint8Array(readFileSync(`${stem}.gnu.elf`));
      const result = assemble(source, { march: v6m ? 'armv6-m' : 'armv7-m', fileName: file });
      if (!result.ok) throw new Error(`assembly failed: ${JSON.stringify(result.errors)}`);
      writeFileSync(`${stem}.ours.elf`, result.elf);

      for (const name of COMPARED_SECTIONS) {
        const theirs = sectionContents(gnu, name);
        const ours = sectionContents(result.elf, name);
        if (theirs === undefined || theirs.bytes.length === 0) {
          expect(ours?.bytes.length ?? 0, `${name} is empty for GNU`).toBe(0);
          continue;
        }
        expect(ours, `${name} exists`).toBeDefined();
        expect(ours?.address, `${name} address`).toBe(theirs.address);
        expect(Buffer.from(ours?.bytes ?? []).toString('hex'), `${name} bytes`).toBe(Buffer.from(theirs.bytes).toString('hex'));
      }
      const entry = (elf: Uint8Array) => new DataView(elf.buffer, elf.byteOffset).getUint32(24, true);
      expect(entry(result.elf), 'e_entry').toBe(entry(gnu));
      expect(Object.fromEntries(ourSymbols(result.elf))).toEqual(Object.fromEntries(sourceSymbols(new Uint8Array(readFileSync(`${stem}.o`)), gnu)));
      expect(objdump(`${stem}.ours.elf`)).toBe(objdump(`${stem}.gnu.elf`));
      expect(lineTable(`${stem}.ours.elf`)).toEqual(lineTable(`${stem}.gnu.elf`));
    });
  }
});
