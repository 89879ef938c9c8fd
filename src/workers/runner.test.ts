import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Machine } from '../engine/index.ts';
import { parseBoard, qemuArgsToBoard, resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { ButtonSender, createBoardIo, IoWord, LedReader, TerminalInput } from './board-io';
import { createControl, readControl, requestPacing, requestPause, requestReset, requestRun, requestStep, WorkerRunState } from './control';
import { pageMachineOptions, Runner, type MachineBuilder, type RunnableMachine } from './runner';
import { createSerialRingBuffer, SerialRing } from './serial-ring';
import { ECHO_PROMPT, echoBoard, echoProgram, FB_BOTTOM, FB_HEIGHT, FB_TOP, FB_WIDTH, framebufferBoard, framebufferProgram, ledButtonBoard, ledButtonProgram } from './test-programs';
import { until, yieldToEventLoop } from './run-loop-testing.ts';
import { SerialDrain } from '../ui/serial-drain.ts';

const boardText = (images: { cpu: string; file: string }[] = []) =>
  JSON.stringify({
    boardlab: 1,
    name: 'runner-test',
    objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '1M' } }, uart0: { type: 'ns16550a' }, test: { type: 'sifive-test' } },
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    images,
  });

function resolved(text = boardText()): ResolvedBoard {
  const result = parseBoard(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

/** A stand-in machine: retires instructions, prints "<n>\n" every `printEvery`, halts at `haltAt`. */
class FakeMachine implements RunnableMachine {
  instructions = 0;
  exit: { kind: 'pass' | 'fail'; code: number } | null = null;
  resets = 0;
  printed = 0;
  constructor(
    private readonly out: (byte: number) => void,
    private readonly options: { printEvery?: number; haltAt?: number; exitCode?: number; throwAt?: number; idle?: boolean } = {},
  ) {}
  get halted(): boolean {
    return this.exit !== null;
  }
  run(budget: number): number {
    if (this.halted || this.options.idle) return 0;
    let ran = 0;
    while (ran < budget) {
      ran++;
      this.instructions++;
      if (this.options.throwAt !== undefined && this.instructions === this.options.throwAt) throw new Error('engine bug\n    at run (cpu.ts:1:1)');
      if (this.options.printEvery && this.instructions % this.options.printEvery === 0) {
        for (const byte of new TextEncoder().encode(`${++this.printed}\n`)) this.out(byte);
      }
      if (this.options.haltAt !== undefined && this.instructions >= this.options.haltAt) {
        const code = this.options.exitCode ?? 0;
        this.exit = code === 0 ? { kind: 'pass', code } : { kind: 'fail', code };
        break;
      }
    }
    return ran;
  }
  reset(): void {
    this.resets++;
    this.instructions = 0;
    this.printed = 0;
    this.exit = null;
  }
}

/** Counts run() calls: an idle machine that is asked to run again and again means a spinning worker. */
class CountingIdleMachine extends FakeMachine {
  runCalls = 0;
  override run(budget: number): number {
    this.runCalls++;
    return super.run(budget);
  }
  get idle(): boolean {
    return true;
  }
}

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

function setup(machineOptions: ConstructorParameters<typeof FakeMachine>[1] = {}, ringCapacity = 1 << 16) {
  const control = createControl();
  const ringBuffer = createSerialRingBuffer(ringCapacity);
  const ring = new SerialRing(ringBuffer);
  const machines: FakeMachine[] = [];
  const build: MachineBuilder = (_board, _images, onSerialOutput) => {
    const machine = new FakeMachine((byte) => onSerialOutput('/machine/uart0', byte), machineOptions);
    machines.push(machine);
    return machine;
  };
  const runner = new Runner(control, ringBuffer, build, { burstMs: 5, sliceTargetMs: 1, minSlice: 100, ipsWindowMs: 20, yieldToEventLoop });
  runners.push(runner);
  runner.start();
  const text = () => new TextDecoder().decode(ring.read());
  return { control, ring, runner, machines, text, state: () => readControl(control) };
}

describe('Runner', () => {
  it('reports EMPTY until a machine is loaded', async () => {
    const t = setup();
    await until(() => t.state().state === WorkerRunState.EMPTY, 'EMPTY');
    requestRun(t.control);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.state().state).toBe(WorkerRunState.EMPTY);
  });

  it('loads paused, runs on request, and publishes instructions, IPS and output', async () => {
    const t = setup({ printEvery: 1000 });
    expect(t.runner.load(resolved(), new Map()).ok).toBe(true);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    expect(t.state().instructions).toBe(0);
    requestRun(t.control);
    await until(() => t.state().instructions > 50_000, 'instructions');
    await until(() => t.state().ips > 0, 'IPS');
    expect(t.state().state).toBe(WorkerRunState.RUNNING);
    expect(t.text()).toMatch(/^1\n2\n3\n/);
  });

  it('Pause freezes the count; Run resumes it', async () => {
    const t = setup();
    t.runner.load(resolved(), new Map());
    requestRun(t.control);
    await until(() => t.state().instructions > 10_000, 'running');
    requestPause(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    const frozen = t.state().instructions;
    expect(frozen).toBe(t.machines[0].instructions);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.state().instructions).toBe(frozen);
    expect(t.state().ips).toBe(0);
    requestRun(t.control);
    await until(() => t.state().instructions > frozen, 'resumed');
  });

  it('Reset restarts the machine and the serial session; paused stays paused', async () => {
    const t = setup({ printEvery: 100 });
    t.runner.load(resolved(), new Map());
    const loadSession = t.state().session;
    requestRun(t.control);
    await until(() => t.state().instructions > 10_000, 'running');
    requestPause(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    requestReset(t.control);
    await until(() => t.state().session === loadSession + 1, 'new session');
    expect(t.machines[0].resets).toBe(1);
    expect(t.state().instructions).toBe(0);
    expect(t.state().sessionStart).toBe(t.ring.head());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.state().state).toBe(WorkerRunState.PAUSED);
  });

  it('reports halted: pass and halted: fail with the code', async () => {
    const pass = setup({ haltAt: 5_000 });
    pass.runner.load(resolved(), new Map());
    requestRun(pass.control);
    await until(() => pass.state().state === WorkerRunState.HALTED_PASS, 'pass');
    expect(pass.state().instructions).toBe(5_000);

    const fail = setup({ haltAt: 5_000, exitCode: 3 });
    fail.runner.load(resolved(), new Map());
    requestRun(fail.control);
    await until(() => fail.state().state === WorkerRunState.HALTED_FAIL, 'fail');
    expect(fail.state().exitCode).toBe(3);
    // Reset after a halt runs the firmware again (the run level is still RUN)
    requestReset(fail.control);
    await until(() => fail.machines[0].resets === 1, 'reset');
    await until(() => fail.state().state === WorkerRunState.HALTED_FAIL, 'fail again');
  });

  it('a failed load leaves the running machine alone', async () => {
    const t = setup();
    t.runner.load(resolved(), new Map());
    requestRun(t.control);
    await until(() => t.state().instructions > 1_000, 'running');
    const failing = new Runner(createControl(), createSerialRingBuffer(64), () => {
      throw Object.assign(new Error('image firmware/x.elf: not an ELF file'), { name: 'MachineError', path: '/machine/cpu0' });
    });
    const board = resolved(boardText([{ cpu: 'cpu0', file: 'firmware/x.elf' }]));
    const result = failing.load(board, new Map());
    expect(result).toEqual({
      ok: false,
      problems: [{ pointer: '/images/0/file', message: 'image firmware/x.elf: not an ELF file', hint: expect.stringMatching(/ELF/) }],
    });
    // and on the same runner: the old machine keeps running
    const sessions = t.state().session;
    const broken = new Runner(t.control, t.ring.buffer as SharedArrayBuffer, () => {
      throw new Error('nope');
    });
    expect(broken.load(board, new Map()).ok).toBe(false);
    expect(t.state().session).toBe(sessions);
    const before = t.state().instructions;
    await until(() => t.state().instructions > before, 'still running');
  });

  it('a successful load tears the previous machine down', async () => {
    const t = setup();
    t.runner.load(resolved(), new Map());
    const destroyed: number[] = [];
    Object.assign(t.machines[0], { destroy: () => destroyed.push(0) });
    t.runner.load(resolved(), new Map());
    expect(destroyed).toEqual([0]);
    expect(t.machines).toHaveLength(2);
  });

  it('holds the guest back when the terminal does not keep up, and loses no byte', async () => {
    const t = setup({ printEvery: 10 }, 64);
    t.runner.load(resolved(), new Map());
    requestRun(t.control);
    await until(() => t.ring.used() === 64, 'ring full');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stalled = t.state().instructions;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.state().instructions).toBe(stalled); // waiting for the UI, not running
    let received = '';
    await until(() => {
      received += t.text();
      return received.split('\n').length > 3_000;
    }, 'output flowing again', 15_000);
    const lines = received.split('\n').slice(0, -1);
    lines.forEach((line, index) => expect(line).toBe(String(index + 1)));
  });

  it('an exception in the engine becomes CRASHED with a one-line reason; Reset recovers', async () => {
    const options: { throwAt?: number; haltAt: number } = { throwAt: 2_000, haltAt: 10_000 };
    const t = setup(options);
    t.runner.load(resolved(), new Map());
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.CRASHED, 'CRASHED');
    expect(t.runner.lastError()).toBe('internal error: engine bug');
    delete options.throwAt;
    requestReset(t.control);
    await until(() => t.state().state === WorkerRunState.HALTED_PASS, 'recovered and ran to the end');
    expect(t.runner.lastError()).toBeNull();
  });

  it('an idle machine (every CPU waiting for an interrupt) sleeps on the doorbell: no run() calls until the UI rings', async () => {
    const control = createControl();
    const machine = new CountingIdleMachine(() => undefined, { idle: true });
    const io = createBoardIo();
    const runner = new Runner(control, createSerialRingBuffer(64), () => machine, { yieldToEventLoop }, io);
    runners.push(runner);
    runner.start();
    runner.load(resolved(), new Map());
    requestRun(control);
    await until(() => readControl(control).state === WorkerRunState.IDLE, 'IDLE');
    const calls = machine.runCalls;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(machine.runCalls).toBe(calls); // asleep in Atomics.waitAsync, not polling
    expect(readControl(control).ips).toBe(0);
    // typed input rings the doorbell: the worker wakes and tries the guest again
    new TerminalInput(io.input, control).send(new TextEncoder().encode('x'));
    await until(() => machine.runCalls > calls, 'woken by input');
    await until(() => readControl(control).state === WorkerRunState.IDLE, 'IDLE again');
    const after = machine.runCalls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(machine.runCalls).toBe(after);
  });

  it('runs the real hello firmware to its greeting on the real engine', async () => {
    const control = createControl();
    const ringBuffer = createSerialRingBuffer();
    const runner = new Runner(control, ringBuffer, (board, images, onSerialOutput) =>
      Machine.build(board, images, { sharesGuestMemory: true, onSerialOutput }),
      { yieldToEventLoop },
    );
    runners.push(runner);
    runner.start();
    const elf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));
    const result = runner.load(resolved(boardText([{ cpu: 'cpu0', file: 'firmware/hello.elf' }])), new Map([['firmware/hello.elf', elf]]));
    expect(result.ok).toBe(true);
    requestRun(control);
    await until(() => readControl(control).state === WorkerRunState.HALTED_PASS, 'halted: pass');
    expect(new TextDecoder().decode(new SerialRing(ringBuffer).read())).toContain('Hello, BoardLab!');
  });

  it('shows a CPU\'s semihosting console in the page\'s terminal: stdout and stderr alike, in the order printed (pageMachineOptions)', () => {
    const file = 'public/firmware/arm/semihost-hello.elf';
    const converted = qemuArgsToBoard(['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native', '-kernel', file], 'test');
    if (!converted.ok) throw new Error(JSON.stringify(converted.problems));
    const result = resolveBoard(converted.document);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const elf = new Uint8Array(readFileSync(new URL(`../../${file}`, import.meta.url)));
    const terminal: number[] = [];
    const machine = Machine.build(result.board, new Map([[file, elf]]), pageMachineOptions((_path, byte) => terminal.push(byte)));
    for (let i = 0; i < 100 && !machine.halted; i++) machine.run(100_000);
    expect(machine.exit).toEqual({ kind: 'fail', code: 5 });
    // firmware/arm/semihost-hello/semihost-hello.c: SYS_WRITE0, SYS_WRITEC (stderr), SYS_WRITE to ":tt" (stdout), then SYS_WRITE0 again
    expect(Buffer.from(terminal).toString('latin1')).toBe(
      'semihost-hello: SYS_WRITE0\nsemihost-hello: SYS_WRITEC\nsemihost-hello: SYS_WRITE to :tt\n' +
        'SYS_OPEN gave a handle\nSYS_WRITE wrote everything\nSYS_CLOCK answered\nSYS_HEAPINFO heap 0x21000000-0x22000000 stack 0x22000000-0x21000000\nsemihost-hello: exit status 5\n',
    );
  });

  describe('with board I/O on the real engine', () => {
    function realSetup(board: Record<string, unknown>, file: string, image: Uint8Array) {
      const control = createControl();
      const ringBuffer = createSerialRingBuffer();
      const io = createBoardIo();
      const runner = new Runner(
        control,
        ringBuffer,
        (b, images, onSerialOutput) => Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput }),
        { yieldToEventLoop, burstMs: 5 },
        io,
      );
      runners.push(runner);
      runner.start();
      const result = runner.load(resolved(JSON.stringify(board)), new Map([[file, image]]));
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const serial = new SerialRing(ringBuffer);
      let output = '';
      const decoder = new TextDecoder();
      const text = () => (output += decoder.decode(serial.read(), { stream: true }));
      return { control, io, runner, result, text, state: () => readControl(control) };
    }

    it('typed input wakes a guest sleeping in WFI, is echoed in order, and "q" ends the run', async () => {
      const t = realSetup(echoBoard('echo.bin'), 'echo.bin', echoProgram(0x8000_0000));
      expect(t.result.devices.uart).toBe('/machine/uart0');
      requestRun(t.control);
      await until(() => t.text().includes(ECHO_PROMPT) && t.state().state === WorkerRunState.IDLE, 'prompt, then idle');
      const asleep = t.state().instructions;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(t.state().instructions).toBe(asleep);

      const input = new TerminalInput(t.io.input, t.control);
      input.send(new TextEncoder().encode('hello\r'));
      await until(() => t.text().endsWith('hello\r'), 'echo');
      await until(() => t.state().state === WorkerRunState.IDLE, 'idle again');

      // A paste far longer than the UART's 16-byte FIFO arrives whole and in order.
      const paste = Array.from({ length: 600 }, (_, i) => String.fromCharCode(65 + (i % 26))).join(''); // no "q" in it
      input.send(new TextEncoder().encode(paste));
      await until(() => t.text().endsWith(paste), 'the whole paste echoed', 10_000);
      expect(t.text()).toBe(`${ECHO_PROMPT}hello\r${paste}`);

      input.send(new TextEncoder().encode('q'));
      await until(() => t.state().state === WorkerRunState.HALTED_PASS, 'halted: pass');
      expect(t.text()).toMatch(/q\r\nbye\r\n$/);
    }, 20_000);

    it('input typed before a reset is dropped with the old session', async () => {
      const t = realSetup(echoBoard('echo.bin'), 'echo.bin', echoProgram(0x8000_0000));
      const input = new TerminalInput(t.io.input, t.control);
      input.send(new TextEncoder().encode('stale'));
      const session = t.state().session;
      requestReset(t.control);
      await until(() => t.state().session > session, 'new session');
      requestRun(t.control);
      await until(() => t.state().state === WorkerRunState.IDLE, 'idle');
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(t.text()).toBe(ECHO_PROMPT);
    });

    it('LEDs report through the shared words and a pressed button reaches the guest', async () => {
      const t = realSetup(ledButtonBoard('leds.bin'), 'leds.bin', ledButtonProgram(0));
      const { leds, buttons } = t.result.devices;
      expect(leds).toEqual([
        { path: '/machine/led0', index: 0, color: 'green' },
        { path: '/machine/led1', index: 1, color: 'red' },
      ]);
      expect(buttons).toEqual([{ path: '/machine/button0', index: 0, activeLow: false }]);
      const reader = new LedReader(t.io.words);
      let shown: boolean[] = [false, false];
      const look = () => {
        shown = reader.sample(2) ?? shown;
        return shown;
      };
      requestRun(t.control);
      await until(() => look()[0] && !look()[1], 'led0 on, led1 off');
      const sender = new ButtonSender(t.io.buttons, t.control);
      sender.press(0);
      await until(() => look()[1], 'led1 follows the button down');
      sender.release(0);
      await until(() => !look()[1], 'led1 follows the button up');
      expect(look()[0]).toBe(true);
    });

    it('load reports life-cycle states and events; framebuffer pixels are shared memory', async () => {
      const t = realSetup(framebufferBoard('fb.bin'), 'fb.bin', framebufferProgram(0x8000_0000));
      const states = t.result.info.states;
      expect(Object.keys(states)).toEqual(expect.arrayContaining(['/machine/cpu0', '/machine/ram', '/machine/fb']));
      for (const state of Object.values(states)) expect(typeof state).toBe('string');
      expect(Array.isArray(t.result.info.events)).toBe(true);
      expect(t.runner.info()).toEqual(t.result.info);

      const [fb] = t.result.devices.framebuffers;
      expect(fb).toMatchObject({ path: '/machine/fb', width: FB_WIDTH, height: FB_HEIGHT, format: 'xrgb8888', stride: FB_WIDTH * 4 });
      expect(fb.buffer).toBeInstanceOf(SharedArrayBuffer);
      requestRun(t.control);
      await until(() => t.state().state === WorkerRunState.IDLE, 'drawn, then idle');
      expect(fb.byteOffset % 0x1_0000).toBe(0); // a block of the guest arena, on a wasm page
      const pixels = new Uint32Array(fb.buffer!, fb.byteOffset, FB_WIDTH * FB_HEIGHT);
      expect(pixels[0]).toBe(FB_TOP);
      expect(pixels[FB_WIDTH * FB_HEIGHT - 1]).toBe(FB_BOTTOM);
    });
  });
});

