// The run session: the emulator worker (comlink, through EmulatorClient) and the board loaded into
// it. It loads boards, drives Run / Pause / Reset / Step through the control words, sends typed
// input and button presses through the shared board I/O, and once per animation frame moves serial
// output into the terminal (and its transcript) and the worker's stats, LED levels and activity
// into the store. What the user edits — the document, its history, its files — is the designer's
// (./designer.ts), which loads each version of the board through loadBoardText().
//
// Kept here, not in the store (./store.ts): the worker handle, the terminal view and the load queue
// are live objects and promises, not state a view renders; the store gets what they produce.
import type { BoardProblem } from '../graph/index.ts';
import { boardOrigin, resolveBoardText } from './board-text.ts';
import { WorkerRunState, type ControlSnapshot } from '../workers/control.ts';
import type { ExecutionTier, HartRegisters, LoadOptions, TierReport } from '../workers/emulator.worker.ts';
import { saveTier, startingTier } from './tier-choice.ts';
import { EmulatorClient } from './emulator-client.ts';
import { fetchImages } from './images.ts';
import type { SerialSink } from './serial-drain.ts';
import { SERIAL_RING_COUNT } from '../workers/serial-streams.ts';
import { sameFlags, sameRunStats, useBoardLab, type BoardSource, type RunStats } from './store.ts';
import { sampleActivity } from './activity.ts';
import { faultStopNotice, guestProblemsOf, sameGuestProblems } from './guest-status.ts';
import type { MachineInfo } from '../workers/emulator.worker.ts';
import { forgetPauseNotice, notify } from './notices.ts';

/** Everything the terminal has shown in this session, as text (for tests and for a re-mounted terminal). */
const TRANSCRIPT_LIMIT = 1 << 20;

class Transcript {
  private text = '';
  private readonly decoder = new TextDecoder();
  append(bytes: Uint8Array): void {
    this.text += this.decoder.decode(bytes, { stream: true });
    if (this.text.length > TRANSCRIPT_LIMIT) this.text = this.text.slice(this.text.length - TRANSCRIPT_LIMIT / 2);
  }
  clear(): void {
    this.text = '';
  }
  toString(): string {
    return this.text;
  }
}

let client: EmulatorClient | null = null;
/** What each serial ring printed this session (a ring per terminal tab: ../workers/serial-streams.ts). */
const transcripts = Array.from({ length: SERIAL_RING_COUNT }, () => new Transcript());
/** The terminal view and the ring it shows (the chosen tab). */
let terminal: { view: SerialSink; ring: number } | null = null;
let loadQueue: Promise<unknown> = Promise.resolve();
let crashReported = false;
const encoder = new TextEncoder();

/** Called every animation frame with the control words just read (framebuffer views repaint from it). */
export type FrameListener = (snapshot: ControlSnapshot, now: number) => void;
const frameListeners = new Set<FrameListener>();

export function onFrame(listener: FrameListener): () => void {
  frameListeners.add(listener);
  return () => frameListeners.delete(listener);
}

/** The store's guestProblems for new machine info, when they differ (the Problems list re-renders only then). */
function guestProblemsChange(machine: MachineInfo): { guestProblems?: ReturnType<typeof guestProblemsOf> } {
  const guestProblems = guestProblemsOf(machine);
  return sameGuestProblems(guestProblems, useBoardLab.getState().guestProblems) ? {} : { guestProblems };
}

/** Life-cycle states and events: fetched (comlink) when the worker says they changed, one call at a time. */
const info: { seenSeq: number; seenSession: number; seenState: number; inFlight: boolean; faultNotice?: string } = { seenSeq: -1, seenSession: -1, seenState: -1, inFlight: false };

function refreshInfo(): void {
  if (!client || info.inFlight) return;
  info.inFlight = true;
  const seq = client.infoSeq();
  void client
    .inspect()
    .then((machine) => {
      info.seenSeq = seq;
      if (!machine) return;
      useBoardLab.setState({ machine, ...guestProblemsChange(machine) });
      // Paused at a fault: say so over the canvas, once per stop (the info arrives again unchanged).
      const stop = client ? faultStopNotice(client.snapshot().state, machine.harts) : undefined;
      if (stop !== undefined && stop !== info.faultNotice) notify(stop, 'pause');
      info.faultNotice = stop;
    })
    .catch(() => undefined)
    .finally(() => {
      info.inFlight = false;
    });
}

/** Each ring's output goes to its transcript, and to the terminal when its tab is the one shown. */
const sinks: SerialSink[] = transcripts.map((transcript, ring) => ({
  clear() {
    transcript.clear();
    if (terminal?.ring === ring) terminal.view.clear();
  },
  write(bytes) {
    transcript.append(bytes);
    if (terminal?.ring === ring) terminal.view.write(bytes);
  },
}));

/** The terminal view shows serial ring `ring` (its tab) from now on; it gets what the ring printed before. */
export function attachTerminal(view: SerialSink, ring = 0): () => void {
  const attached = { view, ring };
  terminal = attached;
  view.clear();
  const shown = transcripts[ring]?.toString() ?? '';
  if (shown !== '') view.write(new TextEncoder().encode(shown));
  return () => {
    if (terminal === attached) terminal = null;
  };
}

