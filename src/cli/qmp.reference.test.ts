// QMP conformance against the reference: the same scripted sessions, over real Unix sockets, to
// BoardLab (`boardlab run -qmp`, in this process) and to Debian's `qemu-system-riscv32 -M virt -qmp`.
// Where both implement a command, the replies must have the same shape (members and value types);
// for bad input — malformed JSON, stray bytes, unknown commands and members, wrong argument types,
// missing arguments, paths that do not exist, a second client on a busy socket — the same error
// class and text, and the machine keeps running on both.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QmpTestClient, type QmpLine } from './qmp-test-client.ts';
import { runCommand } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const echoElf = join(root, 'public/firmware/echo.elf');
const work = mkdtempSync(join(tmpdir(), 'boardlab-qmp-ref-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill(); // a failed test leaves no QEMU behind
  rmSync(work, { recursive: true, force: true });
});
let sockets = 0;

interface Target {
  name: 'qemu' | 'boardlab';
  path: string;
  client: QmpTestClient;
  /** Exit status once the program has ended. */
  exited: Promise<number>;
  kill(): void;
}

/** QEMU virt running echo (which waits for input forever), with a QMP socket. */
async function startQemu(extra: string[] = []): Promise<Target> {
  const path = join(work, `qemu-${sockets++}.sock`);
  const child: ChildProcess = spawn('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', echoElf, '-qmp', `unix:${path},server=on,wait=off`, ...extra], { stdio: ['pipe', 'ignore', 'ignore'] });
  children.push(child);
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  const client = await QmpTestClient.connect({ path });
  return { name: 'qemu', path, client, exited, kill: () => child.kill() };
}

/** BoardLab's riscv-virt running echo, with a QMP socket. */
async function startBoardLab(extra: string[] = [], preconfig = false): Promise<Target> {
  const path = join(work, `boardlab-${sockets++}.sock`);
  const exited = runCommand({ machine: 'riscv-virt', firmware: echoElf, preconfig, qemuArgs: [...extra, '-qmp', `unix:${path},server=on,wait=off`] }, { stdout: () => {}, stderr: () => {}, guestStderr: () => {} });
  const client = await QmpTestClient.connect({ path });
  return { name: 'boardlab', path, client, exited, kill: () => void client.execute('quit').catch(() => {}) };
}

async function both(extra: string[] = [], preconfig = false): Promise<[Target, Target]> {
  const targets = await Promise.all([startBoardLab(extra, preconfig), startQemu([...extra, ...(preconfig ? ['--preconfig'] : [])])]);
  for (const target of targets) await target.client.until((lines) => lines.length >= 1);
  return targets;
}

async function negotiate(targets: Target[]): Promise<void> {
  for (const { client } of targets) expect(await client.execute('qmp_capabilities')).toEqual({ return: {} });
}

