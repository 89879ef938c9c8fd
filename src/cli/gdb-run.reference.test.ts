// `boardlab run -S -gdb tcp::PORT` with Debian's real gdb-multiarch: the guest waits for gdb,
// which breaks at main, reads the PC, and continues to the finisher's exit.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, waitUntilListening } from './testing/gdb-session.ts';

const root = new URL('../../', import.meta.url).pathname;
const helloElf = join(root, 'public/firmware/hello.elf');

describe('boardlab run -S -gdb', () => {
  it('waits for gdb, stops at a breakpoint, and exits when gdb continues', async () => {
    const port = await freePort();
    const boardlab = spawn(process.execPath, [join(root, 'bin/boardlab.js'), 'run', '-M', 'riscv-virt', '--firmware', helloElf, '-S', '-gdb', `tcp::${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    boardlab.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => boardlab.on('exit', (code) => resolve(code)));
    // Wait until it listens — without connecting, which would count as a gdb client.
    expect(await waitUntilListening(port)).toBe(true);
    expect(stdout).toBe('');
    const gdb = spawnSync(
      'gdb-multiarch',
      ['--batch', '-nx', '-ex', 'set architecture riscv:rv32', '-ex', `target remote 127.0.0.1:${port}`, '-ex', 'info registers pc', '-ex', 'break main', '-ex', 'continue', '-ex', 'info registers pc', '-ex', 'continue', helloElf],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(gdb.stdout).toMatch(/pc\s+0x1000/);
    // the firmware carries line tables (-g): gdb names the source line it stopped at
    expect(gdb.stdout).toMatch(/Breakpoint 1, main \(\) at hello\/hello\.c:\d+/);
    expect(gdb.stdout).toMatch(/exited normally/);
    expect(await exited).toBe(0);
    expect(stdout).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
  }, 90_000);
});
