// The firmware of examples/amp.board.json (a RISC-V hart and a Cortex-M3 on one board): the
// committed ELFs are what firmware/amp builds to with Debian's two cross compilers, and the board
// runs them to the end — the hart releases the M3, the M3 computes through the mailbox and the
// shared RAM, each prints on its own UART, the hart ends the run — the same way every time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { resolveBoard } from '../../src/graph/index.ts';
import { Machine } from '../../src/engine/machine.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const boardFile = join(repo, 'examples/amp.board.json');

function runExample(): { machine: Machine; output: Record<string, string> } {
  const result = resolveBoard(JSON.parse(readFileSync(boardFile, 'utf8')));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  const images = new Map(result.board.images.map((image) => [image.file, new Uint8Array(readFileSync(join(repo, 'public', image.file)))]));
  const output: Record<string, string> = {};
  const machine = Machine.build(result.board, images, { onSerialOutput: (path, byte) => (output[path] = (output[path] ?? '') + String.fromCharCode(byte)) });
  for (let i = 0; i < 1000 && !machine.halted; i++) machine.run(100_000);
  return { machine, output };
}

describe('firmware/amp', () => {
  test('public/firmware/amp/ holds what firmware/amp builds (make -C firmware/amp check)', () => {
    const result = spawnSync('make', ['-s', '--no-print-directory', '-C', join(repo, 'firmware/amp'), 'check'], { encoding: 'utf8' });
    expect(result.status, `${result.stdout}${result.stderr}\nrun \`make -C firmware/amp install\` and commit public/firmware/amp/`).toBe(0);
  }, 120_000);

  test('examples/amp.board.json: the hart hands the M3 work, each prints on its own UART, the hart ends the run passing', () => {
    const { machine, output } = runExample();
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(output).toEqual({
      '/machine/uart0': 'hart: releasing the M3 and sending it work\nhart: the M3 answered 204 (right)\n',
      '/machine/m3uart': 'm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\n',
    });
  });

  test('examples/amp.board.json runs the same every time: instruction counts and virtual time', () => {
    const one = runExample().machine;
    const two = runExample().machine;
    const counts = (machine: Machine) => machine.cpuPaths.map((path) => machine.cpu(path)!.instret);
    expect(counts(one)).toEqual(counts(two));
    expect(counts(one).every((count) => count > 0)).toBe(true);
    expect(one.clock.now()).toBe(two.clock.now());
  });
});
