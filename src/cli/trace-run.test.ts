// `boardlab run --trace` on the heterogeneous example: every line names the CPU that ran it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('boardlab run --trace on a board with several CPUs', () => {
  it('writes every CPU\'s instructions, each line starting with its CPU, and the run ends as untraced', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'boardlab-trace-')), 'amp.trace');
    const out: number[] = [];
    const status = await runCommand({ board: join(root, 'examples/amp.board.json'), trace: file }, { stdout: (bytes) => out.push(...bytes), stderr: () => {}, guestStderr: () => {} });
    expect(status).toBe(0);
    expect(Buffer.from(out).toString('latin1')).toContain('hart: the M3 answered 204 (right)\n');
    const lines = readFileSync(file, 'latin1').trimEnd().split('\n');
    const cpus = lines.map((line) => /^(\S+) +\d+ [0-9a-f]{8} /.exec(line)?.[1]);
    expect(cpus.every((cpu) => cpu === 'hart' || cpu === 'm3')).toBe(true);
    expect(cpus.filter((cpu) => cpu === 'm3').length).toBeGreaterThan(100);
    expect(lines[0]).toMatch(/^hart +0 80000000 /);
  });
});
