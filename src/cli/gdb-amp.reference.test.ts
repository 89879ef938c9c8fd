// `boardlab run -S -gdb tcp::A -gdb m3=tcp::B` on the heterogeneous example, with two of Debian's
// gdb-multiarch at once: one debugs the RISC-V hart, the other the Cortex-M3, each in its own
// architecture; all-stop across the board; the run ends with the output it has without gdb.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, gdbBatch, waitUntilListening } from './testing/gdb-session.ts';

const root = new URL('../../', import.meta.url).pathname;
const ampBoard = join(root, 'examples/amp.board.json');
const hartElf = join(root, 'public/firmware/amp/hart.elf');
const m3Elf = join(root, 'public/firmware/amp/arm/m3.elf');

/** The four lines the example prints when run without gdb. */
const OUTPUT = 'hart: releasing the M3 and sending it work\nm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\nhart: the M3 answered 204 (right)\n';

describe('boardlab run -gdb on a board with a RISC-V hart and a Cortex-M3', () => {
  it('serves each CPU to its own gdb in its own architecture: break at main on the hart and on the M3, then in the M3\'s mailbox handler, read registers, continue to the end', async () => {
    const hartPort = await freePort();
    const m3Port = await freePort();
    const boardlab = spawn(process.execPath, [join(root, 'bin/boardlab.js'), 'run', ampBoard, '-S', '-gdb', `tcp::${hartPort}`, '-gdb', `m3=tcp::${m3Port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    boardlab.stdout.on('data', (d) => (stdout += d));
    boardlab.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => boardlab.on('exit', (code) => resolve(code)));
    expect(await waitUntilListening(hartPort)).toBe(true);
    expect(await waitUntilListening(m3Port)).toBe(true);
    const [hart, m3] = await Promise.all([
      gdbBatch(hartElf, hartPort, ['show architecture', 'info registers pc', 'break main', 'continue', 'info registers pc sp', 'continue']),
      gdbBatch(m3Elf, m3Port, ['show architecture', 'break main', 'break mailbox_handler', 'continue', 'info registers pc sp', 'continue', 'info registers pc xpsr', 'continue']),
    ]);
    // each gdb took its architecture from its stub's target description
    expect(hart).toMatch(/The target architecture is set to "auto" \(currently "riscv:rv32"\)/);
    expect(m3).toMatch(/The target architecture is set to "auto" \(currently "arm[^"]*"\)/);
    // gdb puts the breakpoint past each function's prologue, in the right ISA for each
    expect(hart).toMatch(/Breakpoint 1 at 0x800000[0-9a-f]{2}\n[^]*Breakpoint 1, 0x800000[0-9a-f]{2} in main \(\)/);
    expect(hart).toMatch(/pc\s+0x800000[0-9a-f]{2}\s+0x800000[0-9a-f]{2} <main\+\d+>/);
    expect(hart).toMatch(/sp\s+0x8001f[0-9a-f]{3}/); // the hart's stack, in its RAM
    expect(m3).toMatch(/Breakpoint 1 at 0x1[0-9a-f]{2}\n[^]*Breakpoint 1, 0x000001[0-9a-f]{2} in main \(\)/);
    expect(m3).toMatch(/pc\s+0x1[0-9a-f]{2}\s+0x1[0-9a-f]{2} <main\+\d+>/);
    expect(m3).toMatch(/sp\s+0x2000[0-9a-f]{4}/); // the M3's stack, in its SRAM
    expect(m3).toMatch(/Breakpoint 2, 0x0000[0-9a-f]{4} in mailbox_handler \(\)/);
    expect(m3).toMatch(/pc\s+0x[0-9a-f]{2,3}\s+0x[0-9a-f]{2,3} <mailbox_handler\+\d+>/);
    expect(m3).toMatch(/xpsr\s+0x[0-9a-f]*010\s/); // in the handler of IRQ 0: IPSR = exception 16
    expect(hart).toMatch(/exited normally/);
    expect(m3).toMatch(/exited normally/);
    expect(await exited).toBe(0);
    expect(stdout).toBe(OUTPUT);
    expect(stderr).toBe('');
  }, 120_000);
});
