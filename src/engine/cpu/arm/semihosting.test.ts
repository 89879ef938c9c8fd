// ARM semihosting calls as the specification and QEMU 7.2 (AArch32) answer them.
import { describe, expect, it } from 'vitest';
import {
  ADP_STOPPED_APPLICATION_EXIT,
  EACCES,
  EBADF,
  ENOENT,
  ENOSPC,
  semihostingCall,
  type SemihostingHost,
  type SemihostingMemory,
  SYS_CLOCK,
  SYS_CLOSE,
  SYS_ERRNO,
  SYS_EXIT,
  SYS_EXIT_EXTENDED,
  SYS_GET_CMDLINE,
  SYS_HEAPINFO,
  SYS_ISERROR,
  SYS_ISTTY,
  SYS_OPEN,
  SYS_FLEN,
  SYS_ELAPSED,
  SYS_READ,
  SYS_READC,
  SYS_REMOVE,
  SYS_RENAME,
  SYS_SEEK,
  SYS_SYSTEM,
  SYS_TICKFREQ,
  SYS_TMPNAM,
  SYS_TIME,
  SYS_WRITE,
  SYS_WRITE0,
  SYS_WRITEC,
} from './semihosting.ts';

import type { ConsoleStream } from '../contract.ts';

const RAM = 0x2000_0000;

class Memory implements SemihostingMemory {
  readonly bytes = new Uint8Array(0x1_0000);
  private view = new DataView(this.bytes.buffer);
  read8(address: number): number {
    return this.bytes[address - RAM];
  }
  read32(address: number): number {
    return this.view.getUint32(address - RAM, true);
  }
  write32(address: number, value: number): void {
    this.view.setUint32(address - RAM, value >>> 0, true);
  }
  /** Puts bytes (a string as Latin-1) at `address`; returns it. */
  put(address: number, data: string | number[]): number {
    const bytes = typeof data === 'string' ? Array.from(data, (c) => c.charCodeAt(0)) : data;
    this.bytes.set(bytes, address - RAM);
    return address;
  }
  words(address: number, ...values: number[]): number {
    values.forEach((value, i) => this.write32(address + 4 * i, value));
    return address;
  }
}

class Host implements SemihostingHost {
  console: number[] = [];
  /** The console output per host stream. */
  streams = { stdout: [] as number[], stderr: [] as number[] };
  exits: number[] = [];
  centiseconds = 0;
  timeSeconds?: () => number;
  heapInfo?: () => readonly [number, number, number, number];
  commandLine?: () => string;
  writeConsole(bytes: Uint8Array, stream: ConsoleStream): void {
    this.console.push(...bytes);
    this.streams[stream].push(...bytes);
  }
  streamText(stream: ConsoleStream): string {
    return String.fromCharCode(...this.streams[stream]);
  }
  exit(status: number): void {
    this.exits.push(status);
  }
  clockCentiseconds(): number {
    return this.centiseconds;
  }
  get text(): string {
    return String.fromCharCode(...this.console);
  }
}

function setup(): { memory: Memory; host: Host; call: (op: number, param: number) => number } {
  const memory = new Memory();
  const host = new Host();
  return { memory, host, call: (op, param) => semihostingCall(op, param, memory, host) };
}

/** Opens ":tt" with `mode`; returns the handle. */
function openConsole(memory: Memory, call: (op: number, param: number) => number, mode: number): number {
  const name = memory.put(RAM + 0x800, ':tt\0');
  return call(SYS_OPEN, memory.words(RAM + 0x900, name, mode, 3));
}

