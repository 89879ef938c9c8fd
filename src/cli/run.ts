// `boardlab run`: build a board in Node, print its UART output to stdout (a CPU's semihosting console
// to stdout or stderr, as QEMU does), exit with the finisher's status.
import { dirname } from 'node:path';
import { imageArchitectureProblem, machineTypeNames, qemuArgsToBoard, relativePath, resolveBoard, unavailableTypeProblems, type BoardDocument, type BoardResult, type ResolvedBoard } from '../graph/index.ts';
import { changesMachine } from './run-args.ts';
import type { ExecutionTier } from '../engine/cpu/contract.ts';
import { Machine, MachineError, engineModules, noFirmwareLine, stuckForGood, type HartReport } from '../engine/index.ts';
import { FaultNotes } from './fault-notes.ts';
import { RunController, type ControllerOptions } from '../engine/run-control.ts';
import type { GdbEndpoint, GdbServer } from './gdb-server.ts';
import { formatCpuTraceStep, formatTraceStep, traceAll, traceRun } from '../engine/trace.ts';
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError, describeFsError, formatProblem, readBoardDocument, readBoardImages, readLibraries } from './board-files.ts';
import type { QmpServer, QmpSocketSpec } from './qmp-server.ts';
import { SerialSinks, parseSerialSpecs, routeSerials } from './serial-routes.ts';
import { environmentTier } from './tier-environment.ts';

export interface RunOptions {
  board?: string;
  machine?: string;
  firmware?: string;
  maxInstructions?: number;
  timeout?: number;
  /** Pace virtual time to the host clock (default: run as fast as possible, time from instructions). */
  realtime?: boolean;
  /** Interactive terminal: Ctrl-A x quits and Ctrl-A Ctrl-A sends Ctrl-A, as in QEMU's -nographic. */
  escapes?: boolean;
  /** QEMU-style options (-M, -m, -smp, -device, -global, -kernel, -serial, …). */
  qemuArgs?: string[];
  /** Write an instruction trace of the first CPU to this file ("-" for stderr). */
  trace?: string;
  /** --preconfig: start before the machine is built; a QMP client builds it and sends x-exit-preconfig. */
  preconfig?: boolean;
  /** Which tier runs guest code (default: the machine's, 'jit'). */
  tier?: ExecutionTier;
  /** --tier-check: run both tiers side by side and stop at the first instruction where they differ. */
  tierCheck?: boolean;
}

export interface RunIo {
  stdout: (bytes: Uint8Array) => void;
  /** One line of BoardLab's own (a note, an error); the CLI adds the newline. */
  stderr: (line: string) => void;
  /** Bytes the guest writes to stderr itself (ARM semihosting's SYS_WRITEC/SYS_WRITE0, as QEMU writes them), as they come. */
  guestStderr: (bytes: Uint8Array) => void;
  /** Bytes for the first UART's receive side (the CLI passes process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /**
   * A status line for long runs (the CLI passes one when stderr is a terminal): called about twice
   * a second after the first second, and with undefined at the end to clear it.
   */
  status?: (line: string | undefined) => void;
}

/** "12.3 s · 1.23 G instructions · 104 MIPS · virtual 12.3 s" */
export function formatStatus(seconds: number, instructions: number, mips: number, virtualNs: number): string {
  const count = instructions >= 1e9 ? `${(instructions / 1e9).toFixed(2)} G` : instructions >= 1e6 ? `${(instructions / 1e6).toFixed(1)} M` : `${instructions}`;
  return `boardlab: ${seconds.toFixed(1)} s · ${count} instructions · ${mips.toFixed(0)} MIPS · virtual time ${(virtualNs / 1e9).toFixed(3)} s`;
}

/** Bytes from stdin waiting for room in the UART's receive FIFO. */
class SerialInput {
  private readonly queue: number[] = [];
  private wake: (() => void) | undefined;
  private escaped = false;
  ended = false;
  /** The user typed Ctrl-A x. */
  quit = false;

