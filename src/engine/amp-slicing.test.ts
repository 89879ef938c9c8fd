// The heterogeneous example's run sliced one instruction at a time (as gdb's stepping and the
// tracer slice it) against one free run: the same rounds, so the same run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBoard } from '../graph/index.ts';
import { Machine } from './machine.ts';
import { engineModules } from './registry.ts';

async function ampMachine(): Promise<Machine> {
  const document = JSON.parse(readFileSync(new URL('../../examples/amp.board.json', import.meta.url), 'utf8'));
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems[0].message);
  await engineModules.loadBoardModules(result.board);
  const images = new Map(result.board.images.map((image) => [image.file, new Uint8Array(readFileSync(new URL(`../../public/${image.file}`, import.meta.url)))]));
  return Machine.build(result.board, images);
}

describe('a heterogeneous board sliced one instruction at a time', () => {
  it('runs as one free run: a CPU that releases another from reset ends its turn there even when its budget ends at that instruction', async () => {
    const free = await ampMachine();
    free.run(10_000_000);
    const sliced = await ampMachine();
    for (let n = 0; n < 1_000_000 && !sliced.halted; n++) sliced.run(1);
    expect(free.exit).toEqual({ kind: 'pass', code: 0 });
    expect(sliced.exit).toEqual(free.exit);
    expect(sliced.clock.now()).toBe(free.clock.now());
    for (const path of free.cpuPaths) expect(sliced.cpu(path)!.instret).toBe(free.cpu(path)!.instret);
  });
});
