import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard, type BoardDocument } from '../graph/index.ts';
import { RunController } from '../engine/run-control.ts';
import { QmpServer, parseQmpSpec } from './qmp-server.ts';
import { QmpTestClient } from './qmp-test-client.ts';
import { RUN_USAGE, parseRunArgs } from './run-args.ts';
import { runCommand, type RunOptions } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const helloBoard = join(root, 'examples/hello.board.json');
const helloElf = join(root, 'public/firmware/hello.elf');
const echoElf = join(root, 'public/firmware/echo.elf');

const socketPath = () => join(mkdtempSync(join(tmpdir(), 'boardlab-qmp-')), 'qmp.sock');

/** runCommand in this process, its stdout and stderr collected. */
function start(options: RunOptions) {
  const out: number[] = [];
  const err: string[] = [];
  const status = runCommand(options, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => {} });
  return { status, stdout: () => Buffer.from(out).toString('latin1'), stderr: err };
}

async function negotiate(client: QmpTestClient): Promise<void> {
  await client.until((lines) => lines.length >= 1);
  expect(await client.execute('qmp_capabilities')).toEqual({ return: {} });
}

describe('-qmp arguments', () => {
  it('takes unix and loopback tcp servers, as QEMU spells them', () => {
    expect(parseQmpSpec('unix:/tmp/x.sock,server=on,wait=off')).toEqual({ endpoint: { kind: 'unix', path: '/tmp/x.sock' }, wait: false });
    expect(parseQmpSpec('unix:/tmp/a,,b,server')).toEqual({ endpoint: { kind: 'unix', path: '/tmp/a,b' }, wait: true });
    expect(parseQmpSpec('tcp:127.0.0.1:4444,server=on,nowait')).toEqual({ endpoint: { kind: 'tcp', host: '127.0.0.1', port: 4444 }, wait: false });
    expect(parseQmpSpec('tcp::4444,server=on,wait=off')).toEqual({ endpoint: { kind: 'tcp', host: '127.0.0.1', port: 4444 }, wait: false });
    expect(parseQmpSpec('tcp:localhost:0,server=on')).toEqual({ endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 }, wait: true });
    expect(() => parseQmpSpec('tcp:0.0.0.0:4444,server=on')).toThrow('listens on loopback only');
    expect(() => parseQmpSpec('unix:/tmp/x.sock')).toThrow('add server=on');
    expect(() => parseQmpSpec('stdio')).toThrow('takes unix:PATH or tcp:127.0.0.1:PORT');
    expect(() => parseQmpSpec('unix:/tmp/x,server=on,telnet=on')).toThrow('does not take the option "telnet"');
  });

  it('are split from the rest of boardlab run’s arguments', () => {
    expect(parseRunArgs(['--preconfig', '-S', '-qmp', 'unix:/x,server=on'])).toEqual({ help: false, options: { preconfig: true, qemuArgs: ['-S', '-qmp', 'unix:/x,server=on'] } });
    expect(RUN_USAGE).toContain('--preconfig');
  });

  it('explains -S and --preconfig without a monitor, and -gdb off loopback', async () => {
    const paused = start({ machine: 'riscv-virt', firmware: helloElf, qemuArgs: ['-S'] });
    expect(await paused.status).toBe(1);
    expect(paused.stderr).toEqual(['boardlab: -S waits for a QMP client to start the machine: add -qmp unix:PATH,server=on (or tcp:127.0.0.1:PORT,server=on)']);
    const preconfig = start({ preconfig: true });
    expect(await preconfig.status).toBe(1);
    expect(preconfig.stderr[0]).toContain('--preconfig waits for a QMP client to build the machine');
    const gdb = start({ machine: 'riscv-virt', firmware: helloElf, qemuArgs: ['-gdb', 'tcp:10.0.0.1:1234'] });
    expect(await gdb.status).toBe(1);
    expect(gdb.stderr[0]).toContain('loopback only');
    const bad = start({ machine: 'riscv-virt', firmware: helloElf, qemuArgs: ['-qmp', 'tcp:10.0.0.1:1,server=on'] });
    expect(await bad.status).toBe(1);
    expect(bad.stderr[0]).toContain('loopback only');
  });
});

