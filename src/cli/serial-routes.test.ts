// `boardlab run -serial …` on a board with two UARTs (the heterogeneous example: uart0 on the hart,
// m3uart on the Cortex-M3): QEMU's positional convention, routing by name, and bad options.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_INPUT_ERROR, runCommand } from './run.ts';
import { parseSerialSpecs, routeSerials } from './serial-routes.ts';

const root = new URL('../../', import.meta.url).pathname;
const ampBoard = join(root, 'examples/amp.board.json');

const HART_LINES = 'hart: releasing the M3 and sending it work\nhart: the M3 answered 204 (right)\n';
const M3_LINES = 'm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\n';

async function run(...serial: string[][]) {
  const out: number[] = [];
  const err: string[] = [];
  const qemuArgs = serial.flatMap((spec) => ['-serial', ...spec]);
  const status = await runCommand({ board: ampBoard, qemuArgs }, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => {} });
  return { status, stdout: Buffer.from(out).toString('latin1'), stderr: err };
}

const scratchDir = () => mkdtempSync(join(tmpdir(), 'boardlab-serial-'));

describe('-serial routing', () => {
  it('with no -serial, both UARTs print on stdout, interleaved as the guests wrote them', async () => {
    const result = await run();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('hart: releasing the M3 and sending it work\nm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\nhart: the M3 answered 204 (right)\n');
    expect(result.stderr).toEqual([]);
  });

  it('positional -serial options go to the serial devices in board order; those past them are not connected (QEMU)', async () => {
    const dir = scratchDir();
    const first = await run(['stdio']);
    expect(first.stdout).toBe(HART_LINES);
    const second = await run(['null'], [`file:${join(dir, 'm3.log')}`]);
    expect(second).toMatchObject({ status: 0, stdout: '' });
    expect(readFileSync(join(dir, 'm3.log'), 'latin1')).toBe(M3_LINES);
    const both = await run([`file:${join(dir, 'hart.log')}`], ['stdio']);
    expect(both.stdout).toBe(M3_LINES);
    expect(readFileSync(join(dir, 'hart.log'), 'latin1')).toBe(HART_LINES);
  });

  it('routes a UART by its name; the ones not named keep stdout', async () => {
    const dir = scratchDir();
    const result = await run([`m3uart=file:${join(dir, 'm3.log')}`]);
    expect(result).toMatchObject({ status: 0, stdout: HART_LINES, stderr: [] });
    expect(readFileSync(join(dir, 'm3.log'), 'latin1')).toBe(M3_LINES);
    const swapped = await run(['uart0=null'], ['/m3uart=stdio']);
    expect(swapped.stdout).toBe(M3_LINES);
  });

  it('two UARTs into one file share it', async () => {
    const file = join(scratchDir(), 'all.log');
    const result = await run([`file:${file}`], [`file:${file}`]);
    expect(result.stdout).toBe('');
    expect(readFileSync(file, 'latin1')).toBe('hart: releasing the M3 and sending it work\nm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\nhart: the M3 answered 204 (right)\n');
  });

  it('names what is wrong with a bad -serial: an unknown device, an unwritable file, a backend BoardLab lacks', async () => {
    expect(await run(['m4uart=stdio'])).toMatchObject({ status: EXIT_INPUT_ERROR, stdout: '', stderr: ['boardlab: -serial m4uart=stdio: the board has no serial device "m4uart" (its serial devices: uart0, m3uart)'] });
    const unwritable = await run([`m3uart=file:${join(scratchDir(), 'no', 'such', 'dir.log')}`]);
    expect(unwritable.status).toBe(EXIT_INPUT_ERROR);
    expect(unwritable.stderr).toEqual([expect.stringMatching(/^boardlab: -serial m3uart=file:.*dir\.log: cannot write .*dir\.log: no such file/)]);
    const tcp = await run(['uart0=tcp::4444']);
    expect(tcp.stderr).toEqual([expect.stringContaining("-serial uart0=tcp::4444: BoardLab's CLI connects a UART to stdio, null (none) or file:PATH")]);
  });

  it('ignores, with a note, positional -serial options beyond the board\'s UARTs', async () => {
    const result = await run(['stdio'], ['null'], ['null']);
    expect(result.status).toBe(0);
    expect(result.stderr).toEqual(['boardlab: -serial null: the board has 2 serial devices; ignored, as QEMU ignores it']);
  });
});

describe('parseSerialSpecs and routeSerials', () => {
  it('tells a name from a backend: file:a=b is a file, uart0=file:a=b a named one', () => {
    expect(parseSerialSpecs(['-serial', 'file:a=b', '-serial', 'uart0=file:a=b', '-serial', 'mon:stdio'])).toEqual([
      { option: '-serial file:a=b', backend: { kind: 'file', path: 'a=b' } },
      { option: '-serial uart0=file:a=b', name: 'uart0', backend: { kind: 'file', path: 'a=b' } },
      { option: '-serial mon:stdio', backend: { kind: 'stdio' } },
    ]);
  });

  it('matches a device by its path relative to the board or by its last name', () => {
    const paths = ['/machine/soc/uart0', '/machine/m3uart'];
    const { routes } = routeSerials(parseSerialSpecs(['-serial', 'soc/uart0=null']), paths);
    expect([...routes]).toEqual([
      ['/machine/soc/uart0', { kind: 'null' }],
      ['/machine/m3uart', { kind: 'stdio' }],
    ]);
    expect([...routeSerials(parseSerialSpecs(['-serial', 'uart0=null']), paths).routes][0]).toEqual(['/machine/soc/uart0', { kind: 'null' }]);
  });
});
