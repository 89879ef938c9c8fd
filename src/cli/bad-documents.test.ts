// Files that are not board documents, given to the real CLI (bin/boardlab.js): each gets one line
// on stderr that names the file and the problem, exit status 1, and never a stack trace.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'bin/boardlab.js');
const dir = mkdtempSync(join(tmpdir(), 'boardlab-bad-'));

/** Deterministic bytes that are not UTF-8 (0xff never occurs in UTF-8), with newlines among them. */
function garbage(): Uint8Array {
  const bytes = new Uint8Array(4096);
  let seed = 12345;
  for (let i = 0; i < bytes.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed >> 16;
  }
  bytes[7] = 0xff;
  bytes[100] = 0x0a;
  return bytes;
}

const goodText = JSON.stringify({ boardlab: 1, name: 'x', extends: 'riscv-virt', objects: {} });

/** name → [file contents (undefined: a directory), the problem the line must name]. */
const inputs: Record<string, [string | Uint8Array | undefined, RegExp]> = {
  'null.json': ['null', /the board is null, not a JSON object/],
  'array.json': ['[]', /the board is an array, not a JSON object/],
  'true.json': ['true', /the board is true, not a JSON object/],
  'number.json': ['42', /the board is a number \(42\), not a JSON object/],
  'string.json': ['"riscv-virt"', /the board is a string, not a JSON object/],
  'empty.json': ['', /the file is empty/],
  'directory.json': [undefined, /is a directory, not a file/],
  'garbage.json': [garbage(), /the file is binary, not a board document/],
  'utf16.json': [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(goodText, 'utf16le')]), /the file is UTF-16 text, not UTF-8/],
  'utf16-no-bom.json': [Buffer.from(goodText, 'utf16le'), /the file is binary, not a board document/],
  'deep-array.json': ['['.repeat(100_000) + ']'.repeat(100_000), /the board is an array, not a JSON object/],
  'deep.json': ['{"boardlab": 1, "name": "deep", "objects": {}, "x": ' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}', /nests deeper than 256 levels/],
  'huge.json': [new Uint8Array(64 * 1024 * 1024 + 1).fill(0x20), /the file is 64\.0 MiB, larger than the 64 MiB a board document may be/],
  'null.board.zip': [zipSync({ 'null.board.json': new TextEncoder().encode('null') }), /the board is null, not a JSON object/],
  'binary.board.zip': [zipSync({ 'binary.board.json': garbage() }), /binary\.board\.json in the zip file: the file is binary/],
};

for (const [name, [content]] of Object.entries(inputs)) {
  if (content === undefined) mkdirSync(join(dir, name));
  else writeFileSync(join(dir, name), content);
}

function boardlab(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The one line a command must print: the file's path, then the problem; status 1; nothing else. */
async function expectOneLine(args: string[], file: string, problem: RegExp): Promise<void> {
  const result = await boardlab(args);
  expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(problem);
  expect(lines[0]).not.toMatch(/Error:| {4}at |TypeError|RangeError/);
}

describe('a file that is not a board, given to the CLI', () => {
  for (const [name, [, problem]] of Object.entries(inputs)) {
    it(`${name}: validate and run print one line naming the file and exit 1`, async () => {
      const file = join(dir, name);
      await expectOneLine(['validate', file], file, problem);
      await expectOneLine(['run', file, '--max-instructions', '1000'], file, problem);
    });
  }

  it('a library file the board names that is not a library: one line naming the board, the library and the problem', async () => {
    const libraries: Array<[string, string | Uint8Array, RegExp]> = [
      ['lib-null.json', 'null', /library "lib-null\.json" could not be read: the library is null, not a JSON object/],
      ['lib-deep.json', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), /library "lib-deep\.json" could not be read: the library nests deeper than 256 levels/],
      ['lib-garbage.json', garbage(), /library "lib-garbage\.json" could not be read: the file is binary/],
    ];
    for (const [name, content, problem] of libraries) {
      writeFileSync(join(dir, name), content);
      const board = join(dir, `uses-${name}`);
      writeFileSync(board, JSON.stringify({ boardlab: 1, name: 'x', extends: 'riscv-virt', libraries: [name], objects: {} }));
      await expectOneLine(['validate', board], board, problem);
    }
  });

  it('resolve and export read boards the same way', async () => {
    for (const name of ['null.json', 'garbage.json', 'deep.json', 'huge.json']) {
      const file = join(dir, name);
      const [, problem] = inputs[name];
      await expectOneLine(['resolve', file], file, problem);
      await expectOneLine(['export', file, '--format', 'dts'], file, problem);
    }
  });
});
