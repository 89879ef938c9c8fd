// ARM semihosting (the "Semihosting for AArch32 and AArch64" specification, version 2): what a
// Cortex-M guest asks of the host with `bkpt 0xab`, r0 = operation, r1 = parameter (usually the
// address of a block of 32-bit arguments). The core calls `semihostingCall` when semihosting is
// enabled (the CPU's `semihosting` property, as QEMU's -semihosting-config enable=on,target=native)
// and puts the result in r0.
//
// The calls follow QEMU 7.2 (semihosting/arm-compat-semi.c) for an AArch32 guest:
//   SYS_WRITEC and SYS_WRITE0 write to the host's stderr (QEMU's semihosting console without a
//   chardev); SYS_OPEN of ":tt" opens the console (read: stdin, write: stdout, append: stderr)
//   with handles from 1 up; SYS_WRITE to a console handle writes to that stream and returns the
//   bytes not written (0; to a handle that is not open or opened for reading: all of them, as
//   QEMU with a standard input that is not a terminal); SYS_EXIT with
//   ADP_Stopped_ApplicationExit exits with status 0 and any other reason with status 1 (A32/T32
//   cannot pass a status through SYS_EXIT); SYS_EXIT_EXTENDED's block is { reason, subcode }:
//   ApplicationExit exits with the subcode, any other reason with 1.
//   ":semihosting-features" opens (read-only) as QEMU's five bytes "SHFB" + 0x03 (SYS_EXIT_EXTENDED
//   and separate stdout/stderr), readable with SYS_READ/SYS_SEEK/SYS_FLEN: newlib's rdimon reads it
//   and only then passes exit()'s status through SYS_EXIT_EXTENDED.
// What differs, on purpose or not yet:
//   - there are no host files: SYS_OPEN of any other name fails (errno ENOENT);
//   - the console has no input here: SYS_READ of a console handle reads nothing (end of file);
//     SYS_READC, SYS_REMOVE, SYS_RENAME, SYS_SYSTEM, SYS_TMPNAM, SYS_ELAPSED, SYS_TICKFREQ and
//     unknown operations return -1 (QEMU 7.2 aborts on an unknown operation);
//   - SYS_ISTTY is 1 for a console handle (QEMU answers isatty() of its own stdout);
//   - SYS_HEAPINFO fills the block only when the host gives the layout (`heapInfo`), else -1;
//     a machine's core gives heapLayout() of its board: as QEMU 7.2 (mps2-an385: 0x21000000,
//     0x22000000, 0x22000000, 0x21000000 — its 16 MiB PSRAM, where no image loads);
//   - SYS_GET_CMDLINE returns the host's command line (`commandLine`, default empty; QEMU gives
//     the -kernel file name and -append);
//   - SYS_TIME is the wall clock unless the host gives `timeSeconds` (as QEMU: not deterministic).

import type { ConsoleStream } from '../contract.ts';

/** Operation numbers (r0). */
export const SYS_OPEN = 0x01;
export const SYS_CLOSE = 0x02;
export const SYS_WRITEC = 0x03;
export const SYS_WRITE0 = 0x04;
export const SYS_WRITE = 0x05;
export const SYS_READ = 0x06;
export const SYS_READC = 0x07;
export const SYS_ISERROR = 0x08;
export const SYS_ISTTY = 0x09;
export const SYS_SEEK = 0x0a;
export const SYS_FLEN = 0x0c;
export const SYS_TMPNAM = 0x0d;
export const SYS_REMOVE = 0x0e;
export const SYS_RENAME = 0x0f;
export const SYS_CLOCK = 0x10;
export const SYS_TIME = 0x11;
export const SYS_SYSTEM = 0x12;
export const SYS_ERRNO = 0x13;
export const SYS_GET_CMDLINE = 0x15;
export const SYS_HEAPINFO = 0x16;
export const SYS_EXIT = 0x18;
export const SYS_EXIT_EXTENDED = 0x20;
export const SYS_ELAPSED = 0x30;
export const SYS_TICKFREQ = 0x31;

/** SYS_EXIT's reason for a normal end of the application. */
export const ADP_STOPPED_APPLICATION_EXIT = 0x20026;

/** SYS_OPEN modes: 0–3 read, 4–7 write, 8–11 append (with b and + variants). */
const OPEN_MODE_WRITE = 4;
const OPEN_MODE_APPEND = 8;
const OPEN_MODE_LAST = 11;
/** The special file name of the console. */
export const CONSOLE_NAME = ':tt';

// errno values the calls set (newlib's numbers, which QEMU passes through from the host).
export const ENOENT = 2;
export const EBADF = 9;
export const EINVAL = 22;
export const ENOSPC = 28;
export const EACCES = 13;

/** The special file name of QEMU's semihosting extensions feature file. */
export const FEATURES_NAME = ':semihosting-features';
/** Its bytes: the magic "SHFB" and feature byte 0: SH_EXT_EXIT_EXTENDED (bit 0) | SH_EXT_STDOUT_STDERR (bit 1). */
export const FEATURES_FILE = Uint8Array.of(0x53, 0x48, 0x46, 0x42, 0x03);

