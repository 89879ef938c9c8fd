// `boardlab lesson check lesson.json [--board answer.board.json]`: build the lesson's starting board
// (or the answer), run it headless within limits, evaluate every step's checks and print which pass.
// Exit 0 only when all pass; 2 when some fail; 1 for bad input (a bad lesson lists its problems with
// JSON Pointers).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkPasses, parseLesson, registerWatches, resolveBoard, unavailableTypeProblems, type LessonDocument, type ResolvedBoard, type RunObservations } from '../graph/index.ts';
import { Machine, MachineError, engineModules } from '../engine/index.ts';
import { LessonRunObserver, cpuSymbols, runObserved, type LessonRunEnd } from '../engine/lesson-run.ts';
import { InputError, describeFsError, formatProblem, readBoardDocument, readBoardImages } from './board-files.ts';
import type { CommandIo } from './introspect.ts';
import type { ExecutionTier } from '../engine/cpu/contract.ts';
import { environmentTier } from './tier-environment.ts';

/** Default limits of a headless lesson run: enough for every shipped lesson's firmware several times over. */
export const DEFAULT_LESSON_INSTRUCTIONS = 50_000_000;
const DEFAULT_VIRTUAL_SECONDS = 10;
const NS_PER_SECOND = 1e9;

/** Exit status when the lesson is fine but some checks fail. */
const EXIT_CHECKS_FAIL = 2;

export interface LessonCheckOptions {
  board?: string;
  maxInstructions?: string;
  maxTime?: string;
  /** Which tier runs the guest (commander has checked the value). */
  tier?: ExecutionTier;
}

/** "2s", "500ms", "1.5" (seconds) → nanoseconds. */
function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|ms|us)?$/.exec(text.trim());
  if (match === null) throw new InputError(`--max-time ${text}: write a virtual time such as 2s or 500ms`);
  const scale = match[2] === 'ms' ? 1e6 : match[2] === 'us' ? 1e3 : NS_PER_SECOND;
  return Number(match[1]) * scale;
}

function parseCount(text: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new InputError(`--max-instructions ${text}: write a positive whole number`);
  return value;
}

async function readLessonFile(file: string): Promise<LessonDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: ${describeFsError(error)}`);
  }
  const result = parseLesson(text);
  if (!result.ok) throw new InputError(result.problems.map((p) => formatProblem(file, p)).join('\n'));
  return result.lesson;
}

/** The board to check (the lesson's start or the answer file), with the folder its image names are relative to. */
async function boardToCheck(lesson: LessonDocument, lessonFile: string, answer: string | undefined): Promise<{ board: ResolvedBoard; dir: string; source: string }> {
  if (answer !== undefined) {
    const read = await readBoardDocument(answer);
    if ('problems' in read) throw new InputError(read.problems.map((p) => formatProblem(answer, p)).join('\n'));
    if (!read.result.ok) throw new InputError(read.result.problems.map((p) => formatProblem(answer, p)).join('\n'));
    return { board: read.result.board, dir: dirname(answer), source: answer };
  }
  const result = resolveBoard(lesson.board);
  if (!result.ok) throw new InputError(result.problems.map((p) => formatProblem(lessonFile, { ...p, pointer: '/board' + p.pointer })).join('\n'));
  return { board: result.board, dir: dirname(lessonFile), source: `${lessonFile} (its starting board)` };
}

/** Build and run the board; the observations, how the run ended, or why it could not run. */
async function runBoard(lesson: LessonDocument, board: ResolvedBoard, dir: string, maxInstructions: number, maxVirtualNs: number, tier: ExecutionTier | undefined): Promise<{ run: RunObservations; end: LessonRunEnd } | { error: string }> {
  const unavailable = unavailableTypeProblems(board.objects, await engineModules.loadBoardModules(board));
  if (unavailable.length > 0) return { error: unavailable.map((p) => p.message).join('; ') };
  const read = await readBoardImages(board, dir);
  if (read.problems.length > 0) return { error: `the board's sources do not assemble: ${read.problems.map((p) => p.message).join('; ')}` };
  const images = read.images;
  const observer = new LessonRunObserver();
  let machine: Machine;
  try {
    machine = Machine.build(board, images, { onSerialOutput: observer.onSerialOutput, tier: tier ?? environmentTier() });
  } catch (error) {
    if (error instanceof MachineError) return { error: `the board cannot be built: ${error.message}` };
    throw error;
  }
  try {
    observer.attach(machine, board, cpuSymbols(board, images), registerWatches(lesson));
    const end = runObserved(machine, observer, { maxInstructions, maxVirtualNs }, new TextEncoder().encode(lesson.input ?? ''));
    return { run: observer.observations(), end };
  } finally {
    machine.destroy();
  }
}

const END_WORDS: Record<LessonRunEnd, string> = {
  finished: 'the guest stopped the board',
  idle: 'every CPU waits for an interrupt nothing can raise',
  faulting: 'a CPU is caught in a fault loop',
  limit: 'the run reached its limit',
};

export async function lessonCheckCommand(file: string, options: LessonCheckOptions, io: CommandIo): Promise<number> {
  const lesson = await readLessonFile(file);
  const { board, dir, source } = await boardToCheck(lesson, file, options.board);
  const maxInstructions = options.maxInstructions !== undefined ? parseCount(options.maxInstructions) : (lesson.maxInstructions ?? DEFAULT_LESSON_INSTRUCTIONS);
  const maxVirtualNs = options.maxTime !== undefined ? parseDuration(options.maxTime) : DEFAULT_VIRTUAL_SECONDS * NS_PER_SECOND;
  const outcome = await runBoard(lesson, board, dir, maxInstructions, maxVirtualNs, options.tier);
  const run = 'run' in outcome ? outcome.run : undefined;
  io.stdout(`lesson: ${lesson.title}\nboard: ${source}\n`);
  io.stdout('error' in outcome ? `run: ${outcome.error}\n` : `run: ${END_WORDS[outcome.end]}\n`);
  let passed = 0;
  let total = 0;
  lesson.steps.forEach((step, s) => {
    io.stdout(`step ${s + 1}: ${step.title}\n`);
    for (const check of step.checks) {
      const ok = checkPasses(check, board, run);
      total++;
      if (ok) passed++;
      io.stdout(`  ${ok ? 'pass' : 'FAIL'}  ${check.message}\n`);
    }
  });
  io.stdout(`${passed} of ${total} checks pass\n`);
  return passed === total ? 0 : EXIT_CHECKS_FAIL;
}