async function finish(targets: Target[]): Promise<void> {
  for (const target of targets) {
    if (!target.client.closed) await target.client.execute('quit').catch(() => undefined);
    expect(await target.exited).toBe(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes: members and value types

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function kind(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Differences between BoardLab's value and QEMU's, as "path: what" lines. Objects must have the same
 * members; list elements are compared as a schema: BoardLab's elements may only use members QEMU's
 * elements use (or `optional` ones QMP's schema defines), and must have every member all of QEMU's
 * elements have.
 */
function shapeDifferences(ours: Json, theirs: Json, path = '', optional: readonly string[] = []): string[] {
  if (kind(ours) !== kind(theirs)) return [`${path || '/'}: ${kind(ours)} instead of ${kind(theirs)}`];
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    if (ours.length === 0 || theirs.length === 0) return [];
    const objects = (list: Json[]) => list.filter((e): e is { [key: string]: Json } => kind(e) === 'object');
    if (objects(ours).length === 0 || objects(theirs).length === 0) return shapeDifferences(ours[0], theirs[0], `${path}[]`, optional);
    const keys = (list: Array<{ [key: string]: Json }>) => new Set(list.flatMap((e) => Object.keys(e)));
    const always = (list: Array<{ [key: string]: Json }>) => [...keys(list)].filter((k) => list.every((e) => k in e));
    const differences: string[] = [];
    for (const key of keys(objects(ours))) if (!keys(objects(theirs)).has(key) && !optional.includes(key)) differences.push(`${path}[].${key}: only in BoardLab`);
    for (const key of always(objects(theirs))) if (!always(objects(ours)).includes(key)) differences.push(`${path}[].${key}: missing in BoardLab`);
    for (const key of keys(objects(ours))) {
      const a = objects(ours).find((e) => key in e);
      const b = objects(theirs).find((e) => key in e);
      if (a !== undefined && b !== undefined) differences.push(...shapeDifferences(a[key], b[key], `${path}[].${key}`, optional));
    }
    return differences;
  }
  if (kind(ours) === 'object') {
    const a = ours as { [key: string]: Json };
    const b = theirs as { [key: string]: Json };
    const differences: string[] = [];
    for (const key of Object.keys(a)) if (!(key in b) && !optional.includes(key)) differences.push(`${path}.${key}: only in BoardLab`);
    for (const key of Object.keys(b)) if (!(key in a)) differences.push(`${path}.${key}: missing in BoardLab`);
    for (const key of Object.keys(a)) if (key in b) differences.push(...shapeDifferences(a[key], b[key], `${path}.${key}`, optional));
    return differences;
  }
  return [];
}

const eventShape = (line: QmpLine) => ({ ...line, timestamp: line.timestamp });

describe('QMP: BoardLab and qemu-system-riscv32 side by side', () => {
  it('greet and negotiate alike', async () => {
    const targets = await both(['-S']);
    const [ours, theirs] = targets.map((t) => t.client.lines[0] as Json);
    expect(shapeDifferences(ours, theirs)).toEqual([]);
    for (const raw of ['{"execute":"query-status","id":1}\n', '{"execute":"qmp_capabilities","arguments":{"enable":"oob"}}\n', '{"execute":"qmp_capabilities","arguments":{"x":1}}\n']) {
      const [a, b] = await Promise.all(targets.map((t) => t.client.raw(raw)));
      expect([raw, a]).toEqual([raw, b]);
    }
    await negotiate(targets);
    const [a, b] = await Promise.all(targets.map((t) => t.client.raw('{"execute":"qmp_capabilities","id":2}\n')));
    expect(a).toEqual(b);
    await finish(targets);
  });

  it('answer the commands both implement with replies of the same shape', async () => {
    const targets = await both(['-S']);
    await negotiate(targets);
    const script: Array<{ command: string; args?: Record<Target['name'], unknown> | unknown; optional?: string[] }> = [
      { command: 'query-version' },
      { command: 'query-status' },
      { command: 'query-commands' },
      { command: 'qom-list', args: { path: '/' } },
      { command: 'qom-list', args: { path: '/machine' } },
      { command: 'qom-get', args: { path: '/machine', property: 'type' } },
      { command: 'qom-list-types', args: { implements: 'device' } },
      { command: 'qom-list-types', args: { implements: 'device', abstract: true } },
      { command: 'qom-list-properties', args: { boardlab: { typename: 'rv32' }, qemu: { typename: 'rv32-riscv-cpu' } }, optional: ['description', 'default-value'] },
      { command: 'device-list-properties', args: { boardlab: { typename: 'ns16550a' }, qemu: { typename: 'serial-mm' } } },
      { command: 'query-machines', optional: ['alias'] },
      { command: 'query-cpus-fast' },
      { command: 'stop' },
      { command: 'cont' },
      { command: 'query-status' },
      { command: 'stop' },
      { command: 'system_reset' },
      { command: 'query-status' },
      { command: 'cont' },
    ];
    for (const step of script) {
      const replies = await Promise.all(
        targets.map((t) => {
          const args = step.args !== undefined && typeof step.args === 'object' && step.args !== null && t.name in step.args ? (step.args as Record<string, unknown>)[t.name] : step.args;
          return t.client.execute(step.command, args);
        }),
      );
      expect([step.command, shapeDifferences(replies[0] as Json, replies[1] as Json, '', step.optional)]).toEqual([step.command, []]);
      if (step.command.startsWith('query-status')) expect(replies[0]).toEqual(replies[1]);
    }
    // The same events, in the same order, of the same shape.
    const events = targets.map((t) => t.client.events());
    expect(events[0].map((e) => e.event)).toEqual(events[1].map((e) => e.event));
    expect(events[0].map((e) => e.event)).toEqual(['RESUME', 'STOP', 'RESET', 'RESUME']);
    events[0].forEach((e, i) => expect(shapeDifferences(eventShape(e) as Json, eventShape(events[1][i]) as Json)).toEqual([]));
    expect(events[0][2].data).toEqual(events[1][2].data);
    // quit: the same SHUTDOWN, the same reply, the connection closed, status 0.
    const quit = await Promise.all(targets.map((t) => t.client.execute('quit')));
    expect(quit[0]).toEqual(quit[1]);
    for (const target of targets) {
      expect(await target.client.closedByPeer()).toBe(true);
      expect(target.client.events('SHUTDOWN')[0].data).toEqual({ guest: false, reason: 'host-qmp-quit' });
      expect(await target.exited).toBe(0);
    }
  });

  it('give bad input the same error, word for word, and keep the machine running', async () => {
    const targets = await both();
    await negotiate(targets);
    const exact: Array<[string, number]> = [
      ['{bad json}\n', 1],
      ['}\n', 1],
      ['{"execute":"query-status",}\n', 1],
      ['{"execute": @ "query-status"}\n', 2],
      ['{"execute": \u0001 "query-status"}\n', 2],
      ['01\n', 1],
      ['"abc\n', 1],
      ['{"a":1,"a":2}\n', 1],
      ['{"execute":"q\\uD800"}\n', 1],
      ['{"execute":"q\\x"}\n', 1],
      ['[1]\n', 1],
      ['123\n', 1],
      ['{"id":8}\n', 1],
      ['{"execute":1,"id":9}\n', 1],
      ['{"execute":"query-status","foo":1,"id":10}\n', 1],
      ['{"execute":"query-status","arguments":[]}\n', 1],
      ['{"execute":"no-such-command","id":{"a":[1.5,null]}}\n', 1],
      ['{"execute":"query-status","arguments":{"a":1}}\n', 1],
      ['{"execute":"qom-get","arguments":{"path":1,"property":"type"}}\n', 1],
      ['{"execute":"qom-get","arguments":{"path":"/machine"}}\n', 1],
      ['{"execute":"qom-get","arguments":{"path":"/nope","property":"type"}}\n', 1],
      ['{"execute":"qom-list","arguments":{"path":"/machine/nope"}}\n', 1],
      ['{"execute":"qom-list","arguments":{"path":""}}\n', 1],
      ['{"execute":"qom-list-types","arguments":{"abstract":"yes"}}\n', 1],
      ['{"execute":"qom-list-properties","arguments":{"typename":"nope"}}\n', 1],
      ['{"execute":"device-list-properties","arguments":{"typename":"nope"}}\n', 1],
      ['{"execute":"device_add","arguments":{"driver":"nope"}}\n', 1],
      ['{"execute":"device_add","arguments":{"id":"x"}}\n', 1],
      ['{"execute":"device_del","arguments":{"id":"nope"}}\n', 1],
      ['{"execute":"x-exit-preconfig"}\n', 1],
      ['{"execute":"qmp_capabilities"}\n', 1],
    ];
    for (const [raw, count] of exact) {
      // Byte for byte: the same members in the same order, the same escapes, CR LF.
      const [ours, theirs] = await Promise.all(targets.map((t) => t.client.rawText(raw, count)));
      expect([raw, ours]).toEqual([raw, theirs]);
    }
    // Bytes that are not UTF-8, and the error naming a type each names its own way.
    const [ff0, ff1] = await Promise.all(targets.map((t) => t.client.rawText(Uint8Array.from([0xff, 0x0a]))));
    expect(ff0).toEqual(ff1);
    const [prop0, prop1] = await Promise.all(targets.map((t) => t.client.execute('qom-get', { path: '/machine', property: 'nope' })));
    expect(prop0).toEqual({ error: { class: 'GenericError', desc: "Property 'riscv-virt-1.2-machine.nope' not found" } });
    expect(prop1).toEqual({ error: { class: 'GenericError', desc: "Property 'virt-machine.nope' not found" } });
    // Still running on both.
    const status = await Promise.all(targets.map((t) => t.client.execute('query-status')));
    expect(status).toEqual([{ return: { status: 'running', singlestep: false, running: true } }, { return: { status: 'running', singlestep: false, running: true } }]);
    await finish(targets);
  });

  it('keep a second client on a busy socket waiting, unanswered, until the first leaves', async () => {
    const targets = await both();
    await negotiate(targets);
    const seconds = await Promise.all(targets.map((t) => QmpTestClient.connect({ path: t.path })));
    for (const second of seconds) second.write('{"execute":"qmp_capabilities","id":1}\n{"execute":"query-status","id":2}\n');
    const heard = await Promise.all(seconds.map((second) => second.until((lines) => lines.length > 0, 500)));
    expect(heard).toEqual([false, false]);
    for (const target of targets) expect(await target.client.execute('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    for (const target of targets) target.client.close();
    await Promise.all(seconds.map((second) => second.until((lines) => lines.length >= 3)));
    expect(shapeDifferences(seconds[0].lines[0] as Json, seconds[1].lines[0] as Json)).toEqual([]);
    expect(seconds[0].lines.slice(1)).toEqual(seconds[1].lines.slice(1));
    expect(seconds[0].lines.slice(1)).toEqual([{ return: {}, id: 1 }, { return: { status: 'running', singlestep: false, running: true }, id: 2 }]);
    for (const [i, target] of targets.entries()) {
      await seconds[i].execute('quit');
      expect(await target.exited).toBe(0);
    }
  });

  it('keep the preconfig phase alike: what is refused, and how x-exit-preconfig starts the machine', async () => {
    const targets = await both([], true);
    await negotiate(targets);
    for (const raw of [
      '{"execute":"query-status"}\n',
      '{"execute":"stop"}\n',
      '{"execute":"cont"}\n',
      '{"execute":"system_reset"}\n',
      '{"execute":"query-cpus-fast"}\n',
    ]) {
      const [ours, theirs] = await Promise.all(targets.map((t) => t.client.raw(raw)));
      expect([raw, ours]).toEqual([raw, theirs]);
    }
    const list = await Promise.all(targets.map((t) => t.client.execute('qom-list', { path: '/machine' })));
    expect(shapeDifferences(list[0] as Json, list[1] as Json)).toEqual([]);
    const exit = await Promise.all(targets.map((t) => t.client.execute('x-exit-preconfig')));
    expect(exit).toEqual([{ return: {} }, { return: {} }]);
    expect(targets.map((t) => t.client.events().map((e) => e.event))).toEqual([['RESUME'], ['RESUME']]);
    const [again0, again1] = await Promise.all(targets.map((t) => t.client.raw('{"execute":"x-exit-preconfig"}\n')));
    expect(again0).toEqual(again1);
    const status = await Promise.all(targets.map((t) => t.client.execute('query-status')));
    expect(status[0]).toEqual(status[1]);
    await finish(targets);
  });
});

describe('QMP: BoardLab and qemu-system-arm (mps2-an385) side by side', () => {
  // uart-echo waits for input, so both machines keep running while the client asks.
  const echoArm = join(root, 'public/firmware/arm/uart-echo.elf');

  async function bothArm(): Promise<[Target, Target]> {
    const qemuPath = join(work, `qemu-arm-${sockets++}.sock`);
    const child: ChildProcess = spawn('qemu-system-arm', ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-kernel', echoArm, '-qmp', `unix:${qemuPath},server=on,wait=off`], { stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(child);
    const qemuExited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    const ourPath = join(work, `boardlab-arm-${sockets++}.sock`);
    const ourExited = runCommand({ qemuArgs: ['-M', 'mps2-an385', '-kernel', echoArm, '-qmp', `unix:${ourPath},server=on,wait=off`] }, { stdout: () => {}, stderr: () => {}, guestStderr: () => {} });
    const [ours, theirs] = await Promise.all([QmpTestClient.connect({ path: ourPath }), QmpTestClient.connect({ path: qemuPath })]);
    const targets: [Target, Target] = [
      { name: 'boardlab', path: ourPath, client: ours, exited: ourExited, kill: () => void ours.execute('quit').catch(() => {}) },
      { name: 'qemu', path: qemuPath, client: theirs, exited: qemuExited, kill: () => child.kill() },
    ];
    for (const target of targets) await target.client.until((lines) => lines.length >= 1);
    await negotiate(targets);
    return targets;
  }

  it('query-cpus-fast: the same members and values (target "arm", cpu-index 0, no topology props); the qom-path names the CPU object on each', async () => {
    const targets = await bothArm();
    type CpuInfo = { [key: string]: Json };
    const [ours, theirs] = (await Promise.all(targets.map((t) => t.client.execute('query-cpus-fast')))) as Array<{ return: CpuInfo[] }>;
    expect(theirs.return).toHaveLength(1);
    expect(ours.return).toHaveLength(1);
    const [mine, qemus] = [ours.return[0], theirs.return[0]];
    expect(Object.keys(mine).sort()).toEqual(Object.keys(qemus).sort());
    expect(qemus).toMatchObject({ target: 'arm', 'cpu-index': 0 });
    // thread-id is each process's; the qom-path is each machine's own name for its CPU (QEMU: /machine/armv7m/cpu; BoardLab: the board's cpu0)
    const comparable = (info: CpuInfo) => ({ ...info, 'thread-id': typeof info['thread-id'], 'qom-path': typeof info['qom-path'] });
    expect(comparable(mine)).toEqual(comparable(qemus));
    expect(mine['qom-path']).toBe('/machine/cpu0');
    for (const [target, info] of [[targets[0], mine], [targets[1], qemus]] as const) {
      const listed = (await target.client.execute('qom-list', { path: info['qom-path'] })) as { return?: Array<{ name: string }> };
      expect(listed.return?.map((p) => p.name), `${target.name}: qom-list ${String(info['qom-path'])}`).toContain('type');
    }
    await finish(targets);
  });
});
