// The QMP monitor of the designer's console, inside the emulator worker. It wraps the machine the
// run loop runs in a RunController (src/engine/run-control.ts), so QMP commands work on the real,
// running objects, and keeps the controller's run state and the shared control words in step both
// ways:
//
//   QMP stop / cont     → DESIRED := PAUSE / RUN and the doorbell, as the page's Pause / Run do;
//   QMP system_reset    → RESET_SEQ bumped, as the page's Reset does (the run loop resets, so the
//                         terminal starts a new session); a machine that was not running stays
//                         paused, in prelaunch, as in QEMU;
//   QMP quit            → the page cannot exit: the machine is paused, SHUTDOWN is reported, the
//                         console sessions end (as a QEMU client's connection ends) and the machine
//                         gets a fresh controller in prelaunch, so Run or a new session go on;
//   page Pause / Run    → STOP / RESUME (the loop reports the control words it read: RunObserver);
//   page Reset          → RESET (reason host-ui);
//   a breakpoint stop   → STOP, state debug (as a gdb stop in QEMU); an engine failure → STOP,
//                         state internal-error (cont refused until a reset);
//   a guest reset, halt → RESET (guest-reset), SHUTDOWN (guest-shutdown), after the slice it ran in.
//
// Level-based like the control words themselves: each side only acts when the other disagrees, so
// a transition one side started never echoes back. Console sessions survive a board load: they go
// on with the new machine's controller, and a note says so.
import { RunController, type ControllerEvent, type ShutdownCause } from '../engine/run-control.ts';
import type { Machine } from '../engine/machine.ts';
import { QmpMonitor } from '../engine/qmp/monitor.ts';
import type { QmpServices } from '../engine/qmp/commands.ts';
import type { BoardDocument, ResolvedBoard, ResolveOptions } from '../graph/index.ts';
import { Desired, requestPause, requestReset, requestRun, Word } from './control.ts';
import type { RunObserver } from './runner.ts';

/** What a console receives: QMP text exactly as a socket client would (lines ending in CR LF), or a note about the session. */
export type QmpConsoleOutput = { kind: 'qmp'; text: string } | { kind: 'note'; text: string } | { kind: 'closed'; text: string };

/** Receives a console session's output, a batch at a time. */
export type QmpConsoleSink = (output: QmpConsoleOutput[]) => void;

/** The document a resolved board came from, and how the page resolved it (platform, libraries). */
export interface BoardOrigin {
  document: BoardDocument;
  /** For the object tree's composite types from libraries. */
  resolve?: ResolveOptions;
}

/** The machine the controller wraps, and where it came from. */
export interface QmpMachineSource extends BoardOrigin {
  machine: Machine;
  board: ResolvedBoard;
}

interface ConsoleSession {
  sink: QmpConsoleSink;
  /** Output waiting for the end of the current task, so a request's reply and events go out in one message. */
  queued: QmpConsoleOutput[];
  /** Undefined until there is a machine to talk about (the console opened before the first load). */
  monitor: QmpMonitor | undefined;
}

export class WorkerQmp implements RunObserver {
  private source: QmpMachineSource | undefined;
  private controller: RunController | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly sessions = new Map<number, ConsoleSession>();
  private nextId = 1;
  /** A system_reset from QMP is on its way to the run loop (its RESET event went out already). */
  private qmpResetPending = false;

  constructor(
    private readonly control: Int32Array,
    private readonly services: Omit<QmpServices, 'controller'> = {},
  ) {}

  /** A new machine runs (a board was loaded): it gets its own controller; open sessions go on with it. */
  attach(source: QmpMachineSource): void {
    this.source = source;
    this.replaceController();
    for (const session of this.sessions.values()) {
      if (session.monitor === undefined) this.startMonitor(session);
      else {
        session.monitor.switchController(this.controller!);
        this.output(session, { kind: 'note', text: `board ${source.board.name} loaded: this session now works on its machine` });
      }
    }
  }

  /** Opens a console session: the greeting comes at once (or with the first board). Returns its id. */
  open(sink: QmpConsoleSink): number {
    const id = this.nextId++;
    const session: ConsoleSession = { sink, queued: [], monitor: undefined };
    this.sessions.set(id, session);
    if (this.controller !== undefined) this.startMonitor(session);
    else this.output(session, { kind: 'note', text: 'no machine yet: the greeting comes when a board is loaded' });
    return id;
  }

  /** Text typed into session `id`; resolves when every request in it has been answered. */
  async feed(id: number, text: string): Promise<void> {
    const session = this.sessions.get(id);
    if (session?.monitor === undefined) return;
    // The page may have asked for Run or Pause since the loop last looked: answer with what it wants.
    this.syncDesired(Atomics.load(this.control, Word.DESIRED) as Desired);
    session.monitor.feed(text);
    await session.monitor.settled();
  }