describe('Runner: Step and real-time pacing', () => {
  it('Step pauses the guest and runs exactly one instruction per request', async () => {
    const t = setup();
    t.runner.load(resolved(), new Map());
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    requestStep(t.control);
    await until(() => t.state().instructions === 1, 'one step');
    requestStep(t.control);
    requestStep(t.control);
    await until(() => t.state().instructions === 3, 'two more steps');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.state().instructions).toBe(3);
    expect(t.state().state).toBe(WorkerRunState.PAUSED);
  });

  it('with pacing on, the run loop passes the wall-clock elapsed virtual time as the limit', async () => {
    const limits: number[] = [];
    const control = createControl();
    const ringBuffer = createSerialRingBuffer(1 << 12);
    let virtual = 0;
    const machine: RunnableMachine = {
      instructions: 0,
      exit: null,
      halted: false,
      clock: { now: () => virtual, nextDeadline: () => Infinity },
      run(budget: number, timeLimit = Infinity) {
        limits.push(timeLimit);
        if (virtual >= timeLimit) return 0;
        virtual = Math.min(timeLimit, virtual + budget);
        return 1;
      },
      reset() {},
    };
    const runner = new Runner(control, ringBuffer, () => machine, { burstMs: 5, sliceTargetMs: 1, minSlice: 100, yieldToEventLoop });
    runners.push(runner);
    runner.start();
    runner.load(resolved(), new Map());
    requestPacing(control, true);
    requestRun(control);
    const started = Date.now();
    await until(() => Date.now() - started > 60, 'wall time');
    const finite = limits.filter(Number.isFinite);
    expect(finite.length).toBeGreaterThan(0);
    const highest = finite.reduce((a, b) => Math.max(a, b), 0);
    // the limit never runs ahead of the wall clock (ns), and it grows with it
    expect(highest).toBeLessThanOrEqual((Date.now() - started + 20) * 1e6);
    expect(highest).toBeGreaterThan(10 * 1e6);
    requestPacing(control, false);
    limits.length = 0;
    await until(() => limits.some((l) => l === Infinity), 'unpaced run');
  });
});

