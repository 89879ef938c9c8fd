// The open lesson: which lesson, which step, how many of its hints are shown, and what the running
// board did that its run checks look at (polled from the worker, which observes the machines it
// builds while a lesson is open: ../engine/lesson-run.ts). Board checks are evaluated on the board
// being designed, on every edit, by the panel (./components/LessonPanel.tsx).
import { create } from 'zustand';
import { parseLesson, registerWatches, type LessonDocument, type RunObservations } from '../graph/index.ts';
import { openBoard } from './designer.ts';
import { emulatorClient, reject } from './run-session.ts';
import { notify } from './notices.ts';
import { defaultExample } from './examples.ts';
import { LESSON_HASH_PREFIX, lessonLocation } from './lesson-link.ts';

export interface LessonState {
  lesson: LessonDocument | null;
  /** The lesson's text as opened (for its link). */
  text: string;
  /** Where it came from: a gallery file, a file name, "lesson link". */
  source: string;
  step: number;
  /** Hints of the current step shown so far. */
  hintsShown: number;
  /** What the running board did (null before it runs or when no lesson is open). */
  run: RunObservations | null;
}

export const useLesson = create<LessonState>()(() => ({ lesson: null, text: '', source: '', step: 0, hintsShown: 0, run: null }));

/** How often the panel asks the worker what the running board did. */
const POLL_MS = 250;
let poll: ReturnType<typeof setInterval> | undefined;

function pollObservations(): void {
  clearInterval(poll);
  poll = setInterval(() => {
    const client = emulatorClient();
    if (!client || useLesson.getState().lesson === null) return;
    void client.lessonObservations().then((run) => {
      if (useLesson.getState().lesson !== null) useLesson.setState({ run });
    });
  }, POLL_MS);
}

/**
 * Opens a lesson from its text: its starting board replaces the board being designed, and the
 * panel shows its first step. A bad lesson is refused with its problems (JSON Pointers and hints)
 * in the problems panel, and nothing else changes.
 */
export async function openLessonText(text: string, source: string): Promise<boolean> {
  const result = parseLesson(text);
  if (!result.ok) return reject(`lesson ${source}`, result.problems);
  const lesson = result.lesson;
  await emulatorClient()?.watchLesson(registerWatches(lesson));
  useLesson.setState({ lesson, text, source, step: 0, hintsShown: 0, run: null });
  pollObservations();
  return openBoard(JSON.stringify(lesson.board, null, 2) + '\n', `lesson: ${lesson.title}`);
}

export function closeLesson(): void {
  clearInterval(poll);
  void emulatorClient()?.watchLesson(null);
  useLesson.setState({ lesson: null, text: '', source: '', step: 0, hintsShown: 0, run: null });
}

export function goToStep(step: number): void {
  const { lesson } = useLesson.getState();
  if (lesson === null) return;
  useLesson.setState({ step: Math.max(0, Math.min(lesson.steps.length - 1, step)), hintsShown: 0 });
}

export function revealHint(): void {
  useLesson.setState((s) => ({ hintsShown: s.hintsShown + 1 }));
}

/**
 * At page start: opens the lesson the address names (in its hash or as ?lesson=<file>); true when
 * it named one (opened, or refused with the reason), so the page opens no other board.
 */
export async function openLessonFromAddress(): Promise<boolean> {
  const where = lessonLocation(location.href);
  if (where === undefined) return false;
  if (location.hash.startsWith(LESSON_HASH_PREFIX)) window.history.replaceState(null, '', location.pathname + location.search);
  if (where.kind === 'damaged') return refuse(where.reason);
  if (where.kind === 'inline') return openFromAddress(where.text, 'lesson link');
  let text: string;
  try {
    const response = await fetch(where.url);
    if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`.trim());
    // A server that answers every unknown address with the page itself (a single-page-app fallback) has no such file.
    if (response.headers.get('content-type')?.includes('text/html')) throw new Error('the server has no such file (it answered with a web page)');
    text = await response.text();
  } catch (error) {
    return refuse(`the lesson ${where.url} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
  }
  return openFromAddress(text, new URL(where.url).pathname.split('/').pop() ?? where.url);
}

/**
 * A lesson the address carries or names. Refused, it says why over the canvas (what, the JSON
 * Pointer, the hint) and the default board opens, so that message is the page's last word.
 */
async function openFromAddress(text: string, source: string): Promise<boolean> {
  const result = parseLesson(text);
  if (result.ok) {
    await openLessonText(text, source);
    return true;
  }
  const [first] = result.problems;
  return refuse(`the lesson (${source}) cannot be opened: ${first.message}${first.pointer ? ` at ${first.pointer}` : ''}. ${first.hint}`);
}

/** The address named a lesson that cannot open: the default board opens, and the reason shows over it. */
async function refuse(reason: string): Promise<boolean> {
  const example = defaultExample();
  if (example) await openBoard(example.text, example.file);
  notify(reason);
  return example !== undefined;
}