  /** Ends session `id` (the console was closed or reconnects). */
  close(id: number): void {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    session.monitor?.close();
  }

  // ---- RunObserver: what the run loop did ------------------------------------------------------

  requestsTaken({ reset, desired }: { reset: boolean; desired: Desired }): void {
    const controller = this.controller;
    if (controller === undefined) return;
    if (reset) {
      if (this.qmpResetPending) this.qmpResetPending = false; // announced when QMP asked for it
      else this.guarded(() => controller.systemReset('host-ui'));
    }
    this.syncDesired(desired);
  }

  ran(): void {
    const controller = this.controller;
    if (controller !== undefined) this.guarded(() => controller.noteGuestRun());
  }

  /** Stopped at a breakpoint: QEMU's state for a stop a debugger caused is debug (STOP). */
  stoppedAtBreakpoint(): void {
    const controller = this.controller;
    if (controller !== undefined) this.guarded(() => controller.debugStop());
  }

  /** A hart caught in a trap loop or fault spin paused the guest: a debugger-like stop too (debug, STOP). */
  stoppedAtFault(): void {
    this.stoppedAtBreakpoint();
  }

  /** The engine failed: internal-error (STOP), until a reset. */
  crashed(): void {
    const controller = this.controller;
    if (controller !== undefined) this.guarded(() => controller.internalError());
  }

  // ---- keeping the two views of the run state in step ------------------------------------------

  /** The page wants the machine running or paused: the controller follows (RESUME / STOP). */
  private syncDesired(desired: Desired): void {
    const controller = this.controller;
    if (controller === undefined || controller.machine === undefined) return;
    if (desired === Desired.PAUSE && controller.status === 'running') this.guarded(() => controller.stop());
    // A halted guest cannot run (the loop shows it halted): after a shutdown only a reset restarts it.
    const resumable = controller.status === 'paused' || controller.status === 'prelaunch' || controller.status === 'debug';
    if (desired === Desired.RUN && resumable && !controller.machine.halted) this.guarded(() => controller.cont());
  }

  /** The controller changed state at a monitor's request: the page's control words follow. */
  private controllerEvent(event: ControllerEvent): void {
    const desired = Atomics.load(this.control, Word.DESIRED) as Desired;
    if (event.event === 'STOP' && desired !== Desired.PAUSE) requestPause(this.control);
    if (event.event === 'RESUME' && desired !== Desired.RUN) requestRun(this.control);
    if (event.event === 'SHUTDOWN' && event.data.reason === 'host-qmp-quit') {
      requestPause(this.control);
      // After the reply to quit has gone out (it follows this event): end the sessions, as QEMU's
      // exit ends its connections, and give the machine a fresh controller.
      queueMicrotask(() => this.afterQuit());
    }
  }

  /** How the controller carries out a reset: a monitor's goes to the run loop; the page's (host-ui) is done already. */
  private resetMachine(cause: ShutdownCause): void {
    if (cause === 'host-ui') return;
    this.qmpResetPending = true;
    // QEMU leaves a machine that was not running stopped (prelaunch) after a reset; so does the page.
    if (this.controller?.status !== 'running') requestPause(this.control);
    requestReset(this.control);
  }

  private afterQuit(): void {
    for (const [id, session] of [...this.sessions]) {
      this.output(session, { kind: 'closed', text: 'quit: the page cannot exit, so the machine is stopped and this session has ended' });
      this.close(id);
    }
    if (this.source !== undefined) this.replaceController();
  }

  private replaceController(): void {
    const source = this.source!;
    this.unsubscribe?.();
    const running = Atomics.load(this.control, Word.DESIRED) === Desired.RUN && !source.machine.halted;
    const controller = RunController.forMachine(source.machine, source.board, source.document, {
      startPaused: !running,
      resolve: source.resolve,
      resetMachine: (_machine, cause) => this.resetMachine(cause),
    });
    this.controller = controller;
    this.unsubscribe = controller.onEvent((event) => this.controllerEvent(event));
  }

  private startMonitor(session: ConsoleSession): void {
    const monitor = new QmpMonitor({ ...this.services, controller: this.controller! }, { write: (text) => this.output(session, { kind: 'qmp', text }) });
    session.monitor = monitor;
    monitor.start();
  }

  /** Queues output; everything written in one task goes to the page in one message. */
  private output(session: ConsoleSession, item: QmpConsoleOutput): void {
    session.queued.push(item);
    if (session.queued.length > 1) return;
    queueMicrotask(() => {
      const batch = session.queued.splice(0);
      if (batch.length > 0) session.sink(batch);
    });
  }

  /** A bug in a transition must not stop the run loop that called in: it is dropped, the loop goes on. */
  private guarded(action: () => void): void {
    try {
      action();
    } catch {
      // ControllerError for a transition the state does not allow (cont after a shutdown): nothing to do.
    }
  }
}