/** Typing goes to the UART at `path` (its terminal tab was chosen). */
export function chooseInputUart(path: string): void {
  void client?.setInputTarget(path);
}

/** Step advances the CPU at `path` (the debugger follows it), or the board's next instruction for null. */
export function chooseStepCpu(path: string | null): void {
  void client?.setStepTarget(path);
}

/** What the terminal of the stream at `path` (a UART's, or a CPU's semihosting console) printed this session. */
function streamText(path: string): string | undefined {
  const stream = useBoardLab.getState().devices.serial.find((s) => s.path === path || s.path === `/machine/${path}`);
  return stream === undefined ? undefined : transcripts[stream.ring].toString();
}

function statsOf(snapshot: ControlSnapshot): RunStats {
  return { state: snapshot.state, exitCode: snapshot.exitCode, instructions: snapshot.instructions, ips: snapshot.ips };
}

/** Serial bytes moved into the terminal per animation frame at most (~4 MB/s at 60 Hz). */
const BYTES_PER_FRAME = 64 * 1024;

function frame(now: number): void {
  if (client) {
    client.input.flush();
    client.buttons.flush();
    // Every ring drains into its transcript; the one shown waits while its terminal is busy.
    for (let ring = 0; ring < sinks.length; ring++) {
      if (terminal?.ring === ring && !(terminal.view.ready?.() ?? true)) continue;
      client.drainSerial(ring, sinks[ring], BYTES_PER_FRAME);
    }
    const snapshot = client.snapshot();
    const run = statsOf(snapshot);
    const state = useBoardLab.getState();
    if (!sameRunStats(run, state.run)) useBoardLab.setState({ run });
    const leds = client.leds.sample(state.devices.leds.length);
    if (leds) {
      const reader = client.leds;
      const ledCounts = leds.map((_, index) => reader.onCount(index));
      if (!sameFlags(leds, state.leds)) useBoardLab.setState({ leds });
      if (!sameFlags(ledCounts, state.ledCounts)) useBoardLab.setState({ ledCounts });
    }
    sampleActivity(client.activity, state.board?.resolved ?? null, now);
    if (state.board && (client.infoSeq() !== info.seenSeq || snapshot.session !== info.seenSession || snapshot.state !== info.seenState)) {
      info.seenSession = snapshot.session;
      info.seenState = snapshot.state;
      refreshInfo();
    }
    for (const listener of frameListeners) listener(snapshot, now);
    if (run.state === WorkerRunState.CRASHED && !crashReported) {
      crashReported = true;
      void client.lastError().then((message) => {
        useBoardLab.setState({
          problems: {
            subject: 'the running machine',
            problems: [{ pointer: '', message: message ?? 'the emulator stopped', hint: 'Press Reset to start the firmware again, or open another board.' }],
          },
        });
      });
    }
    if (run.state !== WorkerRunState.CRASHED) crashReported = false;
  }
  requestAnimationFrame(frame);
}

/** Shows why an input (a board, a firmware file) was refused; the running board stays. */
export function reject(subject: string, problems: BoardProblem[], text?: string): false {
  useBoardLab.setState({ problems: { subject, problems, text }, loading: false });
  return false;
}

/** Serialises loads: a second file opened while one loads waits its turn. */
function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const next = loadQueue.then(job, job);
  loadQueue = next.catch(() => undefined);
  return next;
}