describe('Runner: a guest that goes wrong', () => {
  /** The real engine, holding harts without firmware as the page's worker does. */
  function faultSetup(images: Array<Record<string, unknown>>, files: Map<string, Uint8Array>, text = boardText(images as { cpu: string; file: string }[])) {
    const control = createControl();
    const ringBuffer = createSerialRingBuffer();
    const io = createBoardIo();
    let built: Machine | null = null;
    const runner = new Runner(
      control,
      ringBuffer,
      (b, images, onSerialOutput) => (built = Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput, holdHartsWithoutFirmware: true })),
      { yieldToEventLoop, burstMs: 5 },
      io,
    );
    runners.push(runner);
    runner.start();
    const result = runner.load(resolved(text), files);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return { control, runner, result, io, machine: () => built!, state: () => readControl(control) };
  }

  /** hello.elf on a board whose UART is at 0x10001000: its first UART access faults, and mtvec (0) leads nowhere. */
  const movedUartText = JSON.stringify({
    ...JSON.parse(boardText([{ cpu: 'cpu0', file: 'firmware/hello.elf' }])),
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10001000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
  });
  const hello = () => new Map([['firmware/hello.elf', new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)))]]);

  it('pauses a guest caught in a trap loop (FAULTED), says which hart and why, and Run lets it go on until it is caught again', async () => {
    const t = faultSetup([{ cpu: 'cpu0', file: 'firmware/hello.elf' }], hello(), movedUartText);
    const infoSeq = Atomics.load(new Int32Array(t.io.words), IoWord.INFO_SEQ);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.FAULTED, 'paused at the fault loop');
    expect(t.state().desired).toBe(0); // the Run/Pause button follows: PAUSE
    expect(Atomics.load(new Int32Array(t.io.words), IoWord.INFO_SEQ)).not.toBe(infoSeq); // the UI is told to fetch the info
    const info = t.runner.info()!;
    expect(info.harts).toEqual([expect.objectContaining({ path: '/machine/cpu0', status: 'faulting', firmware: 'firmware/hello.elf' })]);
    expect(info.faults.map((f) => f.kind)).toEqual(['unmapped-access', 'trap-loop']);
    expect(info.faults[0].hint).toContain('uart0 is at 0x10001000');
    expect(info.events.some((e) => e.includes('load access fault at 0x10000005'))).toBe(true);

    const caughtBefore = t.machine().events.filter((e) => e.includes('trap loop')).length;
    requestRun(t.control);
    await until(() => t.machine().events.filter((e) => e.includes('trap loop')).length > caughtBefore, 'caught again');
    await until(() => t.state().state === WorkerRunState.FAULTED && t.state().desired === 0, 'paused again');
  });

  it('a Run that arrives before the loop has read its own pause (the page runs every board it loads) still counts as a Run from the pause', async () => {
    const t = faultSetup([{ cpu: 'cpu0', file: 'firmware/hello.elf' }], hello(), movedUartText);
    const caught = () => t.machine().events.filter((e) => e.includes('trap loop')).length;
    // Ask for Run right when the loop reports its fault stop, before its next turn reads the words.
    t.runner.observe({ requestsTaken: () => undefined, ran: () => undefined, stoppedAtFault: () => requestRun(t.control) });
    requestRun(t.control);
    await until(() => caught() >= 3, 'caught again after each Run, never left running in the loop');
    t.runner.observe(null);
    await until(() => t.state().state === WorkerRunState.FAULTED, 'paused at the fault loop');
  });

  it('on a board with a RISC-V hart and a Cortex-M3, the hart caught in a trap loop does not pause the board: the M3 runs on and the hart shows as faulting', async () => {
    // The gallery's amp board with the M3 not held in reset; the hart jumps to 0, where nothing is
    // mapped in its view, and mtvec (0) leads back there with interrupts masked: a trap loop for good.
    const board = JSON.parse(readFileSync(new URL('../../examples/amp.board.json', import.meta.url), 'utf8')) as { objects: Record<string, { props?: Record<string, unknown> }>; images: unknown[] };
    board.objects.rstctl.props = { ...board.objects.rstctl.props, 'hold-at-reset': 0 };
    board.images = [
      { cpu: 'hart', file: 'jump-to-0.bin', format: 'binary', at: '0x80000000' },
      { cpu: 'm3', file: 'firmware/amp/arm/m3.elf' },
    ];
    const jalrToZero = new Uint8Array(new Uint32Array([0x0000_0067]).buffer); // jalr x0, 0(x0)
    const m3Elf = new Uint8Array(readFileSync(new URL('../../public/firmware/amp/arm/m3.elf', import.meta.url)));
    const t = faultSetup([], new Map([['jump-to-0.bin', jalrToZero], ['firmware/amp/arm/m3.elf', m3Elf]]), JSON.stringify(board));
    requestRun(t.control);
    await until(() => t.runner.info()?.harts.some((h) => h.path === '/machine/hart' && h.status === 'faulting') === true, 'the hart caught in its trap loop');
    await until(() => t.runner.info()?.harts.some((h) => h.path === '/machine/m3' && h.status === 'waiting-for-interrupt') === true, 'the M3 up and waiting for work');
    const m3 = t.machine().cpu('/machine/m3')!;
    expect(m3.instret).toBeGreaterThan(100);
    expect(t.runner.info()!.faults.map((f) => [f.cpu, f.kind])).toContainEqual(['/machine/hart', 'trap-loop']);
    // not paused at the fault: the Run/Pause button stays on Run
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.state().state).not.toBe(WorkerRunState.FAULTED);
    expect(t.state().desired).not.toBe(0);
  });

  it('a board whose only CPU has no firmware says NO_FIRMWARE, running or paused, and runs nothing', async () => {
    const t = faultSetup([], new Map());
    expect(t.result.info.harts).toEqual([{ path: '/machine/cpu0', status: 'held', pc: 0x8000_0000, firmware: null, fault: null }]);
    await until(() => t.state().state === WorkerRunState.NO_FIRMWARE, 'no firmware (paused)');
    requestRun(t.control);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.state().state).toBe(WorkerRunState.NO_FIRMWARE);
    expect(t.state().instructions).toBe(0);
    expect(t.machine().guestFaults).toEqual([]);
  });
});