  constructor(
    source: AsyncIterable<Uint8Array | string> | undefined,
    private readonly escapes = false,
  ) {
    if (source === undefined) {
      this.ended = true;
      return;
    }
    void (async () => {
      try {
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
          for (const byte of bytes) this.accept(byte);
          this.wake?.();
        }
      } catch {
        // A closed or broken stdin is the same as its end.
      }
      this.ended = true;
      this.wake?.();
    })();
  }

  private accept(byte: number): void {
    if (!this.escapes) {
      this.queue.push(byte);
      return;
    }
    if (this.escaped) {
      this.escaped = false;
      if (byte === 0x78 /* x */) this.quit = true;
      else if (byte === CTRL_A) this.queue.push(CTRL_A);
      return;
    }
    if (byte === CTRL_A) this.escaped = true;
    else this.queue.push(byte);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Move as many queued bytes into the UART as its FIFO takes. */
  deliver(uart: { receive(bytes: Iterable<number>): number; receiveSpace: number } | undefined): void {
    if (uart === undefined || this.queue.length === 0) return;
    const room = uart.receiveSpace;
    if (room > 0) this.queue.splice(0, uart.receive(this.queue.slice(0, room)));
  }

  /** Resolves when more input arrives or the input ends. */
  next(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}

/** Exit statuses besides the guest's own: like timeout(1) for limits. */
export const EXIT_INPUT_ERROR = 1;
export const EXIT_LIMIT = 124;
export const EXIT_IDLE = 125;

/** Instructions per run() call; output is flushed, input delivered and limits checked between calls. */
const CHUNK = 5_000_000;
/** Smaller calls while input waits for room in the UART, so typed bytes arrive promptly. */
const INPUT_CHUNK = 100_000;
/**
 * With a QMP monitor, requests are served between calls sized to take about MONITOR_SLICE_MS of
 * host time (a guest in a storm of traps runs far slower than one running code), within these bounds.
 */
const MONITOR_SLICE_MS = 20;
const MONITOR_CHUNK_MIN = 1_000;
const MONITOR_CHUNK_MAX = 1_000_000;

const CTRL_A = 0x01;

/** The status line appears after a second of running, and is redrawn twice a second. */
const STATUS_AFTER_MS = 1000;
const STATUS_EVERY_MS = 500;

export const EXIT_QUIT = 130;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** -S, --preconfig and -qmp: how the run is controlled. */
interface MonitorSettings {
  startPaused: boolean;
  preconfig: boolean;
  qmp: QmpSocketSpec[];
  /** -gdb [CPU=]tcp::PORT (or -s: tcp::1234), one per architecture. */
  gdb: GdbEndpoint[];
}

async function monitorSettings(options: RunOptions): Promise<MonitorSettings> {
  const qemuArgs = options.qemuArgs ?? [];
  const gdb: GdbEndpoint[] = [];
  for (const [i, arg] of qemuArgs.entries()) {
    if (arg !== '-gdb' && arg !== '--gdb' && arg !== '-s') continue;
    const { GdbSpecError, parseGdbSpec } = await import('./gdb-server.ts');
    try {
      gdb.push(parseGdbSpec(arg === '-s' ? 'tcp::1234' : qemuArgs[i + 1]));
    } catch (error) {
      if (error instanceof GdbSpecError) throw new InputError(error.message);
      throw error;
    }
  }
  const qmp: QmpSocketSpec[] = [];
  for (const [i, arg] of qemuArgs.entries()) {
    if (arg !== '-qmp' && arg !== '--qmp') continue;
    const { QmpSpecError, parseQmpSpec } = await import('./qmp-server.ts'); // only runs with a monitor load it
    try {
      qmp.push(parseQmpSpec(qemuArgs[i + 1]));
    } catch (error) {
      if (error instanceof QmpSpecError) throw new InputError(error.message);
      throw error;
    }
  }
  if (options.tierCheck) {
    const other = gdb.length > 0 ? '-gdb' : qmp.length > 0 ? '-qmp' : options.preconfig ? '--preconfig' : options.trace !== undefined ? '--trace' : options.realtime ? '--realtime' : options.tier !== undefined ? '--tier' : undefined;
    if (other !== undefined) throw new InputError(`--tier-check runs the board on both tiers by itself: it does not go with ${other}`);
  }
  const settings = { startPaused: qemuArgs.includes('-S') || qemuArgs.includes('--S'), preconfig: options.preconfig === true, qmp, gdb };
  if (gdb.length > 0 && settings.preconfig) throw new InputError('-gdb does not go with --preconfig: connect gdb to a machine that exists (start with -S instead)');
  if (qmp.length === 0 && (settings.preconfig || (settings.startPaused && gdb.length === 0))) {
    throw new InputError(`${settings.preconfig ? '--preconfig' : '-S'} waits for a QMP client to ${settings.preconfig ? 'build' : 'start'} the machine: add -qmp unix:PATH,server=on (or tcp:127.0.0.1:PORT,server=on)`);
  }
  return settings;
}

export async function runCommand(options: RunOptions, io: RunIo): Promise<number> {
  const servers: QmpServer[] = [];
  const gdbServers: GdbServer[] = [];
  let gdbInput: SerialInput | undefined;
  // Where each UART's bytes go (./serial-routes.ts): bound to the machine once it is built.
  let sinks: SerialSinks | undefined;
  try {
    const monitor = await monitorSettings(options);
    const loaded = await loadDocument(options, monitor.preconfig);
    const { result, source, boardDir } = loaded;
    const serialSpecs = parseSerialSpecs(options.qemuArgs ?? []);
    if (!monitor.preconfig && !result.ok) {
      for (const problem of result.problems) io.stderr(formatProblem(source, problem));
      return EXIT_INPUT_ERROR;
    }
    const output: number[] = [];
    let sinksOf: Machine | undefined;
    const bindSerials = (machine: Machine) => {
      if (sinksOf === machine) return;
      sinks?.close();
      sinks = undefined;
      const { routes, notes: serialNotes } = routeSerials(serialSpecs, machine.serialPaths);
      for (const note of serialNotes) io.stderr(`boardlab: ${note}`);
      sinks = new SerialSinks(routes, serialSpecs, (byte) => output.push(byte));
      sinksOf = machine;
    };
    // The guest's trap loops, fault spins and lockups, one line each, as the page's event log
    // shows them; its access faults only when it does not recover from them (./fault-notes.ts).
    let controller: RunController | undefined;
    const notes = new FaultNotes(io.stderr, () => controller?.machine?.instructions ?? 0);
    const controllerOptions: ControllerOptions = {
      startPaused: monitor.startPaused,
      resolve: { libraries: loaded.libraries },
      // (x-exit-preconfig) the board's files from disk, its sources assembled; an assembly error refuses the build
      loadImages: async (_files, board) => {
        const read = await readBoardImages(board, boardDir, options.board);
        if (read.problems.length > 0) throw new InputError(read.problems.map((problem) => formatProblem(source, problem)).join('\n'));
        return read.images;
      },
      machine: {
        tier: options.tier ?? environmentTier(),
        onSerialOutput: (uart, byte) => sinks?.write(uart, byte),
        // the semihosting console is not a serial port: -serial null leaves it alone, as in QEMU
        onConsoleOutput: (_cpu, bytes, stream) => (stream === 'stdout' ? output.push(...bytes) : io.guestStderr(bytes)),
        onGuestFault: (fault) => notes.report(fault),
        onGuestFaultsRecovered: (cpu) => notes.recovered(cpu),
      },
    };
    if (monitor.preconfig) {
      controller = RunController.preconfig(loaded.document, controllerOptions);
    } else {
      const board = (result as Extract<BoardResult, { ok: true }>).board;
      const unavailable = unavailableTypeProblems(board.objects, await engineModules.loadBoardModules(board));
      if (unavailable.length > 0) {
        for (const problem of unavailable) io.stderr(formatProblem(source, problem));
        return EXIT_INPUT_ERROR;
      }
      const read = await readBoardImages(board, boardDir, options.board);
      for (const warning of read.warnings) io.stderr(`warning: ${formatProblem(source, warning)}`);
      if (read.problems.length > 0) {
        for (const problem of read.problems) io.stderr(formatProblem(source, problem));
        return EXIT_INPUT_ERROR;
      }
      const images = read.images;
      // An image for another architecture: said with its pointer and hint, as validate says it.
      const wrongArchitecture = board.images.flatMap((image) => {
        const bytes = images.get(image.file);
        const problem = bytes === undefined ? undefined : imageArchitectureProblem(board, image, bytes);
        return problem === undefined ? [] : [problem];
      });
      if (wrongArchitecture.length > 0) {
        for (const problem of wrongArchitecture) io.stderr(formatProblem(source, problem));
        return EXIT_INPUT_ERROR;
      }
      if (options.tierCheck) return await runTierCheck(board, images, options, io);
      const machine = Machine.build(board, images, controllerOptions.machine);
      bindSerials(machine);
      // Without gdb to load code into it, a hart with no firmware runs whatever memory holds: say so.
      if (monitor.gdb.length === 0) {
        for (const hart of machine.hartReports()) {
          if (hart.firmware === null) io.stderr(`boardlab: ${noFirmwareLine(hart.path)}: no image names it, fills its reset vector or is handed to it by a boot ROM; it runs whatever memory holds`);
        }
      }
      controller = RunController.forMachine(machine, board, loaded.document, controllerOptions);
    }
    for (const spec of monitor.qmp) {
      const { QmpServer, nodeHostFeatures } = await import('./qmp-server.ts');
      try {
        servers.push(await QmpServer.listen(spec.endpoint, { controller, hostFeatures: nodeHostFeatures(), threadId: process.pid }));
      } catch (error) {
        throw new InputError(`-qmp ${spec.endpoint.kind === 'unix' ? `unix:${spec.endpoint.path}` : `tcp:${spec.endpoint.host}:${spec.endpoint.port}`}: cannot listen: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const flush = () => {
      if (output.length > 0) io.stdout(Uint8Array.from(output.splice(0)));
      sinks?.flush();
    };
    /** The UART stdin feeds: the first routed to stdio. */
    const inputUart = (machine: Machine) => (sinks?.inputPath === undefined ? undefined : machine.serialPort(sinks.inputPath));
    let gdbQuit = false;
    if (monitor.gdb.length > 0) {
      // One stub per architecture (gdb holds one per connection), all-stop together (../engine/gdb/board.ts).
      const { GdbSpecError, gdbClusters, startGdbServer } = await import('./gdb-server.ts');
      const { GdbBoard } = await import('../engine/gdb/board.ts');
      const machine = controller.machine!;
      let clusters: string[][];
      try {
        clusters = gdbClusters(monitor.gdb, machine.cpuPaths.map((path) => ({ path, target: machine.cpu(path)!.target })));
      } catch (error) {
        if (error instanceof GdbSpecError) throw new InputError(error.message);
        throw error;
      }
      // with -S, the guest waits until every stub has its gdb
      const board = new GdbBoard(monitor.startPaused ? monitor.gdb.length : 0);
      for (const [i, endpoint] of monitor.gdb.entries()) {
        let server: GdbServer;
        try {
          server = await startGdbServer(machine, { ...endpoint, cpus: clusters[i], board, beforeSlice: () => gdbInput?.deliver(inputUart(machine)), afterSlice: flush });
        } catch (error) {
          throw new InputError(`-gdb ${endpoint.cpu !== undefined ? `${endpoint.cpu}=` : ''}tcp:${endpoint.host}:${endpoint.port}: cannot listen: ${error instanceof Error ? error.message : String(error)}`);
        }
        gdbServers.push(server);
        server.onEvent((event) => {
          if (event.kind === 'attach' && controller.isRunning) controller.debugStop();
          // As QEMU: gdb's kill ends the run; detach or a dropped connection lets the guest run on (once no gdb is attached).
          if (event.kind === 'kill') gdbQuit = true;
          if ((event.kind === 'detach' || event.kind === 'disconnect') && !gdbServers.some((s) => s.attached) && !controller.isRunning && controller.machine?.halted === false) controller.cont();
        });
      }
    }
    const started = Date.now();
    const overtime = () => options.timeout !== undefined && Date.now() - started > options.timeout * 1000;
    const limit = options.maxInstructions ?? Infinity;
    // Instructions the run loop's slices started, trapping ones included: a guest that faults
    // forever retires nothing, yet must reach --max-instructions.
    let instructionsStarted = 0;
    // A slice ends soon after the --timeout moment, however slowly the guest's instructions go.
    const deadline = options.timeout === undefined ? Infinity : performance.now() + options.timeout * 1000;
    const runUntilDeadline = (machine: Machine, budget: number) => machine.run(budget, Infinity, deadline);
    const input = new SerialInput(io.stdin, options.escapes);
    gdbInput = input;
    const trace = options.trace === undefined ? undefined : openTrace(options.trace, io);
    // One CPU: the lines trace-diff compares with QEMU's; several: every CPU's, each line naming its CPU.
    const traceSlice = (machine: Machine, budget: number) => {
      if (machine.cpuPaths.length <= 1) return traceRun(machine, budget, (step) => trace!.write(formatTraceStep(step)));
      const width = Math.max(...machine.cpuPaths.map((path) => relativePath(path).length));
      return traceAll(machine, budget, (step) => trace!.write(formatCpuTraceStep(step, width)));
    };
    const tracer = trace === undefined ? undefined : (machine: Machine, budget: number) => traceSlice(machine, Math.min(budget, 10_000));
    const hasMonitor = servers.length > 0;
    /** Wait for something to happen: a monitor request, input, or the --timeout. */
    const waitForChange = async () => {
      const waits: Array<Promise<unknown>> = [controller.changed()];
      for (const server of gdbServers) waits.push(server.changed());
      if (!input.ended) waits.push(input.next());
      if (options.timeout !== undefined) waits.push(sleep(Math.max(0, started + options.timeout * 1000 - Date.now()) + 1));
      await Promise.race(waits);
    };
    for (const [i, spec] of monitor.qmp.entries()) {
      if (!spec.wait) continue;
      // wait=on: the machine does not start before a client is there (QEMU waits the same way).
      while (servers[i].busy === false && !input.quit && !overtime()) await Promise.race([servers[i].waitForClient(), waitForChange()]);
    }
    let uart: ReturnType<Machine['serialPort']>;
    let uartOf: Machine | undefined;
    let pacing: { host: number; virtual: number } | undefined;
    let monitorChunk = MONITOR_CHUNK_MIN * 10;
    let lastStatus = started;
    let statusInstructions = 0;
    if (monitor.startPaused && gdbServers.length > 0 && servers.length === 0) {
      // -S with only gdb: the guest waits for gdb, which then drives it.
      while (!gdbServers.some((s) => s.attached) && !input.quit && !overtime()) await Promise.race([...gdbServers.map((s) => s.waitForClient()), waitForChange()]);
    }
    for (;;) {
      const machine = controller.machine;
      if (controller.quitRequested || gdbQuit) {
        notes.flush();
        return 0;
      }
      if (machine?.halted) {
        // every gdb whose target was running hears of the exit (W) before the stubs close
        while (gdbServers.some((s) => s.stub?.running === true)) await Promise.race([...gdbServers.map((s) => s.changed()), sleep(50)]);
        break;
      }
      if (gdbServers.some((s) => s.attached)) {
        // gdb drives the machine (continue, step) until it detaches.
        flush();
        await Promise.race([...gdbServers.map((s) => s.changed()), waitForChange()]);
        if (input.quit) continue;
        continue;
      }
      if (input.quit) {
        notes.flush();
        io.stderr('boardlab: terminated by Ctrl-A x');
        return EXIT_QUIT;
      }
      if (overtime()) {
        notes.flush();
        io.stderr(`boardlab: stopped after ${options.timeout} s (--timeout); the guest did not finish`);
        return EXIT_LIMIT;
      }
      if (machine === undefined || !controller.isRunning) {
        flush();
        pacing = undefined;
        await waitForChange();
        continue;
      }
      if (uartOf !== machine) {
        bindSerials(machine); // a machine built over QMP in the preconfig phase
        uart = inputUart(machine);
        uartOf = machine;
      }
      pacing ??= { host: Date.now(), virtual: machine.clock.now() };
      input.deliver(uart);
      const chunk = input.pending > 0 ? Math.min(INPUT_CHUNK, hasMonitor ? monitorChunk : CHUNK) : hasMonitor ? monitorChunk : CHUNK;
      const sliceStart = performance.now();
      const ran = controller.runSlice(Math.min(chunk, limit - instructionsStarted), tracer ?? runUntilDeadline);
      instructionsStarted += ran;
      if (hasMonitor && ran > 0) {
        const perMs = ran / Math.max(performance.now() - sliceStart, 0.05);
        monitorChunk = Math.round(Math.min(MONITOR_CHUNK_MAX, Math.max(MONITOR_CHUNK_MIN, perMs * MONITOR_SLICE_MS)));
      }
      flush();
      notes.settle();
      if (io.status !== undefined) {
        const now = Date.now();
        if (now - started > STATUS_AFTER_MS && now - lastStatus >= STATUS_EVERY_MS) {
          const instructions = machine.instructions;
          io.status(formatStatus((now - started) / 1000, instructions, (instructions - statusInstructions) / Math.max(now - lastStatus, 1) / 1000, machine.clock.now()));
          lastStatus = now;
          statusInstructions = instructions;
        }
      }
      if (machine.halted) break;
      // A trap loop retires nothing, so --max-instructions would never end it: with no monitor or
      // debugger to step in, a board whose every CPU is stuck in one stops here.
      const reports = machine.hartReports();
      if (!hasMonitor && gdbServers.length === 0 && reports.every(stuckForGood)) {
        flush();
        notes.flush();
        const lockedUp = reports.some((r) => r.status === 'locked-up');
        io.stderr(lockedUp ? 'boardlab: every CPU is locked up or stuck (see above); stopping' : 'boardlab: every CPU is stuck in a trap loop (see above); stopping');
        return EXIT_IDLE;
      }
      if (instructionsStarted >= limit) {
        notes.flush();
        io.stderr(`boardlab: stopped after ${instructionsStarted} instructions (--max-instructions); the guest did not finish`);
        return EXIT_LIMIT;
      }
      if (options.realtime) {
        // Virtual time ahead of the host clock: wait until the host catches up.
        const ahead = (machine.clock.now() - pacing.virtual) / 1e6 - (Date.now() - pacing.host);
        if (ahead > 1) await sleep(Math.min(ahead, 100));
      }
      if (ran === 0 && machine.idle) {
        // Every hart waits for an interrupt and no timer is pending: only input (or a monitor) can wake it.
        if (input.pending > 0) continue;
        if (input.ended && !hasMonitor) {
          notes.flush();
          io.stderr(idleLine(machine.hartReports()));
          return EXIT_IDLE;
        }
        await waitForChange();
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve)); // let stdout drain, stdin and monitor requests arrive
    }
    flush();
    trace?.close();
    const exit = controller.machine!.exit!;
    // a guest that passes dealt with its faults itself; one that fails may not have
    if (exit.kind !== 'pass') notes.flush();
    return exit.kind === 'pass' ? 0 : exit.code;
  } catch (error) {
    if (error instanceof InputError || error instanceof MachineError) {
      io.stderr(`boardlab: ${error.message}`);
      return EXIT_INPUT_ERROR;
    }
    throw error;
  } finally {
    io.status?.(undefined);
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(gdbServers.map((server) => server.close()));
    sinks?.close();
  }
}

/** Exit status of `--tier-check` when the tiers' states differ. */
export const EXIT_TIERS_DIFFER = 3;

/**
 * `--tier-check`: the board on both tiers side by side (../engine/tier-check.ts). The output both
 * wrote goes to stdout as the chunks agree (every UART's and the semihosting console's, whatever
 * -serial says); the guest's exit status when they agree to the end, else the first instruction
 * after which they differ on stderr (exit EXIT_TIERS_DIFFER).
 */
async function runTierCheck(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, options: RunOptions, io: RunIo): Promise<number> {
  const { checkTiers, formatDivergence } = await import('../engine/tier-check.ts');
  const deadline = options.timeout === undefined ? undefined : performance.now() + options.timeout * 1000;
  const result = checkTiers((_tier, machineOptions) => Machine.build(board, images, machineOptions), { maxInstructions: options.maxInstructions, deadline, onAgreedOutput: io.stdout });
  if (!result.same) {
    const [first, ...rest] = formatDivergence(result.divergence);
    io.stderr(`boardlab: --tier-check: ${first}`);
    for (const line of rest) io.stderr(line);
    return EXIT_TIERS_DIFFER;
  }
  // a check of the interpreter against itself proves nothing: say so
  for (const { cpu, reason } of result.interpretedOnly) io.stderr(`boardlab: --tier-check: ${cpu} ran on the interpreter on both sides: ${reason}`);
  const agreed = `both tiers agree over ${result.instructions} instructions`;
  switch (result.end) {
    case 'halted':
      io.stderr(`boardlab: --tier-check: ${agreed}`);
      return result.exit?.code ?? 0;
    case 'limit':
      io.stderr(`boardlab: --tier-check: stopped after ${result.instructions} instructions (--max-instructions); ${agreed}`);
      return EXIT_LIMIT;
    case 'deadline':
      io.stderr(`boardlab: --tier-check: stopped after ${options.timeout} s (--timeout); ${agreed}`);
      return EXIT_LIMIT;
    case 'idle':
    case 'stuck':
      io.stderr(`boardlab: --tier-check: every CPU ${result.end === 'idle' ? 'waits for an interrupt nothing can raise' : 'is stuck for good'}; ${agreed}`);
      return EXIT_IDLE;
  }
}

interface LoadedRun {
  /** The board as a document (what the preconfig phase edits). */
  document: BoardDocument;
  result: BoardResult;
  source: string;
  boardDir: string;
  /** Library files the document names, read (for resolving it again). */
  libraries: Map<string, unknown>;
}

/** An empty board: what --preconfig builds on when given neither a board file nor -M. */
const EMPTY_BOARD: BoardDocument = { boardlab: 1, name: 'qmp', description: 'A board built over QMP in the preconfig phase.', objects: {} };

async function loadDocument(options: RunOptions, preconfig: boolean): Promise<LoadedRun> {
  const qemuArgs = options.qemuArgs ?? [];
  if (options.board !== undefined) {
    const machineOption = changesMachine(qemuArgs) ?? (options.machine !== undefined ? '-M' : undefined);
    if (machineOption !== undefined) throw new InputError(`${machineOption} changes the machine, so it goes with -M TYPE, not a board file (put the change in the board file instead)`);
    if (options.firmware !== undefined) throw new InputError('--firmware goes with -M; a board file names its images itself');
    const read = await readBoardDocument(options.board);
    const boardDir = dirname(options.board);
    if ('problems' in read) {
      if (preconfig) throw new InputError(`${options.board}: the board has problems; fix them first (boardlab validate ${options.board})`);
      return { document: EMPTY_BOARD, result: { ok: false, problems: read.problems }, source: options.board, boardDir, libraries: new Map() };
    }
    return { document: read.document, result: read.result, source: options.board, boardDir, libraries: await readLibraries(read.document, boardDir) };
  }
  const monitorOption = (a: string, i: number) => a === '-S' || a === '--S' || a === '-qmp' || a === '--qmp' || qemuArgs[i - 1] === '-qmp' || qemuArgs[i - 1] === '--qmp';
  const machineArgs = [
    ...(options.machine !== undefined ? ['-M', options.machine] : []),
    ...qemuArgs.filter((a, i) => !(a === '-serial' || qemuArgs[i - 1] === '-serial') && !monitorOption(a, i)),
  ];
  if (!machineArgs.some((a) => a === '-M' || a === '-machine' || a === '--machine')) {
    if (preconfig && machineArgs.length === 0 && options.firmware === undefined) {
      return { document: EMPTY_BOARD, result: resolveBoard(EMPTY_BOARD), source: 'QMP', boardDir: process.cwd(), libraries: new Map() };
    }
    throw new InputError('give a board file or -M TYPE (try: boardlab run -M riscv-virt --firmware public/firmware/hello.elf)');
  }
  const firmware = options.firmware;
  if (firmware === undefined && !machineArgs.includes('-kernel') && !machineArgs.includes('-bios') && !preconfig) {
    const type = machineArgs[machineArgs.findIndex((a) => a === '-M' || a === '-machine') + 1];
    throw new InputError(`-M ${type} needs --firmware FILE (an ELF image to run)`);
  }
  const converted = qemuArgsToBoard([...machineArgs, ...(firmware !== undefined ? ['-kernel', firmware] : [])], 'command-line');
  if (!converted.ok) {
    const [problem] = converted.problems;
    const unknownMachine = /^machine type "(.*)" is not one BoardLab has$/.exec(problem.message);
    if (unknownMachine) throw new InputError(`unknown machine type "${unknownMachine[1]}"; known types: ${machineTypeNames().join(', ')}`);
    throw new InputError(problem.message);
  }
  return { document: converted.document, result: resolveBoard(converted.document), source: 'command line', boardDir: process.cwd(), libraries: new Map() };
}

/**
 * Why an idle board stops: every CPU waits for an interrupt nothing can raise or, on a board with
 * several, some are stuck for good (a trap loop with interrupts masked, a lockup) and the others wait.
 */
export function idleLine(reports: readonly HartReport[]): string {
  const stuck = reports.filter(stuckForGood);
  if (stuck.length === 0) return 'boardlab: every CPU waits for an interrupt (WFI) and nothing on this board can raise one; stopping';
  const name = (r: HartReport) => relativePath(r.path);
  const how = (r: HartReport) => (r.status === 'locked-up' ? 'is locked up' : r.status === 'held' ? 'has no firmware' : 'is stuck in a trap loop');
  const waiting = reports.filter((r) => !stuckForGood(r)).map(name);
  const others = waiting.length === 0 ? '' : `, ${waiting.join(', ')} ${waiting.length === 1 ? 'waits' : 'wait'} for an interrupt nothing on this board can raise`;
  return `boardlab: ${stuck.map((r) => `${name(r)} ${how(r)}`).join(', ')}${others}; stopping`;
}

/** Trace lines to a file or stderr. */
function openTrace(target: string, io: RunIo): { write(line: string): void; close(): void } {
  if (target === '-') return { write: (line) => io.stderr(line), close: () => {} };
  let fd: number;
  try {
    fd = openSync(target, 'w');
  } catch (error) {
    throw new InputError(`--trace ${target}: ${describeFsError(error)}`);
  }
  return { write: (line) => writeSync(fd, line + '\n'), close: () => closeSync(fd) };
}