async function loadSource(source: BoardSource, files: ReadonlyMap<string, Uint8Array>, subject: string, options: LoadOptions = {}): Promise<boolean> {
  if (!client) return reject(subject, [{ pointer: '', message: 'the emulator has not started', hint: 'Reload the page.' }]);
  useBoardLab.setState({ loading: true, candidate: source });
  performance.mark('boardlab:fetch-images');
  // Problems point into the document's text (firmware is part of the document too).
  const documentText = source.text;
  const images = await fetchImages(source.resolved, files);
  // The warnings are about the text just assembled, whether or not the board runs it (the editor marks them).
  useBoardLab.setState({ assemblerWarnings: images.warnings });
  if (!images.ok) return reject(subject, images.problems, documentText);
  let result;
  performance.mark('boardlab:load-machine');
  try {
    result = await client.load(source.resolved, images.images, boardOrigin(source.text), options);
  } catch (error) {
    return reject(subject, [{ pointer: '', message: `the emulator worker failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, hint: 'Reload the page.' }]);
  }
  // The load fetched the modules of the board's types: the palette learns which failed.
  void client
    .moduleStatuses()
    .then((modules) => useBoardLab.setState({ modules }))
    .catch(() => undefined);
  if (!result.ok) return reject(subject, result.problems, documentText);
  if (options.forgetBreakpoints) forgetPauseNotice();
  client.input.clear();
  client.buttons.clear();
  client.leds.invalidate();
  useBoardLab.setState({
    documentText: source.text,
    documentSource: source.source,
    board: { ...source, resolved: result.board },
    problems: null,
    loading: false,
    devices: result.devices,
    leds: result.devices.leds.map(() => false),
    ledCounts: result.devices.leds.map(() => 0),
    pressed: result.devices.buttons.map(() => false),
    machine: result.info,
    guestProblems: guestProblemsOf(result.info),
  });
  client.run();
  performance.mark('boardlab:running');
  // The assembler's warnings about the board's sources: said, never stopping the board.
  if (images.warnings.length > 0) notify(`${images.warnings.length} assembler warning${images.warnings.length === 1 ? '' : 's'}: ${images.warnings[0].message}`);
  const loaded = client;
  void loaded
    .sharedMemory()
    .then((sharedRam) => useBoardLab.setState({ sharedRam }))
    .catch(() => useBoardLab.setState({ sharedRam: [] }));
  return true;
}

/**
 * Resolves a board text and loads it (with `files`, the bytes its images may name) into the worker,
 * after any load still in flight; on success the board runs and its text becomes the designer's
 * document. A text that does not resolve is rejected with its problems (the draft to fix).
 */
export function loadBoardText(text: string, source: string, files: ReadonlyMap<string, Uint8Array>, options: LoadOptions = {}): Promise<boolean> {
  return enqueue(async () => {
    performance.mark('boardlab:resolve');
    const parsed = resolveBoardText(text);
    if (!parsed.ok) return reject(source, parsed.problems, text);
    return loadSource({ text, resolved: parsed.board, source }, files, source, options);
  });
}

export function run(): void {
  client?.run();
}

export function pause(): void {
  client?.pause();
}

export function reset(): void {
  client?.reset();
}

/** Pauses and runs one instruction. */
export function step(): void {
  client?.step();
}

/** Real-time pacing: a guest that sleeps waits in wall-clock time. */
export function setPacing(realTime: boolean): void {
  client?.setPacing(realTime);
  useBoardLab.setState({ pacing: realTime });
}

/** Runs every CPU on `tier` from its next instruction, and the boards loaded after; remembered for the next visit. */
export function chooseTier(tier: ExecutionTier): Promise<TierReport | null> {
  saveTier(typeof localStorage === 'undefined' ? undefined : localStorage, tier);
  return client ? client.setTier(tier) : Promise.resolve(null);
}

/** Which tier runs each CPU of the running board (a comlink call; the worker answers between run slices). */
export function readTiers(): Promise<TierReport | null> {
  return client ? client.tiers() : Promise.resolve(null);
}

/** The worker's handle, for the QMP console (./qmp-console.ts), which keeps its own session state. */
export function emulatorClient(): EmulatorClient | null {
  return client;
}

/** Registers of every hart (a comlink call; the worker answers between run slices). */
export function readRegisters(): Promise<HartRegisters[]> {
  return client ? client.registers() : Promise.resolve([]);
}

/** Text typed or pasted into the terminal, for the guest's UART (UTF-8; Enter arrives as "\r"). */
export function sendInput(data: string): void {
  sendInputBytes(encoder.encode(data));
}

export function sendInputBytes(bytes: Uint8Array): void {
  client?.input.send(bytes);
}

/** Presses button `index` of the running board (LED/button indices come from the store's devices). */
export function pressButton(index: number): void {
  setPressed(index, true);
}

export function releaseButton(index: number): void {
  setPressed(index, false);
}

function setPressed(index: number, down: boolean): void {
  const { pressed } = useBoardLab.getState();
  if (!client || index < 0 || index >= pressed.length || pressed[index] === down) return;
  if (down) client.buttons.press(index);
  else client.buttons.release(index);
  useBoardLab.setState({ pressed: pressed.map((value, i) => (i === index ? down : value)) });
}

declare global {
  interface Window {
    /** Hooks for end-to-end tests and the curious: the terminal text and the raw control words. */
    __boardlab?: {
      terminalText(): string;
      /** The text of one terminal tab: the UART (or the CPU's semihosting console) at `path` ("uart0" or "/machine/uart0"). */
      terminalTextOf(path: string): string | undefined;
      snapshot(): ControlSnapshot | null;
      /** Typed bytes not yet taken by the worker (waiting in the page or in the input ring). */
      inputWaiting(): number;
      /** The board document the designer edits (the running board's text, or the draft). */
      documentText(): string | null;
    };
  }
}

/**
 * Starts the worker and the frame loop; false when they already run. The designer (./designer.ts)
 * then opens the first board.
 */
export function startRunSession(): boolean {
  if (client) return false;
  client = new EmulatorClient();
  // Before the first board loads: it starts on the tier of the link, or the one chosen last time.
  void client.setTier(startingTier(location.search, typeof localStorage === 'undefined' ? undefined : localStorage));
  window.__boardlab = {
    terminalText: () => transcripts[0].toString(),
    terminalTextOf: streamText,
    snapshot: () => client?.snapshot() ?? null,
    inputWaiting: () => (client ? client.input.waiting + client.input.inFlight : 0),
    documentText: () => useBoardLab.getState().documentText,
  };
  // Step advances the CPU the debugger follows.
  useBoardLab.subscribe((state, previous) => {
    if (state.debugCpu !== previous.debugCpu) chooseStepCpu(state.debugCpu);
  });
  requestAnimationFrame(frame);
  return true;
}
