import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard, type BoardDocument } from '../../graph/index.ts';
import { RunController } from '../run-control.ts';
import { Machine } from '../machine.ts';
import { COMMANDS } from './commands.ts';
import { QmpMonitor } from './monitor.ts';

const packageVersion = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;
const helloElf = new Uint8Array(readFileSync(new URL('../../../public/firmware/hello.elf', import.meta.url)));
const clock = () => 1_700_000_000_000_001;

/** A riscv-virt machine running hello, behind a negotiated (or not) monitor. */
function virt(startPaused = true, params: Record<string, number> = {}) {
  const document: BoardDocument = { ...boardFromMachineType('riscv-virt', params), images: [{ cpu: 'cpu0', file: 'hello.elf' }] };
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems[0].message);
  const machine = Machine.build(result.board, new Map([['hello.elf', helloElf]]));
  return RunController.forMachine(machine, result.board, document, { startPaused, clock });
}

function session(controller: RunController) {
  const out: string[] = [];
  const monitor = new QmpMonitor({ controller, threadId: 4242, hostFeatures: ['shared-memory', 'real-time', 'host-serial', 'qmp-socket'] }, { write: (text) => out.push(text) });
  monitor.start();
  /** Send raw text; the parsed lines written in answer (events included). */
  const raw = async (text: string): Promise<unknown[]> => {
    const from = out.length;
    monitor.feed(text);
    await monitor.settled();
    await new Promise((resolve) => setImmediate(resolve));
    return out.slice(from).map((line) => JSON.parse(line));
  };
  const send = async (request: object) => raw(`${JSON.stringify(request)}\n`);
  /** One command's reply (the last line), after negotiation. */
  const run = async (execute: string, args?: object, id?: unknown) => (await send({ execute, ...(args ? { arguments: args } : {}), ...(id !== undefined ? { id } : {}) })).at(-1) as Record<string, unknown>;
  return { out, raw, send, run, monitor };
}

async function negotiated(controller: RunController) {
  const s = session(controller);
  await s.send({ execute: 'qmp_capabilities' });
  return s;
}

