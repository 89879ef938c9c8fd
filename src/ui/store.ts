// The UI's single source of truth: the board document the designer edits (its text), the board that
// runs (its document text and resolved form), the problems of the last rejected input, and the run
// state the worker reports. Views only read it; the designer (./designer.ts), the run session
// (./run-session.ts) and the notices (./notices.ts) write it.
import { create } from 'zustand';
import type { BoardDocument, BoardProblem, ModuleAvailability, ResolvedBoard } from '../graph/index.ts';
import { WorkerRunState } from '../workers/control.ts';
import type { BoardDevices, MachineInfo, SharedMemory } from '../workers/emulator.worker.ts';
import type { EdgeEntry, ViewName } from './views.ts';
import type { GuestProblem } from './guest-status.ts';

/** A share link a notice shows: copied to the clipboard, or selected for copying by hand. */
export interface SharedLink {
  url: string;
  copied: boolean;
}

/** What a notice is about, when something must find it again ('pause': why the guest paused; another board drops it). */
export type NoticeTopic = 'pause';

/** An action a message offers beside its close button: 'save-file' saves the board (a share link too long to make). */
export type NoticeOffer = 'save-file';

/** A message shown over the canvas (./components/Notices.tsx). */
export interface Notice {
  text: string;
  /** Bumped for every message, so the same text shown again is a new message. */
  seq: number;
  topic?: NoticeTopic;
  link?: SharedLink;
  offer?: NoticeOffer;
}

/** The graph area's tab: the overview (everything in one drawing) or one of the four views. */
export type DesignerView = 'overview' | ViewName;

export interface BoardSource {
  /** The board document as text, exactly as opened. */
  text: string;
  resolved: ResolvedBoard;
  /** Where it came from: an example's file name or the name of an opened file. */
  source: string;
}

/** The board the worker runs; its firmware is what its document's images name (firmware is part of the board). */
export type RunningBoard = BoardSource;

export interface ProblemReport {
  /** What was rejected, e.g. "broken.board.json" or "firmware notes.txt". */
  subject: string;
  problems: BoardProblem[];
  /** The rejected board document's text, when a document was rejected (the editor shows it, marked). */
  text?: string;
}

export interface RunStats {
  state: WorkerRunState;
  exitCode: number;
  instructions: number;
  ips: number;
}

export interface BoardLabState {
  /** The board document the designer edits, as text: the running board's, or a rejected draft being fixed (null before the first board). */
  documentText: string | null;
  /** Where that document came from: an example's or a file's name (marked " (edited)" once edited; '' before the first board). */
  documentSource: string;
  /** The board the worker runs (the last one that loaded). */
  board: RunningBoard | null;
  /** The last board document opened that resolved, even if its images failed: firmware applies to it. */
  candidate: BoardSource | null;
  problems: ProblemReport | null;
  /** The assembler's warnings about the board's sources at the last load that assembled them (whether or not it ran): markers in the source editor. */
  assemblerWarnings: readonly BoardProblem[];
  /** A load is in flight. */
  loading: boolean;
  /** The last problem the user asked to see in the editor (seq tells repeated clicks apart). */
  reveal: { pointer: string; message: string; seq: number } | null;
  run: RunStats;
  /** The running machine's UART, LEDs, buttons and framebuffers (from the worker at load). */
  devices: BoardDevices;
  /** LED i shows lit (by LedInfo.index). */
  leds: readonly boolean[];
  /** How many times LED i turned on since the board was loaded. */
  ledCounts: readonly number[];
  /** Button i is held down in the page (by ButtonInfo.index). */
  pressed: readonly boolean[];
  /** Life-cycle states and engine events of the running machine. */
  machine: MachineInfo | null;
  /** The designer: the view shown over the graph area. */
  view: DesignerView;
  /** The selected object's path (the inspector shows it). */
  selection: string | null;
  /** The selected wire or mapping (the inspector shows it while no object is selected). */
  selectedEdge: EdgeEntry | null;
  /** The CPU the debugger follows (its code, its registers on a heterogeneous board; Step advances it): chosen in the code view or by selecting a CPU in a view. */
  debugCpu: string | null;
  /** Composites collapsed in the composition view. */
  collapsed: readonly string[];
  canUndo: boolean;
  canRedo: boolean;
  /** Real-time pacing is on. */
  pacing: boolean;
  /** The running machine's RAM, shared with the worker (read live by the memory viewer). */
  sharedRam: readonly SharedMemory[];
  /** A short message about the last refused designer action (an incompatible wire, a bad name). */
  notice: Notice | null;
  /** Names of the files the user opened that are stored with the board (its images may name them). */
  storedFiles: readonly string[];
  /** What the running guest does wrong (CPUs without firmware, access faults, trap loops), from the machine info. */
  guestProblems: readonly GuestProblem[];
  /** Engine modules the worker has tried to load, by name: the palette disables the types of one that failed. */
  modules: Readonly<Record<string, ModuleAvailability>>;
}

export const NO_DEVICES: BoardDevices = { uart: null, serial: [], leds: [], buttons: [], framebuffers: [] };

export const initialRunStats: RunStats = { state: WorkerRunState.EMPTY, exitCode: 0, instructions: 0, ips: 0 };

export const useBoardLab = create<BoardLabState>()(() => ({
  documentText: null,
  documentSource: '',
  board: null,
  candidate: null,
  problems: null,
  assemblerWarnings: [],
  loading: false,
  reveal: null,
  run: initialRunStats,
  devices: NO_DEVICES,
  leds: [],
  ledCounts: [],
  pressed: [],
  machine: null,
  view: 'overview',
  selection: null,
  selectedEdge: null,
  debugCpu: null,
  collapsed: [],
  canUndo: false,
  canRedo: false,
  notice: null,
  pacing: false,
  sharedRam: [],
  storedFiles: [],
  guestProblems: [],
  modules: {},
}));

/** The designer's document (documentText) parsed; null when there is none or it is not JSON. */
export function parsedDocument(state: Pick<BoardLabState, 'documentText'>): BoardDocument | null {
  if (state.documentText === null) return null;
  try {
    return JSON.parse(state.documentText) as BoardDocument;
  } catch {
    return null;
  }
}

export function sameFlags<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

export function sameRunStats(a: RunStats, b: RunStats): boolean {
  return a.state === b.state && a.exitCode === b.exitCode && a.instructions === b.instructions && a.ips === b.ips;
}
