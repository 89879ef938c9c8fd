// The designer's QMP console, worker side: a QMP session on the machine the run loop runs, with the
// run state kept in step with the page's control words both ways. Real engine, real run loop.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { addi, lui, lw, Program, Reg } from '../engine/cpu/riscv/asm.ts';
import { Machine } from '../engine/index.ts';
import { parseBoard, type BoardDocument } from '../graph/index.ts';
import { createControl, Desired, readControl, requestPause, requestReset, requestRun, WorkerRunState, Word } from './control.ts';
import { WorkerQmp, type QmpConsoleOutput } from './qmp-session.ts';
import { Runner } from './runner.ts';
import { createSerialRingBuffer } from './serial-ring.ts';
import { until, yieldToEventLoop } from './run-loop-testing.ts';

function boardDocument(name: string, image: { file: string; format?: 'binary'; at?: string }): BoardDocument {
  return {
    boardlab: 1,
    name,
    objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } }, ram: { type: 'ram', props: { size: '1M' } }, uart0: { type: 'ns16550a' }, test: { type: 'sifive-test' } },
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    images: [{ cpu: 'cpu0', ...image }],
  } as BoardDocument;
}

/** A guest that never stops: counts in a0 forever. */
function spinProgram(): Uint8Array {
  const p = new Program(0x8000_0000);
  p.label('loop').i(addi(Reg.a0, Reg.a0, 1));
  p.jal(Reg.zero, 'loop');
  return p.bytes();
}

const SPIN = { document: boardDocument('spin', { file: 'spin.bin', format: 'binary', at: '0x80000000' }), images: new Map([['spin.bin', spinProgram()]]) };
const HELLO = {
  document: boardDocument('hello-test', { file: 'hello.elf' }),
  images: new Map([['hello.elf', new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)))]]),
};

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

type Message = Record<string, unknown> & { event?: string; return?: unknown; error?: { class: string; desc: string }; data?: Record<string, unknown> };

/** A run loop with the QMP bridge attached, loading boards the way the worker does. */
function setup() {
  const control = createControl();
  let built: Machine | null = null;
  const runner = new Runner(
    control,
    createSerialRingBuffer(),
    (board, images, onSerialOutput) => (built = Machine.build(board, images, { sharesGuestMemory: true, onSerialOutput })),
    { yieldToEventLoop, burstMs: 5 },
  );
  runners.push(runner);
  const qmp = new WorkerQmp(control);
  runner.observe(qmp);
  runner.start();
  const load = (source: { document: BoardDocument; images: ReadonlyMap<string, Uint8Array> }) => {
    const result = parseBoard(JSON.stringify(source.document));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const loaded = runner.load(result.board, source.images);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    qmp.attach({ machine: built!, board: result.board, document: source.document });
    return built!;
  };
  return { control, runner, qmp, load, state: () => readControl(control) };
}

/** A console session: everything it received, as parsed QMP messages and notes. */
function openConsole(qmp: WorkerQmp) {
  const messages: Message[] = [];
  const notes: QmpConsoleOutput[] = [];
  const id = qmp.open((batch) => {
    for (const item of batch) {
      if (item.kind === 'qmp') messages.push(JSON.parse(item.text) as Message);
      else notes.push(item);
    }
  });
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    id,
    messages,
    notes,
    events: (name?: string) => messages.filter((m) => m.event !== undefined && (name === undefined || m.event === name)),
    /** Sends one request; returns its reply. */
    async execute(command: string, args?: Record<string, unknown>): Promise<Message> {
      const before = messages.length;
      await qmp.feed(id, `${JSON.stringify(args === undefined ? { execute: command } : { execute: command, arguments: args })}\n`);
      await flush();
      const reply = messages.slice(before).find((m) => 'return' in m || 'error' in m);
      if (reply === undefined) throw new Error(`no reply to ${command}`);
      return reply;
    },
    async feedRaw(text: string): Promise<Message[]> {
      const before = messages.length;
      await qmp.feed(id, text);
      await flush();
      return messages.slice(before);
    },
    flush,
  };
}

async function negotiated(qmp: WorkerQmp) {
  const console = openConsole(qmp);
  await console.flush();
  expect(console.messages[0]).toHaveProperty('QMP');
  expect(await console.execute('qmp_capabilities')).toEqual({ return: {} });
  return console;
}

const desired = (control: Int32Array) => Atomics.load(control, Word.DESIRED);