describe('QMP protocol', () => {
  it('greets with the version and no capabilities, in QEMU’s byte format', () => {
    const { out } = session(virt());
    const [major, minor, micro] = packageVersion.split('.').map(Number);
    expect(out).toEqual([`{"QMP": {"version": {"qemu": {"micro": ${micro}, "minor": ${minor}, "major": ${major}}, "package": "BoardLab ${packageVersion}"}, "capabilities": []}}\r\n`]);
  });

  it('takes only qmp_capabilities before negotiation, and refuses it after', async () => {
    const s = session(virt());
    expect(await s.send({ execute: 'query-status', id: 1 })).toEqual([{ id: 1, error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" } }]);
    expect(await s.send({ execute: 'qmp_capabilities', arguments: { enable: ['oob'] } })).toEqual([{ error: { class: 'GenericError', desc: 'Capability oob not available' } }]);
    expect(await s.send({ execute: 'qmp_capabilities', arguments: { enable: ['foo'] } })).toEqual([{ error: { class: 'GenericError', desc: "Parameter 'null' does not accept value 'foo'" } }]);
    expect(await s.send({ execute: 'qmp_capabilities' })).toEqual([{ return: {} }]);
    expect(await s.send({ execute: 'qmp_capabilities', id: 'x' })).toEqual([{ id: 'x', error: { class: 'CommandNotFound', desc: 'Capabilities negotiation is already complete, command ignored' } }]);
  });

  it('checks the request object before anything runs, as QEMU does', async () => {
    const s = await negotiated(virt());
    expect(await s.raw('[1]\n')).toEqual([{ error: { class: 'GenericError', desc: 'QMP input must be a JSON object' } }]);
    expect(await s.send({ execute: 'stop', foo: 1, id: 7 })).toEqual([{ id: 7, error: { class: 'GenericError', desc: "QMP input member 'foo' is unexpected" } }]);
    expect(await s.send({ id: 8 })).toEqual([{ id: 8, error: { class: 'GenericError', desc: "QMP input lacks member 'execute'" } }]);
    expect(await s.send({ execute: 1 })).toEqual([{ error: { class: 'GenericError', desc: "QMP input member 'execute' must be a string" } }]);
    expect(await s.send({ execute: 'cont', arguments: [] })).toEqual([{ error: { class: 'GenericError', desc: "QMP input member 'arguments' must be an object" } }]);
    expect(await s.send({ execute: 'nope' })).toEqual([{ error: { class: 'CommandNotFound', desc: 'The command nope has not been found' } }]);
    expect(await s.send({ execute: 'cont', arguments: { x: 1 } })).toEqual([{ error: { class: 'GenericError', desc: "Parameter 'x' is unexpected" } }]);
    expect(await s.run('qom-get', { path: 1, zzz: 1 })).toEqual({ error: { class: 'GenericError', desc: "Invalid parameter type for 'path', expected: string" } });
    expect(await s.run('qom-get', { zzz: 1 })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'path' is missing" } });
    expect(await s.raw('{bad json}\n')).toEqual([{ error: { class: 'GenericError', desc: "JSON parse error, invalid keyword 'bad'" } }]);
    // None of it touched the machine.
    expect(await s.run('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
  });

  it('echoes any id, and keeps QEMU’s member order on the wire', async () => {
    const s = await negotiated(virt());
    const from = s.out.length;
    await s.raw('{"execute":"query-status","id":{"b":[1.5,null],"a":"x"}}\n');
    expect(s.out.slice(from)).toEqual(['{"return": {"status": "prelaunch", "singlestep": false, "running": false}, "id": {"a": "x", "b": [1.5, null]}}\r\n']);
  });

  it('runs, stops and resets with events, and quits', async () => {
    const controller = virt();
    const s = await negotiated(controller);
    expect(await s.send({ execute: 'cont', id: 1 })).toEqual([{ event: 'RESUME', timestamp: { seconds: 1_700_000_000, microseconds: 1 } }, { return: {}, id: 1 }]);
    expect(await s.run('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    expect(await s.send({ execute: 'stop' })).toEqual([{ event: 'STOP', timestamp: expect.any(Object) }, { return: {} }]);
    expect(await s.send({ execute: 'system_reset' })).toEqual([{ event: 'RESET', data: { guest: false, reason: 'host-qmp-system-reset' }, timestamp: expect.any(Object) }, { return: {} }]);
    expect(await s.run('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
    expect(await s.send({ execute: 'quit' })).toEqual([{ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit' }, timestamp: expect.any(Object) }, { return: {} }]);
    expect(controller.quitRequested).toBe(true);
  });

  it('lists its commands', async () => {
    const s = await negotiated(virt());
    const reply = (await s.run('query-commands')) as { return: Array<{ name: string }> };
    expect(reply.return.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const name of ['qom-list', 'device_add', 'x-exit-preconfig', 'query-cpu-model-expansion', 'query-platforms', 'x-boardlab-map']) expect(reply.return).toContainEqual({ name });
  });

  it('reports a failing command as an error and goes on', async () => {
    const controller = virt();
    const s = await negotiated(controller);
    const original = controller.stop.bind(controller);
    controller.stop = () => {
      throw new TypeError('boom');
    };
    expect(await s.run('stop')).toEqual({ error: { class: 'GenericError', desc: 'internal error: boom' } });
    controller.stop = original;
    expect(await s.run('stop')).toEqual({ return: {} });
  });

  it('goes on with another controller: its commands and events, negotiation kept', async () => {
    const first = virt(false);
    const s = await negotiated(first);
    const second = virt(true, { harts: 2 });
    s.monitor.switchController(second);
    expect(await s.run('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
    expect(((await s.run('query-cpus-fast')).return as unknown[]).length).toBe(2);
    const written = s.out.length;
    first.stop(); // the old controller is no longer listened to: no STOP
    expect(s.out.length).toBe(written);
    expect(await s.send({ execute: 'cont' })).toEqual([{ timestamp: { seconds: 1_700_000_000, microseconds: 1 }, event: 'RESUME' }, { return: {} }]);
  });
});

describe('QOM over QMP', () => {
  it('lists the tree: root, machine, objects with catalog properties and children', async () => {
    const s = await negotiated(virt());
    expect(await s.run('qom-list', { path: '/' })).toEqual({ return: [{ name: 'type', type: 'string' }, { name: 'machine', type: 'child<riscv-virt-1.2-machine>' }] });
    const machine = ((await s.run('qom-list', { path: '/machine' })) as { return: unknown[] }).return;
    expect(machine).toContainEqual({ name: 'harts', type: 'int' });
    expect(machine).toContainEqual({ name: 'uart0', type: 'child<ns16550a>' });
    expect(await s.run('qom-list', { path: '/machine/uart0' })).toEqual({
      return: [
        { name: 'type', type: 'string' },
        { name: 'realized', type: 'bool' },
        { name: 'clock-frequency', type: 'uint64' },
        { name: 'fifo-depth', type: 'uint32' },
      ],
    });
    const cpu = ((await s.run('qom-list', { path: 'cpu0' })) as { return: unknown[] }).return;
    expect(cpu).toContainEqual({ name: 'address-space', type: 'str' });
    expect(cpu).toContainEqual({ name: 'time-base', type: 'link<time-base>' });
    expect(cpu).toContainEqual({ name: 'm', type: 'bool' });
  });

  it('gets properties, with QEMU’s errors for bad paths and names', async () => {
    const s = await negotiated(virt());
    expect(await s.run('qom-get', { path: '/machine/uart0', property: 'fifo-depth' })).toEqual({ return: 16 });
    expect(await s.run('qom-get', { path: '/machine/uart0', property: 'type' })).toEqual({ return: 'ns16550a' });
    expect(await s.run('qom-get', { path: '/machine/uart0', property: 'realized' })).toEqual({ return: true });
    expect(await s.run('qom-get', { path: '/machine', property: 'type' })).toEqual({ return: 'riscv-virt-1.2-machine' });
    expect(await s.run('qom-get', { path: '/machine', property: 'uart0' })).toEqual({ return: '/machine/uart0' });
    expect(await s.run('qom-get', { path: 'machine/', property: 'harts' })).toEqual({ return: 1 });
    expect(await s.run('qom-get', { path: '/machine/nope', property: 'type' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Device '/machine/nope' not found" } });
    expect(await s.run('qom-get', { path: '/machine/uart0', property: 'nope' })).toEqual({ error: { class: 'GenericError', desc: "Property 'ns16550a.nope' not found" } });
    expect(await s.run('qom-list', { path: '' })).toEqual({ error: { class: 'GenericError', desc: "Path '' is ambiguous" } });
  });

  it('fixes properties once the machine is built, as QEMU does after realize', async () => {
    const s = await negotiated(virt());
    expect(await s.run('qom-set', { path: '/machine/uart0', property: 'fifo-depth', value: 1 })).toEqual({
      error: { class: 'GenericError', desc: "Attempt to set property 'fifo-depth' on device 'uart0' (type 'ns16550a') after it was realized" },
    });
    expect(await s.run('qom-set', { path: '/machine/uart0', property: 'type', value: 'x' })).toEqual({ error: { class: 'GenericError', desc: "Property 'ns16550a.type' is not writable" } });
    expect(await s.run('qom-set', { path: '/machine/uart0', property: 'fifo-depth' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'value' is missing" } });
  });

  it('lists types by what they implement, abstract ones on request', async () => {
    const s = await negotiated(virt());
    expect(await s.run('qom-list-types', { implements: 'riscv-cpu' })).toEqual({ return: [{ name: 'rv32', parent: 'riscv-cpu' }] });
    expect(await s.run('qom-list-types', { implements: 'riscv-cpu', abstract: true })).toEqual({ return: [{ name: 'riscv-cpu', abstract: true, parent: 'cpu' }, { name: 'rv32', parent: 'riscv-cpu' }] });
    const serial = ((await s.run('qom-list-types', { implements: 'serial' })) as { return: Array<{ name: string }> }).return.map((t) => t.name);
    expect(serial).toEqual(['ns16550a', 'cmsdk-apb-uart']);
    const machines = ((await s.run('qom-list-types', { implements: 'machine' })) as { return: Array<{ name: string }> }).return.map((t) => t.name);
    expect(machines).toEqual(['riscv-virt-1.0-machine', 'riscv-virt-1.1-machine', 'riscv-virt-1.2-machine', 'boardlab-mcu-1.0-machine', 'mps2-an385-1.0-machine', 'boardlab-m0-1.0-machine', 'board-machine']);
    expect(await s.run('qom-list-types', { implements: 'nope' })).toEqual({ return: [] });
    expect(await s.run('qom-list-types', { abstract: 'yes' })).toEqual({ error: { class: 'GenericError', desc: "Invalid parameter type for 'abstract', expected: boolean" } });
  });

  it('describes type properties, and device properties of concrete device types only', async () => {
    const s = await negotiated(virt());
    const props = ((await s.run('qom-list-properties', { typename: 'riscv-cpu' })) as { return: Array<{ name: string }> }).return.map((p) => p.name);
    expect(props).toEqual(['type', 'realized', 'reset-vector', 'address-space', 'time-base', 'hart-id', 'clock-frequency', 'm', 'a', 'f', 'd', 'c', 's', 'u', 'zba', 'zbb', 'zbc', 'zbs', 'debug']);
    expect(await s.run('device-list-properties', { typename: 'ns16550a' })).toEqual({
      return: [
        { name: 'clock-frequency', type: 'uint64', description: expect.stringContaining('Input clock'), 'default-value': 3686400 },
        { name: 'fifo-depth', type: 'uint32', description: 'Depth of the receive FIFO.', 'default-value': 16 },
      ],
    });
    expect(await s.run('qom-list-properties', { typename: 'nope' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Class 'nope' not found" } });
    expect(await s.run('device-list-properties', { typename: 'nope' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Device 'nope' not found" } });
    expect(await s.run('device-list-properties', { typename: 'riscv-cpu' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'typename' expects a non-abstract device type" } });
    expect(await s.run('device-list-properties', { typename: 'riscv-virt-1.1-machine' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'typename' expects a non-abstract device type" } });
  });

  it('lists machine types, with their compat layers when asked', async () => {
    const s = await negotiated(virt());
    const { return: machines } = (await s.run('query-machines')) as { return: Array<Record<string, unknown>> };
    expect(machines.map((m) => m.name)).toEqual(['riscv-virt-1.0', 'riscv-virt-1.1', 'riscv-virt-1.2', 'boardlab-mcu-1.0', 'mps2-an385-1.0', 'boardlab-m0-1.0']);
    expect(machines[4]).toMatchObject({ name: 'mps2-an385-1.0', alias: 'mps2-an385', 'cpu-max': 1, 'default-cpu-type': 'cortex-m3' });
    expect(machines[2]).toEqual({ name: 'riscv-virt-1.2', alias: 'riscv-virt', 'is-default': true, 'cpu-max': 8, 'hotpluggable-cpus': false, 'numa-mem-supported': false, deprecated: false, 'default-cpu-type': 'rv32', 'default-ram-id': 'ram' });
    expect(machines[0]).not.toHaveProperty('compat-props');
    const { return: withCompat } = (await s.run('query-machines', { 'compat-props': true })) as { return: Array<Record<string, unknown>> };
    // the difference between the versions: 1.0 and 1.1 keep the harts without floating point, bit manipulation and triggers, 1.2 has them
    const bitmanip = (value: string) => ['f', 'd', 'zba', 'zbb', 'zbc', 'zbs', 'debug'].map((property) => ({ 'qom-type': 'riscv-cpu', property, value }));
    expect(withCompat[0]['compat-props']).toEqual([{ 'qom-type': 'ns16550a', property: 'fifo-depth', value: '1' }, ...bitmanip('off')]);
    expect(withCompat[1]['compat-props']).toEqual(bitmanip('off'));
    expect(withCompat[2]['compat-props']).toEqual(bitmanip('on'));
    expect(withCompat[3]['compat-props']).toEqual([]);
  });

  it('lists CPUs', async () => {
    const s = await negotiated(virt(true, { harts: 2 }));
    expect(await s.run('query-cpus-fast')).toEqual({
      return: [
        { 'cpu-index': 0, 'qom-path': '/machine/cpu0', 'thread-id': 4242, props: { 'core-id': 0 }, target: 'riscv32' },
        { 'cpu-index': 1, 'qom-path': '/machine/cpu1', 'thread-id': 4242, props: { 'core-id': 1 }, target: 'riscv32' },
      ],
    });
  });
});

describe('device_add and device_del', () => {
  it('refuse hot plug once the machine is built, with QEMU’s messages', async () => {
    const s = await negotiated(virt());
    expect(await s.run('device_add', { driver: 'nope' })).toEqual({ error: { class: 'GenericError', desc: "'nope' is not a valid device model name" } });
    expect(await s.run('device_add', { driver: 5 })).toEqual({ error: { class: 'GenericError', desc: "'5' is not a valid device model name" } });
    expect(await s.run('device_add', { driver: 'cpu' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'driver' expects a non-abstract device type" } });
    expect(await s.run('device_add', { id: 'x' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'driver' is missing" } });
    expect(await s.run('device_add', { driver: 'led', id: 'led9' })).toEqual({ error: { class: 'GenericError', desc: "Device 'led' does not support hotplugging" } });
    expect(await s.run('device_del', { id: 'nope' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Device 'nope' not found" } });
    expect(await s.run('device_del', { id: 'uart0' })).toEqual({ error: { class: 'GenericError', desc: "Device 'uart0' does not support hotplugging" } });
    expect(await s.run('device_del', { id: '/machine' })).toEqual({ error: { class: 'GenericError', desc: '/machine is not a hotpluggable device' } });
    expect(await s.run('x-exit-preconfig')).toEqual({ error: { class: 'GenericError', desc: 'The command is permitted only before machine initialization' } });
    expect(await s.run('x-boardlab-map', { map: 'uart0.regs', at: 0 })).toEqual({ error: { class: 'GenericError', desc: 'The command is permitted only before machine initialization' } });
  });

  it('cold plug in the preconfig phase: checks like QEMU, then the board’s own checks', async () => {
    const controller = RunController.preconfig(boardFromMachineType('riscv-virt'), { clock });
    const s = await negotiated(controller);
    // As QEMU 7.2 does, query-status says prelaunch in the preconfig phase.
    expect(await s.run('query-status')).toEqual({ return: { status: 'prelaunch', singlestep: false, running: false } });
    expect(await s.run('stop')).toEqual({ error: { class: 'GenericError', desc: "The command 'stop' is permitted only after machine initialization has completed" } });
    expect(await s.run('query-cpus-fast')).toEqual({ error: { class: 'GenericError', desc: "The command 'query-cpus-fast' is permitted only after machine initialization has completed" } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: '1bad' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'id' expects an identifier" } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: 'Uart1' })).toMatchObject({ error: { desc: expect.stringContaining("Parameter 'id' expects a BoardLab object name") } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: 'uart0' })).toEqual({ error: { class: 'GenericError', desc: "Duplicate device ID 'uart0'" } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: 'uart1', bogus: 1 })).toEqual({ error: { class: 'GenericError', desc: "Property 'ns16550a.bogus' not found" } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: 'uart1', 'fifo-depth': 'x' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'fifo-depth' expects uint64" } });
    expect(await s.run('device_add', { driver: 'led', id: 'led0', color: 'pink' })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'color' does not accept value 'pink'" } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: 'uart1', bus: 'x' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Bus 'x' not found" } });
    expect(await s.run('device_add', { driver: 'ns16550a', id: 'uart1', 'fifo-depth': 4 })).toEqual({ return: {} });
    expect(await s.run('device_add', { driver: 'led' })).toEqual({ return: {} });
    expect(await s.run('qom-get', { path: '/machine/led0', property: 'realized' })).toEqual({ return: false });
    expect(await s.run('qom-get', { path: '/machine/uart1', property: 'fifo-depth' })).toEqual({ return: 4 });
    // device_del answers first; the event follows.
    expect(await s.send({ execute: 'device_del', arguments: { id: 'led0' } })).toEqual([{ return: {} }, { event: 'DEVICE_DELETED', data: { device: 'led0', path: '/machine/led0' }, timestamp: expect.any(Object) }]);
    expect(await s.run('qom-set', { path: '/machine/uart1', property: 'fifo-depth', value: 100 })).toMatchObject({ error: { class: 'GenericError', desc: expect.stringContaining('property "fifo-depth" of uart1 must be 1 to 64 bytes, not 100') } });
    expect(await s.run('qom-set', { path: '/machine', property: 'harts', value: 2 })).toEqual({ return: {} });
    expect(await s.run('qom-set', { path: '/machine/cpu0', property: 'time-base', value: '/machine/nope' })).toEqual({ error: { class: 'DeviceNotFound', desc: "Device '/machine/nope' not found" } });
    expect(await s.run('qom-set', { path: '/machine/cpu0', property: 'time-base', value: '' })).toEqual({ return: {} });
    expect(await s.run('qom-get', { path: '/machine/cpu0', property: 'time-base' })).toEqual({ return: '' });
    expect(await s.run('qom-set', { path: '/machine/cpu0', property: 'time-base', value: 'clint' })).toEqual({ return: {} });
    expect(await s.run('qom-get', { path: '/machine/cpu0', property: 'time-base' })).toEqual({ return: '/machine/clint' });
    expect(await s.run('x-boardlab-map', { at: 0 })).toEqual({ error: { class: 'GenericError', desc: "Exactly one of 'map' and 'alias' is required" } });
    expect(await s.run('x-boardlab-map', { map: 'uart1.regs', at: 1.5 })).toEqual({ error: { class: 'GenericError', desc: "Invalid parameter type for 'at', expected: BoardLabInteger" } });
    expect(await s.run('x-boardlab-map', { map: 'uart1.regs', at: '0x10001000' })).toEqual({ return: {} });
    expect(await s.run('x-boardlab-wire', { from: 'uart1.irq', to: 'plic.in[200]' })).toMatchObject({ error: { class: 'GenericError', desc: expect.stringContaining('plic.in') } });
    expect(await s.run('x-boardlab-wire', { from: 'uart1.irq', to: 'plic.in[11]' })).toEqual({ return: {} });
    const board = (await s.run('x-boardlab-query-board')) as { return: { document: BoardDocument; problems: unknown[] } };
    expect(board.return.problems).toEqual([]);
    expect(board.return).toHaveProperty('preconfig', true);
    expect(board.return.document).toMatchObject({ params: { harts: 2 }, memory: [{ map: 'uart1.regs', at: '0x10001000' }], irqs: [{ from: 'uart1.irq', to: 'plic.in[11]' }] });
    expect(await s.send({ execute: 'x-exit-preconfig' })).toEqual([{ event: 'RESUME', timestamp: expect.any(Object) }, { return: {} }]);
    expect(await s.run('query-cpus-fast')).toMatchObject({ return: [{ 'qom-path': '/machine/cpu0' }, { 'qom-path': '/machine/cpu1' }] });
  });
});

describe('CPU models and platforms', () => {
  it('expands a RISC-V CPU model statically (base plus enabled extensions) and fully', async () => {
    const s = await negotiated(virt());
    expect(await s.run('query-cpu-model-expansion', { type: 'static', model: { name: 'rv32', props: { a: false } } })).toEqual({ return: { model: { name: 'rv32i', props: { m: true, c: true, s: true, u: true } } } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32' } })).toEqual({ return: { model: { name: 'rv32', props: { m: true, a: true, f: false, d: false, c: true, s: true, u: true, zba: false, zbb: false, zbc: false, zbs: false } } } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32i', props: { m: true } } })).toEqual({ return: { model: { name: 'rv32i', props: { m: true, a: false, f: false, d: false, c: false, s: false, u: false, zba: false, zbb: false, zbc: false, zbs: false } } } });
    // F and D too; d needs f
    expect(await s.run('query-cpu-model-expansion', { type: 'static', model: { name: 'rv32', props: { f: true, d: true } } })).toEqual({ return: { model: { name: 'rv32i', props: { m: true, a: true, f: true, d: true, c: true, s: true, u: true } } } });
    // the bit-manipulation extensions are extensions of the model like the others
    expect(await s.run('query-cpu-model-expansion', { type: 'static', model: { name: 'rv32', props: { zbb: true, zbs: true } } })).toEqual({ return: { model: { name: 'rv32i', props: { m: true, a: true, c: true, s: true, u: true, zbb: true, zbs: true } } } });
    expect(await s.run('query-cpu-model-comparison', { modela: { name: 'rv32', props: { zba: true } }, modelb: { name: 'rv32' } })).toEqual({ return: { result: 'superset', 'responsible-properties': ['zba'] } });
    expect(await s.run('query-cpu-model-expansion', { type: 'half', model: { name: 'rv32' } })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'type' does not accept value 'half'" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'x86' } })).toEqual({ error: { class: 'GenericError', desc: "The CPU type 'x86' is not a recognized CPU type" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'riscv-cpu' } })).toEqual({ error: { class: 'GenericError', desc: "The CPU type 'riscv-cpu' is abstract" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32', props: { v: true } } })).toEqual({ error: { class: 'GenericError', desc: "Property 'rv32.v' not found" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32', props: { m: 1 } } })).toEqual({ error: { class: 'GenericError', desc: "Invalid parameter type for 'm', expected: boolean" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32', props: [] } })).toEqual({ error: { class: 'GenericError', desc: "Invalid parameter type for 'props', expected: dict" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32', props: { u: false } } })).toMatchObject({ error: { desc: expect.stringContaining("extension 's' needs extension 'u'") } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { props: {} } })).toEqual({ error: { class: 'GenericError', desc: "Parameter 'model.name' is missing" } });
    // An expansion fed back expands to itself.
    const full = ((await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'rv32', props: { c: false } } })) as { return: { model: object } }).return.model;
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: full })).toEqual({ return: { model: full } });
  });

  it('expands the ARM Cortex-M models as QEMU 7.2 does: full gives the name without properties, static is not supported, no comparison', async () => {
    const s = await negotiated(virt());
    // qemu-system-arm 7.2 -M mps2-an385 answers {"model": {"name": "cortex-m3"}} and "The requested expansion type is not supported".
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'cortex-m3' } })).toEqual({ return: { model: { name: 'cortex-m3' } } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'cortex-m0plus' } })).toEqual({ return: { model: { name: 'cortex-m0plus' } } });
    expect(await s.run('query-cpu-model-expansion', { type: 'static', model: { name: 'cortex-m3' } })).toEqual({ error: { class: 'GenericError', desc: 'The requested expansion type is not supported' } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'cortex-m3', props: { bitband: false } } })).toEqual({ error: { class: 'GenericError', desc: "Property 'cortex-m3.bitband' not found" } });
    expect(await s.run('query-cpu-model-expansion', { type: 'full', model: { name: 'arm-cpu' } })).toEqual({ error: { class: 'GenericError', desc: "The CPU type 'arm-cpu' is abstract" } });
    expect(await s.run('query-cpu-model-comparison', { modela: { name: 'cortex-m3' }, modelb: { name: 'rv32' } })).toEqual({ return: { result: 'incompatible', 'responsible-properties': [] } });
    expect(await s.run('query-cpu-model-comparison', { modela: { name: 'cortex-m3' }, modelb: { name: 'cortex-m0' } })).toMatchObject({ error: { desc: expect.stringContaining('cortex-m3 cannot be compared or baselined') } });
    expect(await s.run('query-cpu-model-baseline', { modela: { name: 'cortex-m3' }, modelb: { name: 'cortex-m0' } })).toMatchObject({ error: { desc: expect.stringContaining('cannot be compared or baselined') } });
  });

  it('compares models by their extensions', async () => {
    const s = await negotiated(virt());
    const model = (props: Record<string, boolean> = {}) => ({ name: 'rv32', props });
    const compare = (a: object, b: object) => s.run('query-cpu-model-comparison', { modela: a, modelb: b });
    expect(await compare(model(), { name: 'rv32i', props: { m: true, a: true, c: true, s: true, u: true } })).toEqual({ return: { result: 'identical', 'responsible-properties': [] } });
    expect(await compare(model(), model({ a: false, c: false }))).toEqual({ return: { result: 'superset', 'responsible-properties': ['a', 'c'] } });
    expect(await compare(model({ m: false }), model())).toEqual({ return: { result: 'subset', 'responsible-properties': ['m'] } });
    expect(await compare(model({ m: false }), model({ a: false }))).toEqual({ return: { result: 'incompatible', 'responsible-properties': ['m', 'a'] } });
    expect(await s.run('query-cpu-model-baseline', { modela: model({ m: false }), modelb: model({ a: false, s: false }) })).toEqual({ return: { model: { name: 'rv32i', props: { c: true, u: true } } } });
  });

  it('lists platforms, their features, and which this host can run', async () => {
    const s = await negotiated(virt());
    const { return: platforms } = (await s.run('query-platforms')) as { return: Array<Record<string, unknown>> };
    expect(platforms.map((p) => [p.name, p.runnable, p['unavailable-features'], p.current])).toEqual([
      ['node@1', false, ['gdb-stub'], true],
      ['browser@1', false, ['display'], false],
      ['browser-basic@1', false, ['display'], false],
    ]);
    expect(platforms[1].defaults).toEqual([{ 'qom-type': 'ram', property: 'shared', value: 'on' }]);
    expect(platforms[0].features).toContainEqual({ name: 'qmp-socket', doc: 'a QMP monitor on a Unix or TCP socket' });
  });
});
