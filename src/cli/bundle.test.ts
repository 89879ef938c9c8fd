// `boardlab run` and `boardlab validate` take a board bundle (the .board.zip the designer saves when
// a board carries the user's own firmware): the document inside, and its images from the zip.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBoardBundle } from '../graph/index.ts';
import { validateCommand, type CommandIo } from './introspect.ts';
import { EXIT_INPUT_ERROR, runCommand } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const helloElf = new Uint8Array(readFileSync(join(root, 'public/firmware/hello.elf')));
const helloDocument = JSON.parse(readFileSync(join(root, 'examples/hello.board.json'), 'utf8')) as { images: unknown };

/** A bundle in a folder of its own: the image it names exists only inside the zip. */
function bundleFile(files: Map<string, Uint8Array>, image = 'my-hello.elf'): string {
  const text = JSON.stringify({ ...helloDocument, images: [{ cpu: 'cpu0', file: image }] }, null, 2);
  const file = join(mkdtempSync(join(tmpdir(), 'boardlab-bundle-')), 'mine.board.zip');
  writeFileSync(file, packBoardBundle({ documentName: 'mine.board.json', text, files }));
  return file;
}

async function run(board: string) {
  const out: number[] = [];
  const err: string[] = [];
  const status = await runCommand({ board }, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => {} });
  return { status, stdout: Buffer.from(out).toString('latin1'), stderr: err };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { stdout: (t) => out.push(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')), stderr: (l) => err.push(l) };
  return { io, err, text: () => out.join('') };
}

describe('board bundles on the command line', () => {
  it('run with the firmware they carry', async () => {
    expect(await run(bundleFile(new Map([['my-hello.elf', helloElf]])))).toEqual({ status: 0, stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n', stderr: [] });
  });

  it('validate with the firmware they carry, and name an image they lack', async () => {
    const good = capture();
    const file = bundleFile(new Map([['my-hello.elf', helloElf]]));
    expect(await validateCommand(file, {}, good.io)).toBe(0);
    expect(good.text()).toBe(`${file}: valid — 4 objects (1 CPU), 3 mappings, 0 IRQ lines, 1 image\n`);
    const missing = capture();
    const lacking = bundleFile(new Map());
    expect(await validateCommand(lacking, {}, missing.io)).toBe(1);
    expect(missing.err).toEqual([expect.stringMatching(/^.*mine\.board\.zip#\/images\/0\/file: image my-hello\.elf: file not found\./)]);
  });

  it('give a one-line error for a damaged zip', async () => {
    const whole = readFileSync(bundleFile(new Map([['my-hello.elf', helloElf]])));
    const file = join(mkdtempSync(join(tmpdir(), 'boardlab-bundle-')), 'broken.board.zip');
    writeFileSync(file, whole.subarray(0, 100));
    const result = await run(file);
    expect(result.status).toBe(EXIT_INPUT_ERROR);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/broken\.board\.zip: the zip file is damaged/);
  });
});
