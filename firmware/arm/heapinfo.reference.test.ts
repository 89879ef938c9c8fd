// SYS_HEAPINFO on BoardLab answers what qemu-system-arm answers on mps2-an385 when the image puts
// bytes into the RAM the heap comes from: semihost-hello relinked with 16 bytes at 0x21400000,
// inside the 16 MiB PSRAM at 0x21000000 (QEMU's largest RAM). QEMU offers the largest stretch of
// that RAM the image leaves free: 0x21400010–0x22000000 (12 MiB less 16 bytes, above the 4 MiB
// below the blob). Both emulators must print that line, and the rest of the program's bytes alike.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { armFirmwareDir, runArmOnBoardLab, runArmOnQemu } from './run-reference.ts';

const BLOB_ADDRESS = 0x2140_0000;
const EXPECTED_LINE = 'SYS_HEAPINFO heap 0x21400010-0x22000000 stack 0x22000000-0x21400010\n';

let dir = '';
let elf = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'boardlab-heapinfo-'));
  // semihost-hello's objects and the library, as the Makefile builds them
  execFileSync('make', ['-s', '--no-print-directory', '-C', armFirmwareDir, `OUT=${dir}`, `${dir}/semihost-hello.elf`], { stdio: 'pipe' });
  const objects = (sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.o')).map((f) => join(dir, sub, f));
  const blobSource = join(dir, 'blob.S');
  writeFileSync(blobSource, '.section .psram, "aw"\n.global psram_blob\npsram_blob:\n.word 1, 2, 3, 4\n');
  const blob = join(dir, 'blob.o');
  execFileSync('arm-none-eabi-as', ['-mcpu=cortex-m3', '-mthumb', '-o', blob, blobSource]);
  elf = join(dir, 'with-blob.elf');
  execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft', '-ffreestanding', '-nostdlib', '-nostartfiles', '-static',
    '-T', join(armFirmwareDir, 'common', 'link.ld'), '-Wl,--build-id=none', '-Wl,--gc-sections', '-Wl,--no-warn-rwx-segments',
    `-Wl,--section-start=.psram=0x${BLOB_ADDRESS.toString(16)}`, '-Wl,--undefined=psram_blob',
    '-o', elf, ...objects('semihost-hello/semihost-hello'), ...objects('cortex-m3/common'), ...objects('cortex-m3/shared/common'), blob, '-lgcc'], { stdio: 'pipe' });
  const headers = execFileSync('arm-none-eabi-objdump', ['-p', elf], { encoding: 'utf8' });
  const address = `0x${BLOB_ADDRESS.toString(16).padStart(8, '0')}`;
  expect(headers, 'the blob is a loaded segment at its address').toMatch(new RegExp(`LOAD off\\s+0x[0-9a-f]+ vaddr ${address} paddr ${address} align \\S+\\n\\s+filesz 0x00000010 memsz 0x00000010`));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('an image in the PSRAM: QEMU and BoardLab offer the largest stretch it leaves free', async () => {
  const [qemu, boardlab] = await Promise.all([runArmOnQemu(elf), runArmOnBoardLab(elf)]);
  expect(qemu.stderr.toString('latin1'), 'QEMU, the reference').toContain(EXPECTED_LINE);
  expect(boardlab.stderr.toString('latin1')).toBe(qemu.stderr.toString('latin1'));
  expect(boardlab.stdout.equals(qemu.stdout)).toBe(true);
  expect([boardlab.status, qemu.status]).toEqual([5, 5]);
});