describe('boardlab run -qmp', () => {
  it('-S waits in prelaunch; cont runs the guest to its end, SHUTDOWN reaches the client, the socket closes', async () => {
    const path = socketPath();
    const run = start({ board: helloBoard, qemuArgs: ['-S', '-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await negotiate(client);
    expect(await client.execute('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.stdout()).toBe(''); // nothing ran
    expect(await client.execute('cont')).toEqual({ return: {} });
    expect(await run.status).toBe(0);
    expect(run.stdout()).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    expect(await client.closedByPeer()).toBe(true);
    expect(client.events().map((e) => e.event)).toEqual(['RESUME', 'SHUTDOWN']);
    expect(client.events('SHUTDOWN')[0].data).toEqual({ guest: true, reason: 'guest-shutdown' });
  });

  it('waits without spinning while the machine is paused', async () => {
    const path = socketPath();
    const run = start({ board: helloBoard, qemuArgs: ['-S', '-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await negotiate(client);
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(100); // ms of CPU in 500 ms: a spinning loop would take them all
    await client.execute('quit');
    expect(await run.status).toBe(0);
  });

  it('wait=on does not start the machine before a client connects', async () => {
    const path = socketPath();
    const run = start({ machine: 'riscv-virt', firmware: helloElf, qemuArgs: ['-qmp', `unix:${path},server=on`] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(run.stdout()).toBe('');
    const client = await QmpTestClient.connect({ path });
    expect(await run.status).toBe(0);
    expect(run.stdout()).toContain('Hello, BoardLab!');
    client.close();
  });

  it('quit ends the run with status 0; a guest waiting for input does not end it while a monitor is there', async () => {
    const path = socketPath();
    const run = start({ machine: 'riscv-virt', firmware: echoElf, qemuArgs: ['-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await negotiate(client);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await client.execute('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    expect(await client.execute('stop')).toEqual({ return: {} });
    expect(await client.execute('quit')).toEqual({ return: {} });
    expect(await run.status).toBe(0);
    expect(client.events().map((e) => e.event)).toEqual(['STOP', 'SHUTDOWN']);
    expect(await client.closedByPeer()).toBe(true);
  });

  it('serves one client at a time: a second one waits, unanswered, until the first leaves', async () => {
    const path = socketPath();
    const run = start({ machine: 'riscv-virt', firmware: echoElf, qemuArgs: ['-qmp', `unix:${path},server=on,wait=off`] });
    const first = await QmpTestClient.connect({ path });
    await negotiate(first);
    const second = await QmpTestClient.connect({ path });
    second.write('{"execute":"qmp_capabilities","id":1}\n{"execute":"query-status","id":2}\n');
    expect(await second.until((lines) => lines.length > 0, 300)).toBe(false); // no greeting, no answers
    expect(await first.execute('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    first.close();
    expect(await second.until((lines) => lines.length >= 3)).toBe(true);
    expect(second.lines[0]).toHaveProperty('QMP');
    expect(second.lines.slice(1)).toEqual([{ return: {}, id: 1 }, { return: { status: 'running', singlestep: false, running: true }, id: 2 }]);
    expect(await second.execute('quit')).toEqual({ return: {} });
    expect(await run.status).toBe(0);
  });

  it('answers bad input with QMP errors and keeps the machine running', async () => {
    const path = socketPath();
    const run = start({ machine: 'riscv-virt', firmware: echoElf, qemuArgs: ['-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await negotiate(client);
    expect(await client.raw('{"execute": @ "query-status"}\n', 2)).toEqual([
      { error: { class: 'GenericError', desc: "JSON parse error, stray '@'" } },
      { error: { class: 'GenericError', desc: 'JSON parse error, expecting value' } },
    ]);
    expect(await client.raw(Uint8Array.from([0xff, 0x0a]), 1)).toEqual([{ error: { class: 'GenericError', desc: "JSON parse error, stray '\ufffd'" } }]);
    expect(await client.execute('no-such-command')).toEqual({ error: { class: 'CommandNotFound', desc: 'The command no-such-command has not been found' } });
    expect(await client.execute('qom-get', { path: 7, property: 'type' })).toEqual({ error: { class: 'GenericError', desc: "Invalid parameter type for 'path', expected: string" } });
    expect(await client.execute('qom-list', { path: '/machine/nope' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Device '/machine/nope' not found" } });
    expect(await client.execute('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    await client.execute('quit');
    expect(await run.status).toBe(0);
  });

  it('stays responsive while the guest is in a storm of traps (slices sized by host time)', async () => {
    const path = socketPath();
    // No firmware: the hart runs into zeros and traps forever, thousands of times slower than code.
    const run = start({ machine: 'riscv-virt', preconfig: true, qemuArgs: ['-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await negotiate(client);
    expect(await client.execute('x-exit-preconfig')).toEqual({ return: {} });
    for (let i = 0; i < 3; i++) expect(await client.execute('query-status', undefined, 5_000)).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    expect(await client.execute('stop', undefined, 5_000)).toEqual({ return: {} });
    expect(client.events().map((e) => e.event)).toEqual(['RESUME', 'STOP']);
    await client.execute('quit');
    expect(await run.status).toBe(0);
  });

  it('builds hello over QMP from nothing (--preconfig): the same machine as the board file, running the same', async () => {
    const path = socketPath();
    const run = start({ preconfig: true, qemuArgs: ['-S', '-qmp', `unix:${path},server=on,wait=off`] });
    const client = await QmpTestClient.connect({ path });
    await negotiate(client);
    const steps: Array<[string, unknown]> = [
      ['device_add', { driver: 'rv32', id: 'cpu0', 'reset-vector': 0x80000000 }],
      ['device_add', { driver: 'ram', id: 'ram', size: 128 * 1024 * 1024 }],
      ['device_add', { driver: 'ns16550a', id: 'uart0' }],
      ['device_add', { driver: 'sifive-test', id: 'test' }],
      ['x-boardlab-map', { map: 'test.regs', at: '0x100000' }],
      ['x-boardlab-map', { map: 'uart0.regs', at: '0x10000000' }],
      ['x-boardlab-map', { map: 'ram.mem', at: '0x80000000' }],
      ['x-boardlab-reset-wire', { from: 'test.system-reset', to: 'board' }],
      ['x-boardlab-add-image', { cpu: 'cpu0', file: 'firmware/hello.elf' }],
    ];
    for (const [command, args] of steps) expect([command, await client.execute(command, args)]).toEqual([command, { return: {} }]);
    const board = (await client.execute('x-boardlab-query-board')) as { return: { document: BoardDocument; problems: unknown[] } };
    expect(board.return.problems).toEqual([]);
    const fromQmp = resolveBoard(board.return.document);
    const fromFile = resolveBoard(JSON.parse(readFileSync(helloBoard, 'utf8')));
    if (!fromQmp.ok || !fromFile.ok) throw new Error('both must resolve');
    const comparable = (b: typeof fromQmp.board) => ({ objects: b.objects.map((o) => [o.path, o.type, o.props]), memory: b.memory, irqs: b.irqs, resets: b.resets, images: b.images, machineType: b.machineType, platform: b.platform });
    expect(comparable(fromQmp.board)).toEqual(comparable(fromFile.board));
    expect(await client.execute('x-exit-preconfig')).toEqual({ return: {} });
    expect(await client.execute('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
    expect(await client.execute('cont')).toEqual({ return: {} });
    expect(await run.status).toBe(0);
    const direct = start({ board: helloBoard });
    expect(await direct.status).toBe(0);
    expect(run.stdout()).toBe(direct.stdout());
  });
});

describe('QmpServer on TCP', () => {
  it('listens on loopback, serves QMP, and closes cleanly', async () => {
    const document = { ...boardFromMachineType('riscv-virt'), images: [] };
    const controller = RunController.preconfig(document);
    const server = await QmpServer.listen({ kind: 'tcp', host: '127.0.0.1', port: 0 }, { controller });
    expect(server.address).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    const port = Number(server.address.split(':').pop());
    const client = await QmpTestClient.connect({ host: '127.0.0.1', port });
    await negotiate(client);
    expect(client.text).toMatch(/^\{"QMP": \{"version": \{"qemu": .*\}, "capabilities": \[\]\}\}\r\n\{"return": \{\}, "id": "t1"\}\r\n$/);
    expect(await client.execute('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
    await server.close();
    expect(await client.closedByPeer()).toBe(true);
  });
});