describe('semihosting', () => {
  it('SYS_WRITEC writes the byte its parameter points at', () => {
    const { memory, host, call } = setup();
    expect(call(SYS_WRITEC, memory.put(RAM + 0x10, 'A'))).toBe(0);
    expect(call(SYS_WRITEC, memory.put(RAM + 0x11, [0xe9]))).toBe(0);
    expect(host.console).toEqual([0x41, 0xe9]);
    expect(host.streams.stderr).toEqual([0x41, 0xe9]); // QEMU 7.2 writes the semihosting console to stderr
  });
  it('SYS_WRITE0 writes a NUL-terminated string', () => {
    const { memory, host, call } = setup();
    call(SYS_WRITE0, memory.put(RAM + 0x100, 'hello, world\n\0tail'));
    expect(host.text).toBe('hello, world\n');
    expect(host.streamText('stderr')).toBe('hello, world\n');
  });
  it('SYS_OPEN of ":tt" gives console handles from 1 up; SYS_WRITE to one writes and returns the bytes not written (0)', () => {
    const { memory, host, call } = setup();
    const stdin = openConsole(memory, call, 0);
    const stdout = openConsole(memory, call, 4);
    const stderr = openConsole(memory, call, 8);
    expect([stdin, stdout, stderr]).toEqual([1, 2, 3]);
    const text = memory.put(RAM + 0x200, 'abcdef');
    expect(call(SYS_WRITE, memory.words(RAM + 0x300, stdout, text, 4))).toBe(0);
    expect(call(SYS_WRITE, memory.words(RAM + 0x300, stderr, text + 4, 2))).toBe(0);
    expect(host.text).toBe('abcdef');
    // ":tt" opened for writing is stdout, opened for appending stderr (QEMU 7.2, SH_EXT_STDOUT_STDERR)
    expect(host.streamText('stdout')).toBe('abcd');
    expect(host.streamText('stderr')).toBe('ef');
    // the input side takes nothing (QEMU writes to its stdin, which is not a terminal here)
    expect(call(SYS_WRITE, memory.words(RAM + 0x300, stdin, text, 3))).toBe(3);
    expect(call(SYS_ERRNO, 0)).toBe(EBADF);
    expect(host.text).toBe('abcdef');
  });
  it('SYS_WRITE to a handle that is not open writes nothing and returns the whole length (QEMU), errno EBADF', () => {
    const { memory, host, call } = setup();
    expect(call(SYS_WRITE, memory.words(RAM + 0x300, 7, RAM, 4))).toBe(4);
    expect(call(SYS_ERRNO, 0)).toBe(EBADF);
    expect(host.console).toEqual([]);
  });
  it('":semihosting-features" reads as QEMU 7.2\'s "SHFB" + 0x03 through SYS_FLEN, SYS_READ and SYS_SEEK; read-only', () => {
    const { memory, call } = setup();
    const name = memory.put(RAM + 0x800, ':semihosting-features');
    expect(call(SYS_OPEN, memory.words(RAM + 0x900, name, 4, 21))).toBe(-1);
    expect(call(SYS_ERRNO, 0)).toBe(EACCES);
    const handle = call(SYS_OPEN, memory.words(RAM + 0x900, name, 0, 21));
    expect(handle).toBe(1);
    expect(call(SYS_FLEN, memory.words(RAM + 0x300, handle))).toBe(5);
    expect(call(SYS_ISTTY, memory.words(RAM + 0x300, handle))).toBe(0);
    expect(call(SYS_READ, memory.words(RAM + 0x300, handle, RAM + 0x400, 4))).toBe(0);
    expect(String.fromCharCode(...memory.bytes.subarray(0x400, 0x404))).toBe('SHFB');
    expect(call(SYS_READ, memory.words(RAM + 0x300, handle, RAM + 0x400, 4))).toBe(3); // one byte left
    expect(memory.bytes[0x400]).toBe(0x03);
    expect(call(SYS_SEEK, memory.words(RAM + 0x300, handle, 4))).toBe(0);
    expect(call(SYS_READ, memory.words(RAM + 0x300, handle, RAM + 0x410, 1))).toBe(0);
    expect(memory.bytes[0x410]).toBe(0x03);
    // a console handle has no length and no input
    const tt = openConsole(memory, call, 0);
    expect(call(SYS_FLEN, memory.words(RAM + 0x300, tt))).toBe(-1);
    expect(call(SYS_READ, memory.words(RAM + 0x300, tt, RAM + 0x400, 4))).toBe(4);
  });
  it('SYS_OPEN of anything but ":tt" fails with ENOENT', () => {
    const { memory, call } = setup();
    const name = memory.put(RAM + 0x800, 'file.txt\0');
    expect(call(SYS_OPEN, memory.words(RAM + 0x900, name, 0, 8))).toBe(-1);
    expect(call(SYS_ERRNO, 0)).toBe(ENOENT);
  });
  it('SYS_CLOSE closes a handle (a second close fails); SYS_ISTTY is 1 for a console handle', () => {
    const { memory, call } = setup();
    const handle = openConsole(memory, call, 4);
    expect(call(SYS_ISTTY, memory.words(RAM + 0x300, handle))).toBe(1);
    expect(call(SYS_CLOSE, memory.words(RAM + 0x300, handle))).toBe(0);
    expect(call(SYS_CLOSE, memory.words(RAM + 0x300, handle))).toBe(-1);
    expect(call(SYS_ISTTY, memory.words(RAM + 0x300, handle))).toBe(-1);
    expect(call(SYS_ERRNO, 0)).toBe(EBADF);
    // the freed handle is given out again
    expect(openConsole(memory, call, 4)).toBe(handle);
  });
  it('SYS_CLOCK returns centiseconds from the host; SYS_TIME seconds', () => {
    const { call, host } = setup();
    host.centiseconds = 1234.9;
    expect(call(SYS_CLOCK, 0)).toBe(1234);
    const timed = new Host();
    timed.timeSeconds = () => 1_700_000_000;
    expect(semihostingCall(SYS_TIME, 0, new Memory(), timed)).toBe(1_700_000_000);
  });
  it('SYS_EXIT: ADP_Stopped_ApplicationExit is status 0, any other reason status 1 (AArch32)', () => {
    const { host, call } = setup();
    call(SYS_EXIT, ADP_STOPPED_APPLICATION_EXIT);
    call(SYS_EXIT, 0x20023); // ADP_Stopped_RunTimeErrorUnknown
    call(SYS_EXIT, 3);
    expect(host.exits).toEqual([0, 1, 1]);
  });
  it('SYS_EXIT_EXTENDED: ApplicationExit exits with the subcode; another reason with 1', () => {
    const { memory, host, call } = setup();
    call(SYS_EXIT_EXTENDED, memory.words(RAM + 0x40, ADP_STOPPED_APPLICATION_EXIT, 42));
    call(SYS_EXIT_EXTENDED, memory.words(RAM + 0x40, ADP_STOPPED_APPLICATION_EXIT, 0));
    call(SYS_EXIT_EXTENDED, memory.words(RAM + 0x40, 0x20023, 42));
    expect(host.exits).toEqual([42, 0, 1]);
  });
  it('SYS_HEAPINFO fills the block its parameter points to when the host gives the layout, else -1', () => {
    const { memory, call } = setup();
    memory.words(RAM + 0x40, RAM + 0x80);
    expect(call(SYS_HEAPINFO, RAM + 0x40)).toBe(-1);
    const host = new Host();
    host.heapInfo = () => [0x2010_0000, 0x2040_0000, 0x2040_0000, 0x2020_0000];
    expect(semihostingCall(SYS_HEAPINFO, RAM + 0x40, memory, host)).toBe(0);
    expect([0, 1, 2, 3].map((i) => memory.read32(RAM + 0x80 + 4 * i))).toEqual([0x2010_0000, 0x2040_0000, 0x2040_0000, 0x2020_0000]);
  });
  it('SYS_GET_CMDLINE copies the command line (NUL-terminated) and its length; too small a buffer fails with ENOSPC', () => {
    const { memory } = setup();
    const host = new Host();
    host.commandLine = () => 'fw.elf -v';
    memory.put(RAM + 0x101, [0xaa]); // bytes around the buffer stay
    memory.put(RAM + 0x10b, [0xbb]);
    expect(semihostingCall(SYS_GET_CMDLINE, memory.words(RAM + 0x40, RAM + 0x102, 16), memory, host)).toBe(0);
    expect(String.fromCharCode(...memory.bytes.subarray(0x102, 0x10b))).toBe('fw.elf -v');
    expect(memory.bytes[0x10b - 0]).toBe(0);
    expect(memory.bytes[0x101]).toBe(0xaa);
    expect(memory.read32(RAM + 0x44)).toBe(9);
    expect(semihostingCall(SYS_GET_CMDLINE, memory.words(RAM + 0x40, RAM + 0x102, 9), memory, host)).toBe(-1);
    expect(semihostingCall(SYS_ERRNO, 0, memory, host)).toBe(ENOSPC);
    // no command line: an empty string
    memory.words(RAM + 0x40, RAM + 0x200, 4);
    expect(semihostingCall(SYS_GET_CMDLINE, RAM + 0x40, memory, new Host())).toBe(0);
    expect(memory.read32(RAM + 0x44)).toBe(0);
    expect(memory.bytes[0x200]).toBe(0);
  });
  it('SYS_ISERROR says whether a value is negative; unknown operations return -1', () => {
    const { memory, call } = setup();
    expect(call(SYS_ISERROR, memory.words(RAM + 0x40, 0xffff_ffff))).toBe(1);
    expect(call(SYS_ISERROR, memory.words(RAM + 0x40, 5))).toBe(0);
    expect(call(0x99, 0)).toBe(-1);
  });
  it.each([
    ['SYS_READC', SYS_READC],
    ['SYS_TMPNAM', SYS_TMPNAM],
    ['SYS_REMOVE', SYS_REMOVE],
    ['SYS_RENAME', SYS_RENAME],
    ['SYS_SYSTEM', SYS_SYSTEM],
    ['SYS_ELAPSED', SYS_ELAPSED],
    ['SYS_TICKFREQ', SYS_TICKFREQ],
  ])('%s is not offered: -1, and the host sees nothing', (_name, op) => {
    const { memory, host, call } = setup();
    expect(call(op, memory.words(RAM + 0x40, RAM + 0x80, 4, RAM + 0x90, 4))).toBe(-1);
    expect(host.console).toEqual([]);
    expect(host.exits).toEqual([]);
  });
});