/** The longest string SYS_WRITE0 or a file name is read to, so a missing NUL cannot hold the host. */
const MAX_STRING = 1 << 20;

export interface SemihostingMemory {
  read8(address: number): number;
  read32(address: number): number;
  write32(address: number, value: number): void;
}

export interface SemihostingHost {
  /**
   * Bytes for the console, on the stream QEMU 7.2 writes them to: SYS_WRITEC and SYS_WRITE0 on
   * stderr; SYS_WRITE to a ":tt" handle on stdout (opened for writing) or stderr (for appending).
   */
  writeConsole(bytes: Uint8Array, stream: ConsoleStream): void;
  /** SYS_EXIT / SYS_EXIT_EXTENDED: the guest ends with this status (0 success). */
  exit(status: number): void;
  /** SYS_CLOCK: centiseconds since the run started (virtual time). */
  clockCentiseconds(): number;
  /** SYS_TIME: seconds since 1970-01-01; without it, the wall clock (as QEMU). */
  timeSeconds?(): number;
  /** SYS_HEAPINFO: heap base, heap limit, stack base, stack limit; without it, SYS_HEAPINFO returns -1. */
  heapInfo?(): readonly [number, number, number, number];
  /** SYS_GET_CMDLINE: the command line (default empty). */
  commandLine?(): string;
  /**
   * Semihosting's own state, kept by the host between calls: the open handles and the
   * last errno (SYS_ERRNO). Created on the first call that needs it; a board reset may delete it.
   */
  semihostingState?: SemihostingState;
}

/** An open handle: a console stream, or the feature file and the position in it. */
export type OpenHandle = 'stdin' | 'stdout' | 'stderr' | { features: true; position: number };

export interface SemihostingState {
  handles: Map<number, OpenHandle>;
  errno: number;
}

/**
 * One semihosting call: `op` (r0) with `param` (r1). Returns the value for r0 (-1 = failure, the
 * reason in SYS_ERRNO). SYS_EXIT calls host.exit and returns 0; the core stops the guest.
 */
