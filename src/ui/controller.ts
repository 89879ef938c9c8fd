// What the buttons and file inputs do. The only writer of the store: it loads boards into the
// worker (comlink), drives Run / Pause / Reset through the control words, sends typed input and
// button presses through the shared board I/O, and once per animation frame moves serial output
// into the terminal and the worker's stats and LED levels into the store.
import { bundleDocumentName, isZip, machineTypeDocument, packBoardBundle, relativePath, startsWithElfMagic, unpackBoardBundle, type BoardDocument, type BoardProblem, type ObjectDocument } from '../graph/index.ts';
import { boardOrigin, resolveBoardText } from './board-text.ts';
import { RunState, type ControlSnapshot } from '../workers/control.ts';
import type { HartRegisters, LoadOptions } from '../workers/emulator.worker.ts';
import { EmulatorClient } from './emulator-client.ts';
import { defaultExample } from './examples.ts';
import { fetchImages } from './images.ts';
import type { SerialSink } from './serial-drain.ts';
import { sameFlags, sameRunStats, useBoardLab, type BoardSource, type DesignerView, type Notice, type NoticeTopic, type RunStats } from './store.ts';
import { documentText as formatDocument, History, pasteObjects, pathNames, withoutLayout } from './document-edit.ts';
import { downloadBytes, downloadText, loadAutosave, saveAutosave, sharedBoardFromHash, shareLinkFor, type ShareLink } from './persist.ts';
import { filesToCarry, firmwareFileProblem, imageFormatOf, setCpuImage, targetCpu } from './board-firmware.ts';
import { objectOfPointer, sameEntry, type EdgeEntry } from './views.ts';
import { sampleActivity } from './activity.ts';
import { warmElk } from './elk.ts';
import { faultStopNotice, guestProblemsOf, sameGuestProblems } from './guest-status.ts';
import type { MachineInfo } from '../workers/emulator.worker.ts';

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
    sampleActivity(client.activity, state.board?.resolved ?? null, now);
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

