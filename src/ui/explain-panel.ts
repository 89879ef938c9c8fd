// The trap log's and the watch list's logic, apart from their React panel (components/ExplainPanel.tsx).
import { hex, relativePath } from '../graph/index.ts';
import type { TrapLogEntry, WatchTarget } from '../workers/emulator.worker.ts';

/** Traps the page keeps (the worker keeps more; older ones scroll away). */
export const TRAPS_SHOWN = 500;

/** One trap as the log prints it, in the spirit of QEMU's `-d int` line. */
export interface TrapLine {
  seq: number;
  cpu: string;
  cause: string;
  pc: string;
  value: string;
  handler: string;
  instret: string;
  interrupt: boolean;
}

export function trapLine(entry: TrapLogEntry): TrapLine {
  return {
    seq: entry.seq,
    cpu: relativePath(entry.cpu),
    cause: `${entry.causeName} (cause ${hex(entry.cause)})`,
    pc: hex(entry.pc),
    value: entry.kind === 'interrupt' || entry.kind === 'environment-call' ? '' : hex(entry.value),
    handler: entry.handlerSymbol === undefined ? hex(entry.handler) : `${hex(entry.handler)} <${entry.handlerSymbol}>`,
    instret: String(entry.instret),
    interrupt: entry.kind === 'interrupt',
  };
}

/** The log after a poll: the new entries appended, at most TRAPS_SHOWN kept. */
export function appendTraps(log: readonly TrapLogEntry[], entries: readonly TrapLogEntry[]): TrapLogEntry[] {
  const next = log.concat(entries);
  return next.length > TRAPS_SHOWN ? next.slice(next.length - TRAPS_SHOWN) : next;
}

/** A watch the user added: what it reads, and how they wrote it. */
export interface Watch {
  id: number;
  label: string;
  target: WatchTarget;
}

const NUMBER = /^(0x[0-9a-f_]+|\d+)$/i;
const SIZES: Readonly<Record<string, 1 | 2 | 4>> = { b: 1, byte: 1, h: 2, half: 2, w: 4, word: 4 };

/**
 * What a typed watch means: "0x80001000" or "0x80001000:b" (a byte; :h a halfword, :w a word, the
 * default), "counter" (a firmware symbol: its word), "a0" or "cpu1.mstatus" (a register of
 * `cpu`, or of the CPU named before the dot). Symbols and registers are told apart by the worker:
 * `kind: 'name'` asks the caller to try a register first, then a symbol.
 */
export type ParsedWatch = { kind: 'target'; target: WatchTarget } | { kind: 'name'; name: string; cpu: string; size: 1 | 2 | 4 } | { kind: 'error'; message: string };

export function parseWatch(text: string, cpu: string, cpuPaths: readonly string[]): ParsedWatch {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'error', message: 'type an address (0x…), a symbol or a register' };
  const [what, sizeText] = trimmed.split(':');
  const size = sizeText === undefined ? 4 : SIZES[sizeText.toLowerCase()];
  if (size === undefined) return { kind: 'error', message: `"${sizeText}" is not a size: use :b, :h or :w` };
  if (NUMBER.test(what)) {
    const address = Number(what.replace(/_/g, ''));
    if (!Number.isSafeInteger(address) || address < 0 || address > 0xffff_ffff) return { kind: 'error', message: `${what} is not a 32-bit address` };
    if (address % size !== 0) return { kind: 'error', message: `${what} is not aligned to ${size} bytes` };
    return { kind: 'target', target: { kind: 'memory', address, size } };
  }
  const dot = what.indexOf('.');
  if (dot > 0) {
    const owner = cpuPaths.find((path) => relativePath(path) === what.slice(0, dot) || path === what.slice(0, dot));
    if (owner !== undefined) return { kind: 'target', target: { kind: 'register', cpu: owner, register: what.slice(dot + 1) } };
  }
  if (!/^[A-Za-z_.$][\w.$]*$/.test(what)) return { kind: 'error', message: `"${what}" is neither an address, a symbol nor a register` };
  return { kind: 'name', name: what, cpu, size };
}

/** A watch's value as text: hex as wide as it is read, and the unsigned number. */
export function watchText(value: number | null, target: WatchTarget): string {
  if (value === null) return '—';
  const digits = target.kind === 'memory' ? target.size * 2 : 8;
  return `0x${value.toString(16).padStart(digits, '0')} (${value})`;
}
