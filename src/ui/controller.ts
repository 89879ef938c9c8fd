// What the buttons and file inputs do. The only writer of the store: it loads boards into the
// worker (comlink), drives Run / Pause / Reset through the control words, sends typed input and
// button presses through the shared board I/O, and once per animation frame moves serial output
// into the terminal and the worker's stats and LED levels into the store.
import { firstCpuName, type BoardDocument, type BoardProblem } from '../graph/index.ts';
import { resolveBoardText } from './board-text.ts';
import { RunState, type ControlSnapshot } from '../workers/control.ts';
import { EmulatorClient } from './emulator-client.ts';
import { defaultExample } from './examples.ts';
import { fetchImages } from './images.ts';
import type { SerialSink } from './serial-drain.ts';
import { sameFlags, sameRunStats, useBoardLab, type BoardSource, type RunStats } from './store.ts';

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
const transcript = new Transcript();
let terminal: SerialSink | null = null;
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

/** Life-cycle states and events: fetched (comlink) when the worker says they changed, one call at a time. */
const info = { seenSeq: -1, seenSession: -1, seenState: -1, inFlight: false };

function refreshInfo(): void {
  if (!client || info.inFlight) return;
  info.inFlight = true;
  const seq = client.infoSeq();
  void client
    .inspect()
    .then((machine) => {
      info.seenSeq = seq;
      if (machine) useBoardLab.setState({ machine });
    })
    .catch(() => undefined)
    .finally(() => {
      info.inFlight = false;
    });
}

const sink: SerialSink = {
  clear() {
    transcript.clear();
    terminal?.clear();
  },
  write(bytes) {
    transcript.append(bytes);
    terminal?.write(bytes);
  },
};

/** The terminal view registers itself here; it gets what was printed before it mounted. */
export function attachTerminal(view: SerialSink): () => void {
  terminal = view;
  view.clear();
  const shown = transcript.toString();
  if (shown !== '') view.write(new TextEncoder().encode(shown));
  return () => {
    if (terminal === view) terminal = null;
  };
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
    if (terminal?.ready?.() ?? true) client.drainSerial(sink, BYTES_PER_FRAME);
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
    if (state.board && (client.infoSeq() !== info.seenSeq || snapshot.session !== info.seenSession || snapshot.state !== info.seenState)) {
      info.seenSession = snapshot.session;
      info.seenState = snapshot.state;
      refreshInfo();
    }
    for (const listener of frameListeners) listener(snapshot, now);
    if (run.state === RunState.CRASHED && !crashReported) {
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
    if (run.state !== RunState.CRASHED) crashReported = false;
  }
  requestAnimationFrame(frame);
}

function reject(subject: string, problems: BoardProblem[], text?: string): false {
  useBoardLab.setState({ problems: { subject, problems, text }, loading: false });
  return false;
}

/** Serialises loads: a second file opened while one loads waits its turn. */
function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const next = loadQueue.then(job, job);
  loadQueue = next.catch(() => undefined);
  return next;
}

async function loadSource(source: BoardSource, overrides: ReadonlyMap<string, Uint8Array>, firmware: string | null, subject: string): Promise<boolean> {
  if (!client) return reject(subject, [{ pointer: '', message: 'the emulator has not started', hint: 'Reload the page.' }]);
  useBoardLab.setState({ loading: true, candidate: source });
  // Problems of a board opened as a document point into its text; firmware problems do not.
  const documentText = firmware === null ? source.text : undefined;
  const images = await fetchImages(source.resolved, overrides);
  if (!images.ok) return reject(subject, images.problems, documentText);
  let result;
  try {
    result = await client.load(source.resolved, images.images);
  } catch (error) {
    return reject(subject, [{ pointer: '', message: `the emulator worker failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, hint: 'Reload the page.' }]);
  }
  if (!result.ok) return reject(subject, result.problems, documentText);
  client.input.clear();
  client.buttons.clear();
  client.leds.invalidate();
  useBoardLab.setState({
    board: { ...source, resolved: result.board, firmware },
    problems: null,
    loading: false,
    devices: result.devices,
    leds: result.devices.leds.map(() => false),
    ledCounts: result.devices.leds.map(() => 0),
    pressed: result.devices.buttons.map(() => false),
    machine: result.info,
  });
  client.run();
  return true;
}

/** Opens a board document (text) and runs it; on any problem the running board stays. */
export function openBoard(text: string, source: string): Promise<boolean> {
  return enqueue(async () => {
    const parsed = resolveBoardText(text);
    if (!parsed.ok) return reject(source, parsed.problems, text);
    return loadSource({ text, resolved: parsed.board, source }, new Map(), null, source);
  });
}

/**
 * Runs `bytes` as the firmware of the current board (the last one opened that resolved): it takes
 * the place of the board's first image, or becomes the first CPU's image if the board has none.
 */
export function openFirmware(bytes: Uint8Array, name: string): Promise<boolean> {
  return enqueue(async () => {
    const subject = `firmware ${name}`;
    const state = useBoardLab.getState();
    const target = state.candidate ?? state.board;
    if (!target) return reject(subject, [{ pointer: '', message: 'there is no board to run the firmware on', hint: 'Open a board first.' }]);
    let source: BoardSource = { text: target.text, resolved: target.resolved, source: target.source };
    let file = source.resolved.images[0]?.file;
    if (file === undefined) {
      const document = JSON.parse(source.text) as BoardDocument;
      const cpu = firstCpuName(document);
      if (cpu === undefined) return reject(subject, [{ pointer: '/objects', message: `board ${source.resolved.name} has no CPU to run firmware on`, hint: 'Add a CPU object (type "rv32") to the board.' }]);
      document.images = [{ cpu, file: name }];
      const text = JSON.stringify(document, null, 2) + '\n';
      const parsed = resolveBoardText(text);
      if (!parsed.ok) return reject(subject, parsed.problems);
      source = { text, resolved: parsed.board, source: source.source };
      file = name;
    }
    return loadSource(source, new Map([[file, bytes]]), name, subject);
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

/** Shows a problem's place in the board document editor. */
export function revealProblem(problem: BoardProblem): void {
  const seq = (useBoardLab.getState().reveal?.seq ?? 0) + 1;
  useBoardLab.setState({ reveal: { pointer: problem.pointer, message: problem.message, seq } });
}

export function dismissProblems(): void {
  useBoardLab.setState({ problems: null });
}

declare global {
  interface Window {
    /** Hooks for end-to-end tests and the curious: the terminal text and the raw control words. */
    __boardlab?: {
      terminalText(): string;
      snapshot(): ControlSnapshot | null;
      /** Typed bytes not yet taken by the worker (waiting in the page or in the input ring). */
      inputWaiting(): number;
    };
  }
}

/** Starts the worker and the frame loop, then opens the default example board. */
export function start(): void {
  if (client) return;
  client = new EmulatorClient();
  window.__boardlab = {
    terminalText: () => transcript.toString(),
    snapshot: () => client?.snapshot() ?? null,
    inputWaiting: () => (client ? client.input.waiting + client.input.inFlight : 0),
  };
  requestAnimationFrame(frame);
  const example = defaultExample();
  if (example) void openBoard(example.text, example.file);
  else reject('examples', [{ pointer: '', message: 'no example boards were bundled', hint: 'Add examples/*.board.json and rebuild.' }]);
}
