// Evaluating a lesson's checks (./lesson.ts): board checks on a resolved board, run checks on what a
// run was seen to do (RunObservations: plain data, gathered by the engine headless —
// src/engine/lesson-run.ts — or by the page from what the worker shows it). The page and
// `boardlab lesson check` share this, so a check passes in one exactly when it passes in the other.
import { isA } from './catalog.ts';
import type { LessonCheck, LessonDocument } from './lesson.ts';
import type { ResolvedBoard, ResolvedIrqEndpoint, ResolvedObject } from './resolve.ts';
import { parseInteger, parseSize } from './values.ts';

/** What a run did that run checks look at. Paths are canonical object paths. */
export interface RunObservations {
  /** Text each UART transmitted, by the UART's path. */
  uart: Record<string, string>;
  /** LEDs lit at some moment of the run. */
  ledsLit: string[];
  /** LEDs lit and then dark again (or dark and lit again) during the run. */
  ledsToggled: string[];
  /** Traps and interrupts taken: the CPU's path and the cause as the CPU names it. */
  traps: Array<{ cpu: string; cause: string }>;
  /** Register values seen when a CPU's pc reached a symbol (see registerWatches). */
  registers: Array<{ cpu: string; symbol: string; register: string; value: number }>;
  /** The finisher's code once the guest stopped the board through it (0: pass), else null. */
  exit: number | null;
}

export function emptyObservations(): RunObservations {
  return { uart: {}, ledsLit: [], ledsToggled: [], traps: [], registers: [], exit: null };
}

/** A register a run must read at a symbol, for the lesson's register checks. */
export interface RegisterWatch {
  symbol: string;
  register: string;
  /** Which CPUs (an object reference, ./lesson.ts); undefined: every CPU. */
  cpu: string | undefined;
}

/** The registers a run must read, and where (one entry per distinct symbol, register and CPU). */
export function registerWatches(lesson: LessonDocument): RegisterWatch[] {
  const seen = new Map<string, RegisterWatch>();
  for (const step of lesson.steps)
    for (const check of step.checks)
      if (check.kind === 'register') seen.set(`${check.at}\n${check.register}\n${check.cpu ?? ''}`, { symbol: check.at, register: check.register, cpu: check.cpu });
  return [...seen.values()];
}

/** Whether `object` is what an object reference names: a canonical path, or a type or interface it is. */
export function objectMatches(reference: string, object: Pick<ResolvedObject, 'path' | 'type'>): boolean {
  if (reference.startsWith('/')) return object.path === reference;
  return object.type === reference || isA(object.type, reference);
}

/** A port reference "<ref>.<port>[index]" split up (the schema guarantees the form). */
function splitPortReference(reference: string): { object: string; port: string; index: number | undefined } {
  const match = /^(.*)\.([a-z][a-z0-9_-]*)(?:\[(\d+)\])?$/.exec(reference);
  if (match === null) return { object: reference, port: '', index: undefined };
  return { object: match[1], port: match[2], index: match[3] === undefined ? undefined : Number(match[3]) };
}

function endpointMatches(reference: string, endpoint: ResolvedIrqEndpoint, types: ReadonlyMap<string, string>): boolean {
  const wanted = splitPortReference(reference);
  const type = types.get(endpoint.object);
  return type !== undefined && objectMatches(wanted.object, { path: endpoint.object, type }) && wanted.port === endpoint.port && (wanted.index === undefined || wanted.index === endpoint.index);
}

/** A property's effective value equals what a check wants (numbers as the board language writes them). */
function valueEquals(actual: unknown, wanted: number | string | boolean): boolean {
  if (typeof actual === 'number') {
    const number = typeof wanted === 'number' ? wanted : (parseInteger(wanted) ?? parseSize(wanted));
    return number === actual;
  }
  return actual === wanted;
}

function integerOf(value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  const negative = value.startsWith('-');
  const magnitude = parseInteger(negative ? value.slice(1) : value);
  return magnitude === undefined ? undefined : negative ? -magnitude : magnitude;
}

/** Whether a board check passes on a resolved board. */
function boardCheckPasses(check: LessonCheck, board: ResolvedBoard): boolean {
  const types = new Map(board.objects.map((o) => [o.path, o.type]));
  switch (check.kind) {
    case 'object':
      return board.objects.filter((o) => objectMatches(check.type, o)).length >= (check.count ?? 1);
    case 'property':
      return board.objects.some((o) => objectMatches(check.object, o) && valueEquals(o.props[check.property], check.equals));
    case 'irq':
      return board.irqs.some((wire) => endpointMatches(check.from, wire.source, types) && endpointMatches(check.to, wire.target, types));
    case 'mapped': {
      const wanted = splitPortReference(check.region);
      const at = check.at === undefined ? undefined : parseInteger(check.at);
      return board.memory.some((m) => {
        const type = types.get(m.object);
        return type !== undefined && objectMatches(wanted.object, { path: m.object, type }) && m.region === wanted.port && (check.space === undefined || m.space === check.space) && (at === undefined || m.base === at);
      });
    }
    default:
      return false;
  }
}

/** Whether a run check passes on what a run did (`board`: the board that ran, for object types). */
function runCheckPasses(check: LessonCheck, board: ResolvedBoard, run: RunObservations): boolean {
  const types = new Map(board.objects.map((o) => [o.path, o.type]));
  const matches = (reference: string | undefined, path: string) => {
    if (reference === undefined) return true;
    const type = types.get(path);
    return type !== undefined && objectMatches(reference, { path, type });
  };
  switch (check.kind) {
    case 'uart':
      return Object.entries(run.uart).some(([path, text]) => matches(check.uart, path) && (check.text === undefined || text.includes(check.text)) && (check.pattern === undefined || new RegExp(check.pattern).test(text)));
    case 'led':
      return (check.state === 'on' ? run.ledsLit : run.ledsToggled).some((path) => matches(check.led, path));
    case 'trap':
      return run.traps.some((t) => t.cause === check.cause && matches(check.cpu, t.cpu));
    case 'register': {
      const wanted = integerOf(check.equals);
      return wanted !== undefined && run.registers.some((r) => r.symbol === check.at && r.register === check.register && matches(check.cpu, r.cpu) && r.value >>> 0 === wanted >>> 0);
    }
    case 'exit':
      return run.exit !== null && run.exit === (check.code ?? 0);
    default:
      return false;
  }
}

/** Whether a check passes: board checks on `board`, run checks on `run` (no run yet: they do not pass). */
export function checkPasses(check: LessonCheck, board: ResolvedBoard, run: RunObservations | undefined): boolean {
  switch (check.kind) {
    case 'object':
    case 'property':
    case 'irq':
    case 'mapped':
      return boardCheckPasses(check, board);
    default:
      return run !== undefined && runCheckPasses(check, board, run);
  }
}