/**
 * Two CPUs, each with its UART: every instruction of "hart" prints "h" on uart0 and every one of
 * "m3" prints "m" on m3uart. Step of one CPU goes through stepCpu; typed bytes land in `received`.
 */
class TwoUartMachine implements RunnableMachine {
  instructions = 0;
  exit = null;
  halted = false;
  readonly cpuPaths = ['/machine/hart', '/machine/m3'];
  readonly serialPaths = ['/machine/uart0', '/machine/m3uart'];
  readonly received = new Map<string, number[]>(this.serialPaths.map((p) => [p, []]));
  readonly stepped: string[] = [];
  constructor(private readonly out: (path: string, byte: number) => void) {}
  run(budget: number): number {
    for (let i = 0; i < budget; i++) {
      this.instructions++;
      if (this.instructions % 2 === 1) this.out('/machine/uart0', 0x68);
      else this.out('/machine/m3uart', 0x6d);
    }
    return budget;
  }
  stepCpu(path: string): number {
    this.stepped.push(path);
    this.instructions++;
    this.out(path === '/machine/m3' ? '/machine/m3uart' : '/machine/uart0', path === '/machine/m3' ? 0x4d : 0x48);
    return 1;
  }
  serialPort(path?: string) {
    const key = path ?? this.serialPaths[0];
    const got = this.received.get(key);
    if (got === undefined) return undefined;
    return { onTransmit: () => undefined, receiveSpace: 16, receive: (bytes: Iterable<number>) => got.push(...bytes) };
  }
  reset(): void {
    this.instructions = 0;
  }
}

