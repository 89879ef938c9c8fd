// The designer: the board document the user edits and everything that changes it — designer
// edits, the JSON view's Apply, undo / redo, copy / paste, selection and the shown view — and boards
// in and out: open (a file, a bundle, a dropped file, a share link, the autosave, an example),
// new, save, share, autosave, and the firmware files attached to the board. Every version of the
// document goes to the run session (./run-session.ts) to be loaded and run; the document's text
// lives in the store (./store.ts).
import { boardTextFromBytes, bundleDocumentName, isZip, machineTypeDocument, packBoardBundle, relativePath, startsWithElfMagic, unpackBoardBundle, unusableBoardTextProblem, type BoardDocument, type BoardProblem, type ObjectDocument } from '../graph/index.ts';
import { resolveBoardText } from './board-text.ts';
import type { LoadOptions } from '../workers/emulator.worker.ts';
import { defaultExample } from './examples.ts';
import { parsedDocument, useBoardLab, type DesignerView } from './store.ts';
import { documentText as formatDocument, History, pasteObjects, pathNames, withoutLayout } from './document-edit.ts';
import { downloadBytes, downloadText, loadAutosave, saveAutosave, sharedBoardFromHash, shareLinkFor, type ShareLink } from './persist.ts';
import { cpuTarget, filesToCarry, firmwareFileProblem, imageFormatOf, setCpuImage, setCpuImageEntry, targetCpu } from './board-firmware.ts';
import { addSourceImage, newSourceName, setSourceText, sourceTemplate } from './board-sources.ts';
import { objectOfPointer, sameEntry, type EdgeEntry } from './views.ts';
import { warmElk } from './elk.ts';
import { loadBoardText, reject, startRunSession } from './run-session.ts';
import { notify } from './notices.ts';

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
  setDesign(text, source);
  scheduleAutosave();
  syncHistoryFlags();
  return loadBoardText(text, source, boardFiles, options);
}

/**
 * Makes `bytes` (a file the user opened, called `name`) the firmware of a CPU of the board being
 * designed — `cpu`, else the selected CPU, else the first — as an undoable document edit: the CPU's
 * image entry names the file and the bytes are stored with the board. A file that is not firmware
 * is refused with the reason and changes nothing.
 */
export function openFirmware(bytes: Uint8Array, name: string, cpu?: string): Promise<boolean> {
  const design = designNow();
  const subject = `firmware ${name}`;
  const document = currentDocument();
  if (design.text === null) return Promise.resolve(reject(subject, [{ pointer: '', message: 'there is no board to run the firmware on', hint: 'Open a board first.' }]));
  if (!document) return Promise.resolve(reject(subject, [{ pointer: '', message: 'the board document is not valid JSON, so the firmware has no CPU to go to', hint: 'Fix the document in the editor (or undo), then open the firmware again.' }]));
  const target = cpu ?? targetCpu(document, useBoardLab.getState().selection);
  const problem = firmwareFileProblem(bytes, name, target === undefined ? undefined : cpuTarget(document, target));
  if (problem) return Promise.resolve(reject(subject, [problem]));
  if (target === undefined) {
    return Promise.resolve(reject(subject, [{ pointer: '/objects', message: `board ${document.name} has no CPU to run ${name} on`, hint: 'Add a CPU (drag rv32 from the palette onto a view), then open the firmware again.' }]));
  }
  storeBoardFile(name, bytes);
  const next = setCpuImage(document, target, name, imageFormatOf(bytes));
  // The same name again (a rebuilt file): the document does not change, the bytes did — load them.
  if (formatDocument(next) === design.text) return loadText(design.text, design.source);
  return editDocument(() => next);
}

/** Makes source `name` of the board the image of `cpu` (assembled when the board reloads, which this edit does). */
export function chooseSource(cpu: string, name: string): Promise<boolean> {
  return editDocument((document) => setCpuImageEntry(document, cpu, { cpu: relativePath(cpu), source: name }));
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
    const unusable = unusableBoardTextProblem(bundle.text);
    return unusable ? reject(name, [unusable]) : openBoard(bundle.text, name, bundle.files);
  }
  // Bytes that can never be a board (binary, UTF-16, too big, null, nested 100,000 deep) are refused
  // as they are: the design being edited stays, instead of becoming an unfixable draft.
  const text = boardTextFromBytes(bytes);
  if (!text.ok) return reject(name, [text.problem]);
  const unusable = unusableBoardTextProblem(text.text);
  return unusable ? reject(name, [unusable]) : openBoard(text.text, name);
}

