// The QMP monitor console's session and transcript. The session lives in the emulator worker
// (src/workers/qmp-session.ts) and outlives the panel: hiding the console keeps it, and its events
// keep arriving. What the user typed and what the monitor wrote go into one transcript, each QMP
// line classified (greeting, reply, error, event) so the panel can show them apart.
import { create } from 'zustand';
import type { QmpConsoleOutput } from '../workers/emulator.worker.ts';
import { emulatorClient } from './controller.ts';
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

function append(entries: ConsoleEntry[]): void {
  if (entries.length === 0) return;
  const all = [...useQmpConsole.getState().entries, ...entries];
  useQmpConsole.setState({ entries: all.length > ENTRY_LIMIT ? all.slice(all.length - ENTRY_LIMIT) : all });
}

function received(batch: QmpConsoleOutput[]): void {
  const entries: ConsoleEntry[] = [];
  for (const item of batch) {
    if (item.kind === 'qmp') {
      for (const line of item.text.split('\r\n')) if (line !== '') entries.push({ seq: ++seq, ...classifyQmpLine(line) });
    } else {
      entries.push({ seq: ++seq, kind: item.kind, text: item.text });
    }
    if (item.kind === 'closed') endSession();
  }
  append(entries);
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
  connecting ??= client
    .qmpOpen(received)
    .then((id) => {
      sessionId = id;
      useQmpConsole.setState({ connected: true });
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
  const client = emulatorClient();
  if (sessionId === null || client === null) {
    append([{ seq: ++seq, kind: 'note', text: 'not connected: press Reconnect for a new session' }]);
    return;
  }
  await client.qmpFeed(sessionId, `${line}\n`);
}