describe('Runner: a terminal per UART, input and Step for the chosen one', () => {
  const ampText = JSON.stringify({
    boardlab: 1,
    name: 'two-uarts',
    objects: {
      hart: { type: 'rv32', props: { 'address-space': 'hart' } },
      m3: { type: 'cortex-m3', props: { 'address-space': 'm3' } },
      ram: { type: 'ram', props: { size: '64K' } },
      code: { type: 'ram', props: { size: '64K' } },
      uart0: { type: 'ns16550a' },
      m3uart: { type: 'cmsdk-apb-uart' },
    },
    memory: [
      { map: 'ram.mem', at: '0x80000000', space: 'hart' },
      { map: 'uart0.regs', at: '0x10000000', space: 'hart' },
      { map: 'code.mem', at: '0x0', space: 'm3' },
      { map: 'm3uart.regs', at: '0x40004000', space: 'm3' },
    ],
  });

  function twoUarts() {
    const control = createControl();
    const rings = [createSerialRingBuffer(1 << 12), createSerialRingBuffer(1 << 12), createSerialRingBuffer(1 << 12)];
    const io = createBoardIo();
    let machine: TwoUartMachine | undefined;
    const runner = new Runner(control, rings, (_board, _images, out) => (machine = new TwoUartMachine(out)), { yieldToEventLoop }, io);
    runners.push(runner);
    runner.start();
    const result = runner.load(resolved(ampText), new Map());
    const read = (index: number) => new TextDecoder().decode(new SerialRing(rings[index]).read());
    return { control, rings, io, runner, result, machine: () => machine!, read };
  }

  it("writes each UART's output to its own ring and says which stream each ring carries", async () => {
    const t = twoUarts();
    expect(t.result.ok && t.result.devices.serial.map((s) => [s.path, s.ring])).toEqual([
      ['/machine/uart0', 0],
      ['/machine/m3uart', 1],
    ]);
    requestStep(t.control);
    requestStep(t.control);
    requestStep(t.control);
    await until(() => readControl(t.control).instructions === 3, 'three steps');
    expect(t.read(0)).toBe('hh');
    expect(t.read(1)).toBe('m');
    expect(t.read(2)).toBe('');
  });

  it('steps the chosen CPU, and sends typed input to the chosen UART', async () => {
    const t = twoUarts();
    t.runner.setStepTarget('/machine/m3');
    requestStep(t.control);
    await until(() => readControl(t.control).instructions === 1, 'one step');
    expect(t.machine().stepped).toEqual(['/machine/m3']);
    expect(t.read(1)).toBe('M');
    t.runner.setStepTarget('/machine/hart');
    requestStep(t.control);
    await until(() => readControl(t.control).instructions === 2, 'a second step');
    expect(t.machine().stepped).toEqual(['/machine/m3', '/machine/hart']);
    expect(t.read(0)).toBe('H');

    expect(t.runner.setInputTarget('/machine/nowhere')).toBe(false);
    expect(t.runner.setInputTarget('/machine/m3uart')).toBe(true);
    new TerminalInput(t.io.input, t.control).send(new TextEncoder().encode('hi'));
    requestRun(t.control);
    await until(() => t.machine().received.get('/machine/m3uart')!.length === 2, 'input at m3uart');
    expect(t.machine().received.get('/machine/uart0')).toEqual([]);
  });

  it('starts a new session in every ring on Reset: the page clears each terminal where the session begins', async () => {
    const t = twoUarts();
    const second = new SerialRing(t.rings[1]);
    const shown: string[] = [];
    const drain = new SerialDrain(second, () => ({ session: readControl(t.control).session, sessionStart: second.sessionStart() }));
    const sink = { clear: () => shown.splice(0), write: (bytes: Uint8Array) => void shown.push(new TextDecoder().decode(bytes)) };
    drain.drain(sink);
    requestStep(t.control);
    requestStep(t.control);
    await until(() => readControl(t.control).instructions === 2, 'two steps');
    // printed before the reset, not yet drained: dropped with the old session
    requestReset(t.control);
    await until(() => readControl(t.control).instructions === 0, 'reset');
    requestStep(t.control);
    requestStep(t.control);
    await until(() => readControl(t.control).instructions === 2, 'two steps after the reset');
    drain.drain(sink);
    expect(shown.join('')).toBe('m');
    expect(second.sessionStart()).toBe(1);
  });
});
