// The QMP monitor console's session and transcript. The session lives in the emulator worker
// (src/workers/qmp-session.ts) and outlives the panel: hiding the console keeps it, and its events
// keep arriving. What the user typed and what the monitor wrote go into one transcript, each QMP
// line classified (greeting, reply, error, event) so the panel can show them apart.
//
// As QEMU's own clients do (qmp-shell, libvirt), the console negotiates capabilities by itself: when
// a session's greeting arrives it sends qmp_capabilities, so the first command the user types
// works. The exchange stays in the transcript (the request marked as the console's) for those who
// want to see the protocol; a Reconnect negotiates again.
import { create } from 'zustand';
import type { QmpConsoleOutput } from '../workers/emulator.worker.ts';
import { emulatorClient } from './run-session.ts';
import { classifyQmpLine, openBraces, type ConsoleEntry } from './qmp-format.ts';

export interface QmpConsoleState {
  entries: readonly ConsoleEntry[];
  /** A session is open (false before connecting, and after quit ended it). */
  connected: boolean;
  /** Requests sent, oldest first (Up/Down in the input walk them). */
  history: readonly string[];
}

/** Lines kept in the transcript. */
const ENTRY_LIMIT = 500;
const HISTORY_LIMIT = 100;

export const useQmpConsole = create<QmpConsoleState>()(() => ({ entries: [], connected: false, history: [] }));

let sessionId: number | null = null;
let connecting: Promise<void> | null = null;
let seq = 0;

/** What the console sends by itself once a session's greeting arrives. */
export const CAPABILITIES_REQUEST = '{"execute": "qmp_capabilities"}';

/** A session was opened and its first output (the greeting, or a note that it comes later) has not arrived yet. */
let firstOutput: { resolve: () => void } | null = null;
/** The console's own qmp_capabilities, in flight or answered (null before the greeting). */
let negotiation: Promise<void> | null = null;
/** The greeting arrived before the session's id did: negotiate as soon as the id is known. */
let greetedBeforeId = false;

function append(entries: ConsoleEntry[]): void {
  if (entries.length === 0) return;
  const all = [...useQmpConsole.getState().entries, ...entries];
  useQmpConsole.setState({ entries: all.length > ENTRY_LIMIT ? all.slice(all.length - ENTRY_LIMIT) : all });
}

function received(batch: QmpConsoleOutput[]): void {
  const entries: ConsoleEntry[] = [];
  let greeted = false;
  for (const item of batch) {
    if (item.kind === 'qmp') {
      for (const line of item.text.split('\r\n')) {
        if (line === '') continue;
        const entry = classifyQmpLine(line);
        if (entry.kind === 'greeting') greeted = true;
        entries.push({ seq: ++seq, ...entry });
      }
    } else {
      entries.push({ seq: ++seq, kind: item.kind, text: item.text });
    }
    if (item.kind === 'closed') endSession();
  }
  append(entries);
  if (greeted) {
    if (sessionId !== null) negotiation = negotiate(sessionId);
    else greetedBeforeId = true;
  }
  firstOutput?.resolve();
  firstOutput = null;
}

/** Sends qmp_capabilities for the user, as a QMP client does right after the greeting. */
async function negotiate(id: number): Promise<void> {
  const client = emulatorClient();
  if (client === null) return;
  append([{ seq: ++seq, kind: 'input', text: CAPABILITIES_REQUEST, byConsole: true }]);
  try {
    await client.qmpFeed(id, `${CAPABILITIES_REQUEST}\n`);
  } catch (error) {
    append([{ seq: ++seq, kind: 'note', text: `could not negotiate capabilities: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

function endSession(): void {
  const id = sessionId;
  sessionId = null;
  useQmpConsole.setState({ connected: false });
  if (id !== null) void emulatorClient()?.qmpClose(id);
}

/** Opens a session if none is open (the greeting arrives as the first entry). */
export function connectQmp(): Promise<void> {
  if (sessionId !== null) return Promise.resolve();
  const client = emulatorClient();
  if (client === null) return Promise.resolve();
  if (connecting !== null) return connecting;
  negotiation = null;
  greetedBeforeId = false;
  // Resolves with the session's first output: a request typed before the greeting waits for it.
  const greeted = new Promise<void>((resolve) => (firstOutput = { resolve }));
  connecting = client
    .qmpOpen(received)
    .then((id) => {
      sessionId = id;
      useQmpConsole.setState({ connected: true });
      if (greetedBeforeId) {
        greetedBeforeId = false;
        negotiation = negotiate(id);
      }
      return greeted;
    })
    .catch((error: unknown) => append([{ seq: ++seq, kind: 'note', text: `cannot open a QMP session: ${error instanceof Error ? error.message : String(error)}` }]))
    .finally(() => {
      connecting = null;
    });
  return connecting;
}

/** Ends the session and opens a new one (it starts again with the greeting and negotiation). */
export async function reconnectQmp(): Promise<void> {
  await connecting;
  if (sessionId !== null) {
    append([{ seq: ++seq, kind: 'note', text: 'session closed by the console' }]);
    endSession();
  }
  await connectQmp();
}

export function clearQmpConsole(): void {
  useQmpConsole.setState({ entries: [] });
}

/** Sends what the user typed (one or more JSON requests) to the monitor. */
export async function sendQmp(text: string): Promise<void> {
  const line = text.trim();
  if (line === '') return;
  const { history } = useQmpConsole.getState();
  const nextHistory = history[history.length - 1] === line ? history : [...history, line].slice(-HISTORY_LIMIT);
  useQmpConsole.setState({ history: nextHistory });
  append([{ seq: ++seq, kind: 'input', text: line }]);
  if (openBraces(line) > 0) append([{ seq: ++seq, kind: 'note', text: 'the JSON is not complete yet: the monitor waits for the rest of it (Reconnect starts over)' }]);
  await connecting;
  await negotiation; // the user's request goes after the console's qmp_capabilities
  const client = emulatorClient();
  if (sessionId === null || client === null) {
    append([{ seq: ++seq, kind: 'note', text: 'not connected: press Reconnect for a new session' }]);
    return;
  }
  await client.qmpFeed(sessionId, `${line}\n`);
}