/** A file dropped on the page: a board (.json, or a board bundle) opens; anything else is firmware for the board. */
export function openDroppedFile(bytes: Uint8Array, name: string): Promise<boolean> {
  return isZip(bytes) || name.endsWith('.json') ? openBoardBytes(bytes, name) : openFirmware(bytes, name);
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
 * Starts the run session (the worker and the frame loop), then opens the first of: what
 * `openFromAddress` opens (when it opens something), the board a share link carries, the autosaved board (recovered after a reload or crash), the default example.
 */
export function start(openFromAddress?: () => Promise<boolean>): void {
  if (!startRunSession()) return;
  warmElk();
  void (async () => {
    // Another kind of document the address names (a lesson: ./lesson-session.ts) comes first.
    if (openFromAddress !== undefined && (await openFromAddress())) return;
    const shared = await sharedBoardFromHash(location.hash);
    if (shared !== undefined) window.history.replaceState(null, '', location.pathname + location.search);
    const unusable = shared?.ok ? unusableBoardTextProblem(shared.text) : undefined;
    if (shared?.ok && unusable) notify(`the share link is damaged: ${unusable.message}`);
    else if (shared?.ok) {
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


/**
 * The document the designer edits: the running board's, or a rejected draft being fixed. The store
 * holds it (documentText, documentSource), so the views, the inspector, the JSON editor and the
 * run session see the same text.
 */
function designNow(): { text: string | null; source: string } {
  const { documentText, documentSource } = useBoardLab.getState();
  return { text: documentText, source: documentSource };
}

function setDesign(text: string, source: string): void {
  useBoardLab.setState({ documentText: text, documentSource: source });
}

/**
 * Past and undone versions of the document's text. Kept here, not in the store: nothing renders
 * the stacks, and History mutates them in place; the store holds what the views need from it
 * (canUndo, canRedo), synced by syncHistoryFlags().
 */
const undoHistory = new History();
let autosaveTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * The bytes of the files the user opened for this board, by the name its images give them (the
 * store holds their names, storedFiles; the bytes go only to the worker and into saved files). Kept for
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
    const design = designNow();
    if (design.text !== null) void saveAutosave({ text: design.text, source: design.source, savedAt: Date.now(), files: filesToCarry(currentDocument(), boardFiles) }).catch(() => undefined);
  }, 250);
}

function syncHistoryFlags(): void {
  const state = useBoardLab.getState();
  if (state.canUndo !== undoHistory.canUndo || state.canRedo !== undoHistory.canRedo) useBoardLab.setState({ canUndo: undoHistory.canUndo, canRedo: undoHistory.canRedo });
}

/** The board document the designer edits, parsed (null when there is none or it is not JSON). */
export function currentDocument(): BoardDocument | null {
  return parsedDocument(useBoardLab.getState());
}

/**
 * Does text `b` run the same machine as `a`? Node positions never change it; nor does the text of a
 * source: typing in the source editor is a document edit that keeps the guest running, and the
 * program is assembled and loaded when the user asks (assembleAndRun) or the board next reloads.
 */
function sameMachine(a: string, b: string): boolean {
  try {
    return JSON.stringify(machineOf(JSON.parse(a) as BoardDocument)) === JSON.stringify(machineOf(JSON.parse(b) as BoardDocument));
  } catch {
    return false;
  }
}

function machineOf(document: BoardDocument): unknown {
  const machine = withoutLayout(document);
  if (machine.sources === undefined) return machine;
  return { ...machine, sources: Object.fromEntries(Object.entries(machine.sources).map(([name, { text: _text, ...how }]) => [name, how])) };
}

function editedSource(): string {
  const design = designNow();
  return `${design.source.replace(/ \(edited\)$/, '')} (edited)`;
}

/** Makes `text` the document: a change of layout alone keeps the machine running; anything else reloads it. */
function commitText(text: string): Promise<boolean> {
  const design = designNow();
  const running = useBoardLab.getState().board;
  if (running && sameMachine(text, running.text)) {
    useBoardLab.setState({ documentText: text });
    scheduleAutosave();
    syncHistoryFlags();
    useBoardLab.setState({ board: { ...running, text }, problems: null });
    return Promise.resolve(true);
  }
  return loadText(text, design.source === '' ? 'new board' : editedSource());
}

/** Applies a designer edit to the document (undoable). `change` returns the next document, or undefined for no change. */
export function editDocument(change: (document: BoardDocument) => BoardDocument | undefined): Promise<boolean> {
  const design = designNow();
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
  const design = designNow();
  if (design.text !== null && text !== design.text) undoHistory.record(design.text);
  return commitText(text);
}

export function undo(): void {
  const design = designNow();
  if (design.text === null) return;
  const previous = undoHistory.undo(design.text);
  if (previous !== undefined) void commitText(previous);
  syncHistoryFlags();
}

export function redo(): void {
  const design = designNow();
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

/** The text of source `name` as typed in the source editor: an undoable document edit; the guest keeps running the program it has. */
export function editSourceText(name: string, text: string): Promise<boolean> {
  return editDocument((document) => setSourceText(document, name, text));
}

/**
 * Assemble and run: loads the document as it is now — every source assembled into its image — and
 * restarts the guest on it. A source that does not assemble is refused with its problems (at the
 * source's text, with line and column) and the running guest goes on as it was.
 */
export function assembleAndRun(): Promise<boolean> {
  const design = designNow();
  if (design.text === null) return Promise.resolve(false);
  return loadText(design.text, design.source);
}

/**
 * "New source": adds a source (main.s, or the next free name) with a starting program for the CPU
 * — the selected one, else the first — and makes it that CPU's image, undoably; the board reloads
 * and runs it. Refused with a reason on a board without a CPU the template has a program for.
 */
export function newSource(): Promise<string | undefined> {
  const document = currentDocument();
  const board = useBoardLab.getState().board?.resolved;
  const refuse = (problem: BoardProblem): Promise<undefined> => {
    reject('new source', [problem]);
    return Promise.resolve(undefined);
  };
  if (!document || !board) return refuse({ pointer: '', message: 'there is no running board to add a source to', hint: 'Open a board first (or fix the one in the editor).' });
  const cpu = targetCpu(document, useBoardLab.getState().selection);
  if (cpu === undefined) return refuse({ pointer: '/objects', message: `board ${document.name} has no CPU to run a source on`, hint: 'Add a CPU (drag rv32 from the palette onto a view) first.' });
  const name = newSourceName(document);
  const source = sourceTemplate(board, cpu, name);
  if (source === undefined) return refuse({ pointer: '/objects', message: `there is no starting program for ${relativePath(cpu)} (${board.objects.find((o) => o.path === cpu)?.type}) yet`, hint: 'Select a RISC-V hart or a Cortex-M core; or add "sources" to the document in the JSON editor.' });
  return editDocument((current) => addSourceImage(current, cpu, name, source)).then((ok) => (ok ? name : undefined));
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
  return loadText(formatDocument({ boardlab: 1, name: 'untitled', objects: {} }), 'untitled.board.json', { forgetBreakpoints: true });
}

/** Saves the board: a .board.json, or — when it carries files the user opened — a .board.zip with the document and those files. */
export function saveBoardFile(): void {
  const design = designNow();
  if (design.text === null) return;
  const name = bundleDocumentName(design.source);
  const files = filesToCarry(currentDocument(), boardFiles);
  if (files.size === 0) downloadText(design.text, name);
  else downloadBytes(packBoardBundle({ documentName: name, text: design.text, files }), name.replace(/\.json$/, '.zip'), 'application/zip');
}

/** A link that opens this board (and the files it carries), or why there is none: too long for a link. */
export function shareBoard(): Promise<ShareLink> {
  const design = designNow();
  return shareLinkFor(`${location.origin}${location.pathname}`, design.text ?? '', filesToCarry(currentDocument(), boardFiles), bundleDocumentName(design.source));
}
