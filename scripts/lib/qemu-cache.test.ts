import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawnGuest, spawnGuestBlocking } from '../../firmware/guest-process.ts';

// A stand-in for QEMU: counts its runs in a file and prints the ELF it is given and its input.
const FAKE_QEMU = `#!/bin/sh
echo run >> "$(dirname "$0")/runs"
cat "$2"
cat
exit 3
`;

describe('QEMU runs shared between the tiers\' suites (BOARDLAB_QEMU_CACHE)', () => {
  let dir: string;
  let qemu: string;
  let elf: string;
  const runs = () => readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qemu-cache-'));
    qemu = join(dir, 'qemu-system-fake');
    writeFileSync(qemu, FAKE_QEMU);
    chmodSync(qemu, 0o755);
    elf = join(dir, 'guest.elf');
    writeFileSync(elf, 'first build\n');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same command, ELF and input run QEMU once; a rebuilt ELF or other input runs it again', async () => {
    vi.stubEnv('BOARDLAB_QEMU_CACHE', join(dir, 'cache'));
    const first = spawnGuestBlocking(qemu, ['-kernel', elf], 'typed', 10_000);
    expect(first.stdout.toString()).toBe('first build\ntyped');
    expect(first.status).toBe(3);
    const again = spawnGuestBlocking(qemu, ['-kernel', elf], 'typed', 10_000);
    expect(runs()).toBe(1);
    expect(again.stdout.toString()).toBe('first build\ntyped');
    expect(again.status).toBe(3);
    const async = await spawnGuest(qemu, ['-kernel', elf], { stdin: 'typed' }, 10_000);
    expect(async.stdout.toString()).toBe('first build\ntyped');
    expect(runs()).toBe(1);

    spawnGuestBlocking(qemu, ['-kernel', elf], 'other', 10_000);
    expect(runs()).toBe(2);
    writeFileSync(elf, 'second build\n');
    expect(spawnGuestBlocking(qemu, ['-kernel', elf], 'typed', 10_000).stdout.toString()).toBe('second build\ntyped');
    expect(runs()).toBe(3);
  });

  it('without the variable QEMU runs every time', () => {
    vi.stubEnv('BOARDLAB_QEMU_CACHE', '');
    spawnGuestBlocking(qemu, ['-kernel', elf], undefined, 10_000);
    spawnGuestBlocking(qemu, ['-kernel', elf], undefined, 10_000);
    expect(runs()).toBe(2);
  });
});
