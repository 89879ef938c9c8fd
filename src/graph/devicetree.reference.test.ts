// Device-tree export against the reference tools: Debian's dtc must accept the DTS and the DTB
// without a single warning, and decompiling both must give the same text (so the DTS and DTB
// agree). QEMU (its libfdt) must also accept the DTB given with -dtb.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseBoard, type ResolvedBoard } from './index.ts';
import { boardToDtb, boardToDts } from './devicetree.ts';
import { helloBoard, smpBoard } from './devicetree.fixtures.ts';

const work = mkdtempSync(join(tmpdir(), 'boardlab-dt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run dtc; return stdout and stderr (warnings). Throws when dtc fails. */
function dtc(args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync('dtc', args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`dtc ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

function helloFromExample(): ResolvedBoard {
  const result = parseBoard(readFileSync('examples/hello.board.json', 'utf8'));
  if (!result.ok) throw new Error(`examples/hello.board.json does not resolve: ${JSON.stringify(result.problems)}`);
  return result.board;
}

const boards: Array<[string, () => ResolvedBoard]> = [
  ['examples/hello.board.json', helloFromExample],
  ['the hello layout as the riscv-virt board', () => helloBoard('riscv-virt')],
  ['two harts, three UARTs, CLINT, PLIC, GPIO and framebuffer', smpBoard],
];

describe.each(boards)('%s', (title, make) => {
  const stem = join(work, title.replace(/[^a-z0-9]+/gi, '-'));

  test('dtc compiles the DTS without warnings, reads the DTB without warnings, and both decompile to the same text', () => {
    const board = make();
    writeFileSync(`${stem}.dts`, boardToDts(board));
    writeFileSync(`${stem}.dtb`, boardToDtb(board));

    const compiled = dtc(['-I', 'dts', '-O', 'dtb', '-o', `${stem}.from-dts.dtb`, `${stem}.dts`]);
    expect(compiled.stderr).toBe('');
    const fromDts = dtc(['-I', 'dtb', '-O', 'dts', `${stem}.from-dts.dtb`]);
    expect(fromDts.stderr).toBe('');
    const fromDtb = dtc(['-I', 'dtb', '-O', 'dts', `${stem}.dtb`]);
    expect(fromDtb.stderr).toBe('');

    expect(fromDtb.stdout).toBe(fromDts.stdout);
    expect(fromDtb.stdout).toContain('serial@10000000 {');
    expect(fromDtb.stdout).toContain('stdout-path = "/soc/serial@10000000";');
  });

  test('dtc re-encodes the DTB to the same tree (dtb → dtb → dts)', () => {
    const board = make();
    writeFileSync(`${stem}.2.dtb`, boardToDtb(board));
    dtc(['-I', 'dtb', '-O', 'dtb', '-o', `${stem}.again.dtb`, `${stem}.2.dtb`]);
    expect(dtc(['-I', 'dtb', '-O', 'dts', `${stem}.again.dtb`]).stdout).toBe(dtc(['-I', 'dtb', '-O', 'dts', `${stem}.2.dtb`]).stdout);
  });
});

describe('the two-hart board against the reference tools', () => {
  test('the decompiled tree wires UARTs to the PLIC and the CLINT/PLIC to both harts', () => {
    const stem = join(work, 'smp-check');
    writeFileSync(`${stem}.dtb`, boardToDtb(smpBoard()));
    const text = dtc(['-I', 'dtb', '-O', 'dts', `${stem}.dtb`]).stdout;
    // phandles as dtc prints them: intc of hart 0 = 1, hart 1 = 2, finisher = 3, PLIC = 4
    expect(text).toContain('interrupts-extended = <0x01 0x03 0x01 0x07 0x02 0x03 0x02 0x07>;');
    expect(text).toContain('interrupts-extended = <0x01 0x0b 0x01 0x09 0x02 0x0b>;');
    expect(text).toMatch(/serial@10000100 \{[^}]*interrupts = <0x0b>;[^}]*interrupt-parent = <0x04>;|serial@10000100 \{[^}]*interrupt-parent = <0x04>;[^}]*interrupts = <0x0b>;/);
    expect(text).toContain('compatible = "sifive,plic-1.0.0\\0riscv,plic0";');
  });

  test('QEMU accepts the DTB (-dtb) and dumps it back unchanged apart from its rng-seed', () => {
    const stem = join(work, 'qemu');
    writeFileSync(`${stem}.dtb`, boardToDtb(smpBoard()));
    execFileSync('qemu-system-riscv32', ['-M', `virt,dumpdtb=${stem}.dumped.dtb`, '-smp', '2', '-bios', 'none', '-dtb', `${stem}.dtb`, '-nographic'], {
      stdio: 'pipe',
      timeout: 30_000,
    });
    const withoutSeed = (text: string): string => text.replace(/^\s*rng-seed = <[^>]*>;\n/m, '');
    const ours = dtc(['-I', 'dtb', '-O', 'dts', `${stem}.dtb`]).stdout;
    const dumped = dtc(['-I', 'dtb', '-O', 'dts', `${stem}.dumped.dtb`]).stdout;
    expect(withoutSeed(dumped)).toBe(ours);
  });
});