async function loadSource(source: BoardSource, files: ReadonlyMap<string, Uint8Array>, subject: string, options: LoadOptions = {}): Promise<boolean> {
  if (!client) return reject(subject, [{ pointer: '', message: 'the emulator has not started', hint: 'Reload the page.' }]);
  useBoardLab.setState({ loading: true, candidate: source });
  performance.mark('boardlab:fetch-images');
  // Problems point into the document's text (firmware is part of the document too).
  const documentText = source.text;
  const images = await fetchImages(source.resolved, files);
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
  design.text = source.text;
  design.source = source.source;
  useBoardLab.setState({
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
  const loaded = client;
  void loaded
    .sharedMemory()
    .then((sharedRam) => useBoardLab.setState({ sharedRam }))
    .catch(() => useBoardLab.setState({ sharedRam: [] }));
  return true;
}

/**
 * Opens a board document (text, and the files stored with it) and runs it; on any problem the
 * running board stays. Another board: the previous one's breakpoints and pause message go when it loads.
 */
export function openBoard(text: string, source: string, files: ReadonlyMap<string, Uint8Array> = new Map()): Promise<boolean> {
  undoHistory.clear();
  setBoardFiles(files);
  return loadText(text, source, { forgetBreakpoints: true });
}

/** Loads a board text; the designer edits it from now on (a rejected text too: it is the draft to fix). */
function loadText(text: string, source: string, options: LoadOptions = {}): Promise<boolean> {
  design.text = text;
  design.source = source;
  scheduleAutosave();
  syncHistoryFlags();
  return enqueue(async () => {
    performance.mark('boardlab:resolve');
    const parsed = resolveBoardText(text);
    if (!parsed.ok) return reject(source, parsed.problems, text);
    return loadSource({ text, resolved: parsed.board, source }, boardFiles, source, options);
  });
}

/**
 * Makes `bytes` (a file the user opened, called `name`) the firmware of a CPU of the board being
 * designed — `cpu`, else the selected CPU, else the first — as an undoable document edit: the CPU's
 * image entry names the file and the bytes are stored with the board. A file that is not firmware
 * is refused with the reason and changes nothing.
 */
export function openFirmware(bytes: Uint8Array, name: string, cpu?: string): Promise<boolean> {
  const subject = `firmware ${name}`;
  const document = currentDocument();
  if (design.text === null) return Promise.resolve(reject(subject, [{ pointer: '', message: 'there is no board to run the firmware on', hint: 'Open a board first.' }]));
  if (!document) return Promise.resolve(reject(subject, [{ pointer: '', message: 'the board document is not valid JSON, so the firmware has no CPU to go to', hint: 'Fix the document in the editor (or undo), then open the firmware again.' }]));
  const problem = firmwareFileProblem(bytes, name);
  if (problem) return Promise.resolve(reject(subject, [problem]));
  const target = cpu ?? targetCpu(document, useBoardLab.getState().selection);
  if (target === undefined) {
    return Promise.resolve(reject(subject, [{ pointer: '/objects', message: `board ${document.name} has no CPU to run ${name} on`, hint: 'Add a CPU (drag rv32 from the palette onto a view), then open the firmware again.' }]));
  }
  storeBoardFile(name, bytes);
  const next = setCpuImage(document, target, name, imageFormatOf(bytes));
  // The same name again (a rebuilt file): the document does not change, the bytes did — load them.
  if (formatDocument(next) === design.text) return loadText(design.text, design.source);
  return editDocument(() => next);
}

/** Makes a file the board already knows (bundled firmware, or a file stored with it) the image of `cpu`; undefined removes it. */
export function chooseFirmware(cpu: string, file: string | undefined): Promise<boolean> {
  return editDocument((document) => setCpuImage(document, cpu, file));
}

/**
 * A file given to "Open board…": a board document, a board bundle (.board.zip: the document and its
 * files), or — recognised by its first bytes, whatever its name — an ELF, which is opened as firmware.
 */
export async function openBoardBytes(bytes: Uint8Array, name: string): Promise<boolean> {
  if (startsWithElfMagic(bytes)) {
    const document = currentDocument();
    const cpu = document ? targetCpu(document, useBoardLab.getState().selection) : undefined;
    const opened = await openFirmware(bytes, name);
    if (opened && cpu !== undefined) notify(`${name} is an ELF firmware, not a board: ${relativePath(cpu)} runs it`);
    return opened;
  }
  if (isZip(bytes)) {
    const bundle = unpackBoardBundle(bytes);
    if (!bundle.ok) return reject(name, bundle.problems);
    return openBoard(bundle.text, name, bundle.files);
  }
  return openBoard(new TextDecoder().decode(bytes), name);
}

/** A file dropped on the page: a board (.json, or a board bundle) opens; anything else is firmware for the board. */
export function openDroppedFile(bytes: Uint8Array, name: string): Promise<boolean> {
  return isZip(bytes) || name.endsWith('.json') ? openBoardBytes(bytes, name) : openFirmware(bytes, name);
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

/** Shows a problem's place in the board document editor. */
export function revealProblem(problem: BoardProblem): void {
  const state = useBoardLab.getState();
  const seq = (state.reveal?.seq ?? 0) + 1;
  const named = /^\/objects\/([^/]+)/.exec(problem.pointer);
  const object = (state.board ? objectOfPointer(state.board.resolved, problem.pointer) : undefined) ?? (named ? `/machine/${named[1]}` : undefined);
  useBoardLab.setState({ reveal: { pointer: problem.pointer, message: problem.message, seq }, ...(object !== undefined && { selection: object }) });
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
      /** The board document the designer edits (the running board's text, or the draft). */
      documentText(): string | null;
    };
  }
}

let settleFirstOpen: () => void = () => undefined;
const firstOpen = new Promise<void>((resolve) => {
  settleFirstOpen = resolve;
});

/**
 * Resolves once the page's first board has been opened (running, or rejected with its problems).
 * Heavy parts that are not needed to see the guest run (the document editor) wait for it, so that
 * loading them does not hold up the first board on the page's main thread.
 */
export function firstBoardOpened(): Promise<void> {
  return firstOpen;
}

/**
 * Starts the worker and the frame loop, then opens the first of: the board a share link carries,
 * the autosaved board (recovered after a reload or crash), the default example.
 */
export function start(): void {
  if (client) return;
  client = new EmulatorClient();
  warmElk();
  window.__boardlab = {
    terminalText: () => transcript.toString(),
    snapshot: () => client?.snapshot() ?? null,
    inputWaiting: () => (client ? client.input.waiting + client.input.inFlight : 0),
    documentText: () => design.text,
  };
  requestAnimationFrame(frame);
  void (async () => {
    const shared = await sharedBoardFromHash(location.hash);
    if (shared !== undefined) window.history.replaceState(null, '', location.pathname + location.search);
    if (shared?.ok) {
      notify('opened the board from the share link');
      await openBoard(shared.text, 'shared board', shared.files);
      return;
    }
    if (shared && !shared.ok) notify(shared.reason);
    const autosave = loadAutosave();
    // While IndexedDB answers (a fresh browser profile takes ~200 ms to create its database),
    // resolve the default board once: that compiles the schema validator, so whichever board
    // opens next resolves at once.
    const example = defaultExample();
    if (example) resolveBoardText(example.text);
    const saved = await autosave;
    if (saved !== undefined) {
      notify(`recovered the autosaved board (${new Date(saved.savedAt).toLocaleTimeString()})`);
      await openBoard(saved.text, saved.source, saved.files instanceof Map ? saved.files : new Map());
      return;
    }
    if (example) await openBoard(example.text, example.file);
    else reject('examples', [{ pointer: '', message: 'no example boards were bundled', hint: 'Add examples/*.board.json and rebuild.' }]);
  })().finally(() => settleFirstOpen());
}

// ---- The designer: edits of the board document, undo/redo, selection, boards in and out ----

/** The document the designer edits: the running board's, or a rejected draft being fixed. */
const design: { text: string | null; source: string } = { text: null, source: '' };
const undoHistory = new History();
let autosaveTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * The bytes of the files the user opened for this board, by the name its images give them. Kept for
 * the whole session of the board (an undone edit may name a file again); autosave, Save and Share
 * carry the ones the document names.
 */
let boardFiles = new Map<string, Uint8Array>();

function setBoardFiles(files: ReadonlyMap<string, Uint8Array>): void {
  boardFiles = new Map(files);
  useBoardLab.setState({ storedFiles: [...boardFiles.keys()].sort() });
}

function storeBoardFile(name: string, bytes: Uint8Array): void {
  boardFiles.set(name, bytes);
  useBoardLab.setState({ storedFiles: [...boardFiles.keys()].sort() });
}

function scheduleAutosave(): void {
  clearTimeout(autosaveTimer);
  autosaveTimer = setTimeout(() => {
    if (design.text !== null) void saveAutosave({ text: design.text, source: design.source, savedAt: Date.now(), files: filesToCarry(currentDocument(), boardFiles) }).catch(() => undefined);
  }, 250);
}

function syncHistoryFlags(): void {
  const state = useBoardLab.getState();
  if (state.canUndo !== undoHistory.canUndo || state.canRedo !== undoHistory.canRedo) useBoardLab.setState({ canUndo: undoHistory.canUndo, canRedo: undoHistory.canRedo });
}

/** The board document the designer edits, parsed (null when there is none or it is not JSON). */
export function currentDocument(): BoardDocument | null {
  if (design.text === null) return null;
  try {
    return JSON.parse(design.text) as BoardDocument;
  } catch {
    return null;
  }
}

function sameMachine(a: string, b: string): boolean {
  try {
    return JSON.stringify(withoutLayout(JSON.parse(a) as BoardDocument)) === JSON.stringify(withoutLayout(JSON.parse(b) as BoardDocument));
  } catch {
    return false;
  }
}

function editedSource(): string {
  return `${design.source.replace(/ \(edited\)$/, '')} (edited)`;
}

/** Makes `text` the document: a change of layout alone keeps the machine running; anything else reloads it. */
function commitText(text: string): Promise<boolean> {
  const running = useBoardLab.getState().board;
  if (running && sameMachine(text, running.text)) {
    design.text = text;
    scheduleAutosave();
    syncHistoryFlags();
    useBoardLab.setState({ board: { ...running, text }, problems: null });
    return Promise.resolve(true);
  }
  return loadText(text, design.source === '' ? 'new board' : editedSource());
}

/** Applies a designer edit to the document (undoable). `change` returns the next document, or undefined for no change. */
export function editDocument(change: (document: BoardDocument) => BoardDocument | undefined): Promise<boolean> {
  const document = currentDocument();
  if (!document || design.text === null) return Promise.resolve(false);
  const next = change(document);
  if (next === undefined) return Promise.resolve(false);
  const text = formatDocument(next);
  if (text === design.text) return Promise.resolve(true);
  undoHistory.record(design.text);
  return commitText(text);
}

/** Replaces the document with edited text (the JSON view's Apply), undoably. */
export function applyDocumentText(text: string): Promise<boolean> {
  if (design.text !== null && text !== design.text) undoHistory.record(design.text);
  return commitText(text);
}

export function undo(): void {
  if (design.text === null) return;
  const previous = undoHistory.undo(design.text);
  if (previous !== undefined) void commitText(previous);
  syncHistoryFlags();
}

export function redo(): void {
  if (design.text === null) return;
  const next = undoHistory.redo(design.text);
  if (next !== undefined) void commitText(next);
  syncHistoryFlags();
}

export function select(path: string | null): void {
  const state = useBoardLab.getState();
  if (state.selection !== path || state.selectedEdge !== null) useBoardLab.setState({ selection: path, selectedEdge: null });
}

/** Selects a wire or mapping (an edge of a view) instead of an object. */
export function selectEdge(entry: EdgeEntry | null): void {
  const state = useBoardLab.getState();
  if (state.selection !== null || !sameEntry(state.selectedEdge, entry) || state.selectedEdge?.key !== entry?.key) useBoardLab.setState({ selection: null, selectedEdge: entry });
}

export function showView(view: DesignerView): void {
  useBoardLab.setState({ view });
}

export function toggleCollapsed(path: string): void {
  const { collapsed } = useBoardLab.getState();
  useBoardLab.setState({ collapsed: collapsed.includes(path) ? collapsed.filter((p) => p !== path) : [...collapsed, path] });
}

/** Shows a message over the canvas; its seq tells it from the one before (the same text again shows again). */
function showNotice(notice: Omit<Notice, 'seq'>): void {
  const seq = (useBoardLab.getState().notice?.seq ?? 0) + 1;
  useBoardLab.setState({ notice: { ...notice, seq } });
}

/** Shows a short message (a refused wire, a bad name, a recovered board; `topic` 'pause': why the guest paused). */
export function notify(text: string, topic?: NoticeTopic): void {
  showNotice({ text, ...(topic !== undefined && { topic }) });
}

/** Shows a share link: copied to the clipboard, or (no clipboard) selected for copying by hand. */
export function notifyLink(url: string, copied: boolean): void {
  showNotice({ text: copied ? 'Link copied to the clipboard' : 'The clipboard is not available: copy the link (it is selected)', link: { url, copied } });
}

/** Says a share link would be too long (the board's firmware makes it so) and offers to save the file instead. */
export function notifyShareTooLong(length: number, limit: number): void {
  showNotice({ text: `This board and its firmware make a ${Math.ceil(length / 1024)} KiB link, over the ${limit / 1024} KiB a link can carry: share the saved file instead.`, offer: 'save-file' });
}

/** Hides the notice (its close button). */
export function dismissNotice(): void {
  useBoardLab.setState({ notice: null });
}

/** Drops a message about why the previous board's guest paused (another board runs now). */
function forgetPauseNotice(): void {
  if (useBoardLab.getState().notice?.topic === 'pause') useBoardLab.setState({ notice: null });
}

let clipboard: Record<string, ObjectDocument> | null = null;

/** Copies the selected object (its document entry, or its type for an inherited one). */
export function copySelection(): boolean {
  const { selection, board } = useBoardLab.getState();
  const document = currentDocument();
  if (!selection || !document || !board) return false;
  const names = pathNames(selection);
  if (names.length !== 1) return false;
  const entry = document.objects[names[0]];
  const resolved = board.resolved.objects.find((o) => o.path === selection);
  const copy: ObjectDocument | undefined = entry ? structuredClone(entry) : resolved ? { type: resolved.type } : undefined;
  if (!copy) return false;
  clipboard = { [names[0]]: copy };
  return true;
}

export function pasteClipboard(): void {
  if (!clipboard) return;
  const objects = clipboard;
  let pasted: string[] = [];
  void editDocument((document) => {
    const result = pasteObjects(document, objects, useBoardLab.getState().board?.resolved.objects.map((o) => o.name) ?? []);
    pasted = result.names;
    return result.document;
  }).then(() => {
    if (pasted[0]) select(`/machine/${pasted[0]}`);
  });
}

/** Starts a new board from a machine type (its document, which extends the type). */
export function newBoardFromMachineType(reference: string): Promise<boolean> {
  const document = machineTypeDocument(reference);
  if (!document) {
    notify(`there is no machine type ${reference}`);
    return Promise.resolve(false);
  }
  return openBoard(formatDocument(document), `${document.name}.board.json`);
}

/** An empty board: no objects (the canvas to build on). */
export function newEmptyBoard(): Promise<boolean> {
  undoHistory.clear();
  setBoardFiles(new Map());
  design.text = formatDocument({ boardlab: 1, name: 'untitled', objects: {} });
  design.source = 'untitled.board.json';
  return loadText(design.text, design.source, { forgetBreakpoints: true });
}

/** Saves the board: a .board.json, or — when it carries files the user opened — a .board.zip with the document and those files. */
export function saveBoardFile(): void {
  if (design.text === null) return;
  const name = bundleDocumentName(design.source);
  const files = filesToCarry(currentDocument(), boardFiles);
  if (files.size === 0) downloadText(design.text, name);
  else downloadBytes(packBoardBundle({ documentName: name, text: design.text, files }), name.replace(/\.json$/, '.zip'), 'application/zip');
}

/** A link that opens this board (and the files it carries), or why there is none: too long for a link. */
export function shareBoard(): Promise<ShareLink> {
  return shareLinkFor(`${location.origin}${location.pathname}`, design.text ?? '', filesToCarry(currentDocument(), boardFiles), bundleDocumentName(design.source));
}
