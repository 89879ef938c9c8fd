// QEMU's runs, kept for the rest of one `npm test` (scripts/test.mjs names a fresh folder in
// BOARDLAB_QEMU_CACHE): the reference suites run once per BoardLab execution tier, and what QEMU
// does with an ELF does not depend on BoardLab's tier, so the second tier's suite reads QEMU's
// output instead of running it again. The key is the command line, the contents of every file it
// names and the guest's input: a rebuilt ELF is a new run. Without the variable (a developer's
// `npx vitest`), QEMU always runs.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const CACHE_VARIABLE = 'BOARDLAB_QEMU_CACHE';

/** The cache file for QEMU's run of `command args` with `input`; undefined when caching is off or the command is not QEMU. */
export function qemuCacheFile(command: string, args: readonly string[], input: unknown, cwd: string): string | undefined {
  const dir = process.env[CACHE_VARIABLE];
  if (dir === undefined || dir === '' || !basename(command).startsWith('qemu-system-')) return undefined;
  const hash = createHash('sha256').update(JSON.stringify({ command, args, input: input ?? null }));
  for (const arg of args) {
    const path = resolve(cwd, arg);
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) hash.update(path).update(readFileSync(path));
  }
  return join(dir, `${hash.digest('hex')}.json`);
}

/** What a run stored under `file`, if it did. */
export function readQemuCache<T>(file: string | undefined): T | undefined {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `file` (written whole, then renamed: a suite running beside it never reads half of it). */
export function writeQemuCache(file: string | undefined, value: unknown): void {
  if (file === undefined) return;
  mkdirSync(resolve(file, '..'), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(value));
  renameSync(partial, file);
}
