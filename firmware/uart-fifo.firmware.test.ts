// The UART's fifo-depth, seen by firmware: the same image (firmware/uart-fifo) on riscv-virt@1.0,
// whose compat layer gives the NS16550A a one-byte receive FIFO, and on riscv-virt@1.1 (sixteen
// bytes). It runs through the real CLI with a burst of bytes on stdin, as a user would run it.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { publicFirmwareDir, repoRoot } from './run-reference.ts';
import { spawnSync } from 'node:child_process';

const elf = join(publicFirmwareDir, 'uart-fifo.elf');
/** Forty bytes, the last a newline: more than either FIFO holds. */
const BURST = '0123456789abcdefghijklmnopqrstuvwxyzABC\n';

function runOn(machine: string): { stdout: string; status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/boardlab.js'), 'run', '-M', machine, '--firmware', elf, '--max-instructions', '50000000'], {
    cwd: repoRoot,
    input: BURST,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: result.stdout, status: result.status, stderr: result.stderr };
}

describe('uart-fifo: the receive FIFO depth of riscv-virt@1.0 and @1.1', () => {
  test('riscv-virt@1.0: one byte — loopback keeps 1 of 20 (overrun), the burst arrives one byte at a time, none lost', () => {
    const run = runOn('riscv-virt@1.0');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('loopback: kept 1 of 20 bytes, overrun yes\nburst: send a line\nburst: 1 bytes waiting at once, 40 received in all, overrun no\n');
    expect(run.status).toBe(0);
  });

  test('riscv-virt@1.1: sixteen bytes — loopback keeps 16 of 20 (overrun), 16 bytes of the burst wait at once, none lost', () => {
    const run = runOn('riscv-virt@1.1');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('loopback: kept 16 of 20 bytes, overrun yes\nburst: send a line\nburst: 16 bytes waiting at once, 40 received in all, overrun no\n');
    expect(run.status).toBe(0);
  });
});