describe('WorkerQmp: a QMP session on the running machine', () => {
  it('answers on the real objects: query-status, qom-get, qom-list, query-cpus-fast', async () => {
    const t = setup();
    const machine = t.load(SPIN);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.RUNNING && t.state().instructions > 0, 'running');
    const console = await negotiated(t.qmp);
    expect(await console.execute('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
    expect(await console.execute('qom-get', { path: '/machine/ram', property: 'size' })).toEqual({ return: 1 << 20 });
    expect(await console.execute('qom-get', { path: '/machine/uart0', property: 'realized' })).toEqual({ return: true });
    const children = (await console.execute('qom-list', { path: '/machine' })).return as Array<{ name: string; type: string }>;
    expect(children.map((c) => c.name)).toEqual(expect.arrayContaining(['cpu0', 'ram', 'uart0', 'test']));
    expect(await console.execute('query-cpus-fast')).toEqual({
      return: [{ 'cpu-index': 0, 'qom-path': '/machine/cpu0', 'thread-id': 0, props: { 'core-id': machine.cpu('/machine/cpu0')!.coreId }, target: 'riscv32' }],
    });
  });

  it('QMP stop pauses the run loop through the control words; cont resumes it', async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.RUNNING, 'running');
    const console = await negotiated(t.qmp);

    expect(await console.execute('stop')).toEqual({ return: {} });
    expect(desired(t.control)).toBe(Desired.PAUSE);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'the page sees paused');
    const frozen = t.state().instructions;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.state().instructions).toBe(frozen);
    expect(console.events().map((e) => e.event)).toEqual(['STOP']);
    expect(await console.execute('query-status')).toEqual({ return: { status: 'paused', singlestep: false, running: false } });

    expect(await console.execute('cont')).toEqual({ return: {} });
    expect(desired(t.control)).toBe(Desired.RUN);
    await until(() => t.state().instructions > frozen, 'running again');
    expect(console.events().map((e) => e.event)).toEqual(['STOP', 'RESUME']);
    expect(await console.execute('query-status')).toEqual({ return: { status: 'running', singlestep: false, running: true } });
  });

  it("the page's Pause and Run show up as STOP and RESUME events and in query-status", async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    await until(() => t.state().state === WorkerRunState.RUNNING, 'running');

    requestPause(t.control);
    await until(() => console.events('STOP').length === 1, 'STOP event without any request');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'paused', running: false } });

    requestRun(t.control);
    await until(() => console.events('RESUME').length === 1, 'RESUME event');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'running', running: true } });
    // No echo: each transition was reported once.
    expect(console.events().map((e) => e.event)).toEqual(['STOP', 'RESUME']);
  });

  it('system_reset goes through the run loop (a new serial session), with one RESET event; the page\'s Reset is RESET host-ui', async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    await until(() => t.state().instructions > 100_000, 'some instructions');
    const session = t.state().session;

    expect(await console.execute('system_reset')).toEqual({ return: {} });
    await until(() => t.state().session > session, 'the loop started a new session');
    expect(t.state().state).not.toBe(WorkerRunState.PAUSED);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(console.events()).toEqual([{ event: 'RESET', data: { guest: false, reason: 'host-qmp-system-reset' }, timestamp: expect.any(Object) }]);
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'running' } });

    const next = t.state().session;
    requestReset(t.control);
    await until(() => console.events('RESET').length === 2, 'RESET for the page\'s Reset');
    expect(t.state().session).toBeGreaterThan(next);
    expect(console.events('RESET')[1].data).toEqual({ guest: false, reason: 'host-ui' });
  });

  it('system_reset of a paused machine leaves it paused, in prelaunch, as QEMU does', async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    await until(() => t.state().instructions > 10_000, 'some instructions');
    await console.execute('stop');
    await until(() => t.state().state === WorkerRunState.PAUSED, 'paused');
    const session = t.state().session;
    await console.execute('system_reset');
    await until(() => t.state().session > session && t.state().instructions === 0, 'reset by the loop');
    expect(desired(t.control)).toBe(Desired.PAUSE);
    expect(t.state().state).toBe(WorkerRunState.PAUSED);
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'prelaunch', running: false } });
    await console.execute('cont');
    await until(() => t.state().instructions > 0, 'runs after cont');
  });

  it('a guest that halts the board is SHUTDOWN (guest-shutdown); cont then needs a reset', async () => {
    const t = setup();
    // Opened before the first load: a note says so, and the greeting comes with the board.
    const console = openConsole(t.qmp);
    await console.flush();
    expect(console.messages).toEqual([]);
    expect(console.notes).toEqual([{ kind: 'note', text: 'no machine yet: the greeting comes when a board is loaded' }]);
    t.load(HELLO);
    await console.flush();
    expect(console.messages[0]).toHaveProperty('QMP');
    expect(await console.execute('qmp_capabilities')).toEqual({ return: {} });
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.HALTED_PASS, 'halted: pass');
    await until(() => console.events('SHUTDOWN').length === 1, 'SHUTDOWN');
    expect(console.events('SHUTDOWN')[0].data).toEqual({ guest: true, reason: 'guest-shutdown' });
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'shutdown', running: false } });
    expect(await console.execute('cont')).toEqual({ error: { class: 'GenericError', desc: 'Resetting the Virtual Machine is required' } });
    const session = t.state().session;
    await console.execute('system_reset');
    // Not running before the reset: prelaunch, paused, until cont.
    await until(() => t.state().session > session && t.state().state === WorkerRunState.PAUSED, 'reset, paused');
    await console.execute('cont');
    await until(() => console.events('SHUTDOWN').length === 2, 'the guest ran to its end again');
  });

  it('malformed JSON gets QEMU\'s error reply and the machine keeps running', async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    const replies = await console.feedRaw('{"execute": query-status}\n');
    expect(replies[0]).toMatchObject({ error: { class: 'GenericError' } });
    expect(replies[0].error!.desc).toMatch(/^JSON parse error/);
    expect(await console.execute('no-such-command')).toEqual({ error: { class: 'CommandNotFound', desc: 'The command no-such-command has not been found' } });
    const count = t.state().instructions;
    await until(() => t.state().instructions > count, 'still running');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'running' } });
  });

  it('quit stops the machine, reports SHUTDOWN and ends the session; a new session finds it in prelaunch', async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    expect(await console.execute('quit')).toEqual({ return: {} });
    expect(console.events('SHUTDOWN')[0].data).toEqual({ guest: false, reason: 'host-qmp-quit' });
    expect(desired(t.control)).toBe(Desired.PAUSE);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'paused');
    await console.flush();
    expect(console.notes.at(-1)).toMatchObject({ kind: 'closed' });
    expect(await console.feedRaw('{"execute": "query-status"}\n')).toEqual([]); // the session is gone

    const next = await negotiated(t.qmp);
    expect(await next.execute('query-status')).toMatchObject({ return: { status: 'prelaunch' } });
    requestRun(t.control); // the page's Run starts it again
    await until(() => next.events('RESUME').length === 1, 'RESUME');
    expect(await next.execute('query-status')).toMatchObject({ return: { status: 'running' } });
  });

  it('a session goes on with the next board the page loads', async () => {
    const t = setup();
    t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    expect(await console.execute('qom-get', { path: '/machine', property: 'type' })).toEqual({ return: 'board-machine' });
    const other = { ...HELLO, document: { ...HELLO.document, objects: { ...HELLO.document.objects, ram: { type: 'ram', props: { size: '2M' } } } } as BoardDocument };
    t.load(other);
    await console.flush();
    expect(console.notes.at(-1)).toEqual({ kind: 'note', text: 'board hello-test loaded: this session now works on its machine' });
    expect(await console.execute('qom-get', { path: '/machine/ram', property: 'size' })).toEqual({ return: 2 << 20 });
    // Events now come from the new machine's controller.
    await until(() => console.events('SHUTDOWN').length === 1, 'the new guest halts: SHUTDOWN');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'shutdown' } });
  });

  it('a breakpoint stop is QEMU\'s debug state (STOP); the page\'s Run resumes from it', async () => {
    const t = setup();
    t.load(SPIN);
    const console = await negotiated(t.qmp);
    t.runner.debug.setBreakpoint(0x8000_0004, true); // the loop's jump
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'the breakpoint stop');
    await console.flush();
    expect(await console.execute('query-status')).toEqual({ return: { status: 'debug', singlestep: false, running: false } });
    expect(console.events().map((e) => e.event)).toEqual(['RESUME', 'STOP']);
    t.runner.debug.setBreakpoint(0x8000_0004, false);
    requestRun(t.control);
    await until(() => console.events('RESUME').length === 2, 'RESUME from debug');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'running' } });
  });

  it('a hart caught in a trap loop pauses the guest in QEMU\'s debug state (STOP)', async () => {
    const t = setup();
    // A load where nothing is mapped, with mtvec 0 where nothing is mapped either: a trap loop.
    const p = new Program(0x8000_0000);
    p.i(lui(Reg.t1, 0x4000_0000), lw(Reg.t2, Reg.t1, 0));
    t.load({ document: boardDocument('trap-loop', { file: 'loop.bin', format: 'binary', at: '0x80000000' }), images: new Map([['loop.bin', p.bytes()]]) });
    const console = await negotiated(t.qmp);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.FAULTED, 'the fault stop');
    await console.flush();
    expect(await console.execute('query-status')).toEqual({ return: { status: 'debug', singlestep: false, running: false } });
    expect(console.events().map((e) => e.event)).toEqual(['RESUME', 'STOP']);
  });

  it('an engine failure is internal-error (STOP): cont is refused until a reset', async () => {
    const t = setup();
    const machine = t.load(SPIN);
    requestRun(t.control);
    const console = await negotiated(t.qmp);
    await until(() => t.state().state === WorkerRunState.RUNNING, 'running');
    const run = machine.run.bind(machine);
    machine.run = () => {
      throw new Error('an engine bug');
    };
    await until(() => t.state().state === WorkerRunState.CRASHED, 'CRASHED');
    await console.flush();
    expect(console.events().map((e) => e.event)).toEqual(['STOP']);
    expect(await console.execute('query-status')).toEqual({ return: { status: 'internal-error', singlestep: false, running: false } });
    expect(await console.execute('cont')).toEqual({ error: { class: 'GenericError', desc: 'Resetting the Virtual Machine is required' } });
    machine.run = run;
    requestReset(t.control); // the page's Reset: the machine was stopped, so it stays stopped (prelaunch), as in QEMU
    await until(() => t.state().state === WorkerRunState.PAUSED, 'reset and paused');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'prelaunch' } });
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.RUNNING, 'running after Run');
    expect(await console.execute('query-status')).toMatchObject({ return: { status: 'running' } });
  });
});