export function semihostingCall(op: number, param: number, memory: SemihostingMemory, host: SemihostingHost): number {
  const state = (host.semihostingState ??= { handles: new Map(), errno: 0 });
  const arg = (i: number) => memory.read32((param + 4 * i) >>> 0) >>> 0;
  const fail = (errno: number) => {
    state.errno = errno;
    return -1;
  };
  switch (op) {
    case SYS_WRITEC:
      host.writeConsole(Uint8Array.of(memory.read8(param) & 0xff), 'stderr');
      return 0;
    case SYS_WRITE0:
      host.writeConsole(readString(memory, param), 'stderr');
      return 0;
    case SYS_WRITE: {
      const [handle, buffer, length] = [arg(0), arg(1), arg(2)];
      const open = state.handles.get(handle);
      // not open, the feature file, or the console's input side (QEMU writes to its fd 0, which
      // takes nothing unless it is a terminal): nothing written (QEMU answers so, not -1)
      if (open === undefined || open === 'stdin' || typeof open === 'object') {
        state.errno = EBADF;
        return length;
      }
      const bytes = readBytes(memory, buffer, length);
      host.writeConsole(bytes, open);
      return length - bytes.length; // the bytes not written
    }
    case SYS_READ: {
      const [handle, buffer, length] = [arg(0), arg(1), arg(2)];
      const open = state.handles.get(handle);
      if (open === undefined) return fail(EBADF);
      if (typeof open !== 'object') return length; // no console input: end of file
      const bytes = FEATURES_FILE.subarray(open.position, open.position + length);
      writeBytes(memory, buffer, bytes);
      open.position += bytes.length;
      return length - bytes.length; // the bytes not read
    }
    case SYS_SEEK: {
      const open = state.handles.get(arg(0));
      if (open === undefined) return fail(EBADF);
      if (typeof open !== 'object' || arg(1) > FEATURES_FILE.length) return fail(EINVAL);
      open.position = arg(1);
      return 0;
    }
    case SYS_FLEN: {
      const open = state.handles.get(arg(0));
      if (open === undefined) return fail(EBADF);
      return typeof open === 'object' ? FEATURES_FILE.length : fail(EINVAL);
    }
    case SYS_OPEN: {
      const [name, mode, length] = [arg(0), arg(1), arg(2)];
      if (mode > OPEN_MODE_LAST) return fail(EINVAL);
      const text = decodeLatin1(readBytes(memory, name, Math.min(length, MAX_STRING)));
      let open: OpenHandle;
      if (text === CONSOLE_NAME) open = mode < OPEN_MODE_WRITE ? 'stdin' : mode < OPEN_MODE_APPEND ? 'stdout' : 'stderr';
      else if (text === FEATURES_NAME) {
        if (mode > 1) return fail(EACCES); // read-only: "r" or "rb"
        open = { features: true, position: 0 };
      } else return fail(ENOENT);
      let handle = 1;
      while (state.handles.has(handle)) handle++;
      state.handles.set(handle, open);
      return handle;
    }
    case SYS_CLOSE:
      return state.handles.delete(arg(0)) ? 0 : fail(EBADF);
    case SYS_ISTTY: {
      const open = state.handles.get(arg(0));
      if (open === undefined) return fail(EBADF);
      return typeof open === 'object' ? 0 : 1;
    }
    case SYS_ISERROR:
      // a return value is an error when negative as a signed word
      return (arg(0) | 0) < 0 ? 1 : 0;
    case SYS_CLOCK:
      return Math.floor(host.clockCentiseconds()) | 0;
    case SYS_TIME:
      // QEMU answers the host's wall clock; a host that wants a deterministic run gives its own
      return Math.floor(host.timeSeconds?.() ?? Date.now() / 1000) | 0;
    case SYS_ERRNO:
      return state.errno;
    case SYS_GET_CMDLINE: {
      const [buffer, size] = [arg(0), arg(1)];
      const line = new TextEncoder().encode(host.commandLine?.() ?? '');
      if (line.length + 1 > size) return fail(ENOSPC);
      writeBytes(memory, buffer, Uint8Array.of(...line, 0));
      memory.write32((param + 4) >>> 0, line.length);
      return 0;
    }
    case SYS_HEAPINFO: {
      if (host.heapInfo === undefined) return fail(EINVAL);
      const block = arg(0);
      host.heapInfo().forEach((value, i) => memory.write32((block + 4 * i) >>> 0, value >>> 0));
      return 0;
    }
    case SYS_EXIT:
      // A32/T32: the parameter is the reason itself; only ApplicationExit is a success
      host.exit(param >>> 0 === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
      return 0;
    case SYS_EXIT_EXTENDED: {
      const [reason, subcode] = [arg(0), arg(1)];
      host.exit(reason === ADP_STOPPED_APPLICATION_EXIT ? subcode : 1);
      return 0;
    }
    default:
      return fail(EINVAL);
  }
}

/** A RAM or ROM mapping of the CPU's address space, for heapLayout. */
export interface HeapLayoutMemory {
  base: number;
  size: number;
  readOnly: boolean;
}

/**
 * SYS_HEAPINFO's answer from the board, as QEMU 7.2 derives it (semihosting/arm-compat-semi.c): the
 * largest writable RAM mapping (the lowest of equally large ones), then the largest stretch of it
 * that no loaded image covers (the lowest of equally large ones); the heap is that stretch from the
 * bottom up and the stack the same stretch from the top down: [heap base, heap limit, stack base,
 * stack limit] = [start, end, end, start]. No writable RAM: all zero, as QEMU.
 */
export function heapLayout(memory: readonly HeapLayoutMemory[], loaded: ReadonlyArray<{ address: number; size: number }>): readonly [number, number, number, number] {
  let ram: HeapLayoutMemory | undefined;
  for (const m of [...memory].sort((a, b) => a.base - b.base)) {
    if (!m.readOnly && m.size > (ram?.size ?? 0)) ram = m;
  }
  if (ram === undefined) return [0, 0, 0, 0];
  const end = ram.base + ram.size;
  // the images' pieces inside the RAM, clipped to it, by start
  const used = loaded
    .map((r) => ({ start: Math.max(r.address, ram.base), end: Math.min(r.address + r.size, end) }))
    .filter((r) => r.start < r.end)
    .sort((a, b) => a.start - b.start);
  let best = { start: 0, size: 0 };
  let free = ram.base;
  for (const piece of [...used, { start: end, end }]) {
    if (piece.start > free && piece.start - free > best.size) best = { start: free, size: piece.start - free };
    free = Math.max(free, piece.end);
  }
  const limit = (best.start + best.size) >>> 0;
  return [best.start >>> 0, limit, limit, best.start >>> 0];
}

function readBytes(memory: SemihostingMemory, address: number, length: number): Uint8Array {
  const bytes = new Uint8Array(Math.min(length, MAX_STRING));
  for (let i = 0; i < bytes.length; i++) bytes[i] = memory.read8((address + i) >>> 0) & 0xff;
  return bytes;
}

function readString(memory: SemihostingMemory, address: number): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < MAX_STRING; i++) {
    const byte = memory.read8((address + i) >>> 0) & 0xff;
    if (byte === 0) break;
    bytes.push(byte);
  }
  return Uint8Array.from(bytes);
}

/** Writes bytes through the word interface: read-modify-write of each aligned word touched. */
function writeBytes(memory: SemihostingMemory, address: number, bytes: Uint8Array): void {
  let i = 0;
  while (i < bytes.length) {
    const at = (address + i) >>> 0;
    const word = (at & ~3) >>> 0;
    let value = memory.read32(word) >>> 0;
    for (let lane = at & 3; lane < 4 && i < bytes.length; lane++, i++) {
      value = ((value & ~(0xff << (8 * lane))) | (bytes[i] << (8 * lane))) >>> 0;
    }
    memory.write32(word, value);
  }
}

function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}
