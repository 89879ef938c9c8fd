// QMP on the heterogeneous example (issue #14): the preconfig phase builds it from nothing, and
// query-cpus-fast lists both CPUs with their architectures.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBoard, type BoardDocument } from '../graph/index.ts';
import { QmpTestClient } from './qmp-test-client.ts';
import { runCommand, type RunOptions } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const ampBoard = join(root, 'examples/amp.board.json');
const example = JSON.parse(readFileSync(ampBoard, 'utf8')) as Required<Pick<BoardDocument, 'objects' | 'memory' | 'irqs' | 'resets' | 'images'>>;

function start(options: RunOptions) {
  const out: number[] = [];
  const err: string[] = [];
  const status = runCommand(options, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => {} });
  return { status, stdout: () => Buffer.from(out).toString('latin1'), stderr: err };
}

describe('QMP on a board with a RISC-V hart and a Cortex-M3', () => {
  it('builds the heterogeneous example in the preconfig phase, lists both CPUs with their targets, and runs it as the board file runs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'boardlab-qmp-amp-')), 'qmp.sock');
    const run = start({ preconfig: true, qemuArgs: ['-S', '-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await client.until((lines) => lines.length >= 1);
    expect(await client.execute('qmp_capabilities')).toEqual({ return: {} });
    const steps: Array<[string, unknown]> = [
      // as QEMU's device_add takes them: sizes and clocks in numbers; the CPUs last, as the hart's
      // time-base links to the CLINT, which must exist by then
      ['device_add', { driver: 'ram', id: 'ram', size: 128 * 1024 }],
      ['device_add', { driver: 'ns16550a', id: 'uart0' }],
      ['device_add', { driver: 'clint', id: 'clint' }],
      ['device_add', { driver: 'plic', id: 'plic' }],
      ['device_add', { driver: 'sifive-test', id: 'test' }],
      ['device_add', { driver: 'ram', id: 'code', size: 64 * 1024 }],
      ['device_add', { driver: 'ram', id: 'sram', size: 16 * 1024 }],
      ['device_add', { driver: 'cmsdk-apb-uart', id: 'm3uart' }],
      ['device_add', { driver: 'ram', id: 'shared', size: 64 * 1024 }],
      ['device_add', { driver: 'mailbox', id: 'mbox' }],
      ['device_add', { driver: 'reset-controller', id: 'rstctl', 'hold-at-reset': 1 }],
      ['device_add', { driver: 'rv32', id: 'hart', 'address-space': 'hart', 'time-base': 'clint' }],
      ['device_add', { driver: 'cortex-m3', id: 'm3', 'address-space': 'm3', 'clock-frequency': 25_000_000 }],
      ...example.memory.map((entry): [string, unknown] => ['x-boardlab-map', entry]),
      ...example.irqs.map((wire): [string, unknown] => ['x-boardlab-wire', wire]),
      ...example.resets.map((wire): [string, unknown] => ['x-boardlab-reset-wire', wire]),
      ...example.images.map((image): [string, unknown] => ['x-boardlab-add-image', { ...image, file: join('public', image.file!) }]),
    ];
    for (const [command, args] of steps) expect([command, args, await client.execute(command, args)]).toEqual([command, args, { return: {} }]);
    const board = (await client.execute('x-boardlab-query-board')) as { return: { document: BoardDocument; problems: unknown[] } };
    expect(board.return.problems).toEqual([]);
    const fromQmp = resolveBoard(board.return.document);
    const fromFile = resolveBoard(JSON.parse(readFileSync(ampBoard, 'utf8')));
    if (!fromQmp.ok || !fromFile.ok) throw new Error('both must resolve');
    const byPath = (list: Array<[string, string, unknown]>) => list.sort(([a], [b]) => a.localeCompare(b));
    const comparable = (b: typeof fromQmp.board) => ({ objects: byPath(b.objects.map((o) => [o.path, o.type, o.props])), memory: b.memory.map((m) => ({ ...m, pointer: undefined })), irqs: b.irqs.map((w) => ({ ...w, pointer: undefined })), resets: b.resets.map((w) => ({ ...w, pointer: undefined })) });
    expect(comparable(fromQmp.board)).toEqual(comparable(fromFile.board));
    expect(await client.execute('query-cpus-fast')).toMatchObject({ error: {} }); // no machine yet, as in QEMU's preconfig phase
    expect(await client.execute('x-exit-preconfig')).toEqual({ return: {} });
    expect(await client.execute('query-cpus-fast')).toEqual({
      return: [
        { 'cpu-index': 0, 'qom-path': '/machine/hart', 'thread-id': process.pid, props: { 'core-id': 0 }, target: 'riscv32' },
        { 'cpu-index': 1, 'qom-path': '/machine/m3', 'thread-id': process.pid, target: 'arm' }, // no props, as QEMU's mps2 CPUs
      ],
    });
    expect(await client.execute('cont')).toEqual({ return: {} });
    expect(await run.status).toBe(0);
    const direct = start({ board: ampBoard });
    expect(await direct.status).toBe(0);
    expect(run.stdout()).toBe(direct.stdout());
    expect(run.stdout()).toContain('hart: the M3 answered 204 (right)\n');
  });
});
