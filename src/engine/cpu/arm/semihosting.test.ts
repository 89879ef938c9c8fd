// ARM semihosting calls as the specification and QEMU 7.2 (AArch32) answer them.
import { describe, expect, it } from 'vitest';
import {
  ADP_STOPPED_APPLICATION_EXIT,
  EACCES,
  EBADF,
  ENOENT,
  ENOSPC,
  heapLayout,
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
import { AddressSpace } from '../../memory.ts';
import * as A from './asm.ts';
import { Program } from './asm.ts';
import { cortexMCore, cpus } from './index.ts';
import { CODE, DATA, FLASH, FLASH_SIZE, SRAM, SRAM_SIZE, STACK_TOP } from './testing.ts';

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

describe('heapLayout: SYS_HEAPINFO from the board, as QEMU 7.2 derives it', () => {
  // mps2-an385 as QEMU 7.2 maps it: 4 MiB SSRAM1 at 0 and its alias, 4 MiB SSRAM2/3, 16 MiB PSRAM
  const mps2 = [
    { base: 0x0000_0000, size: 0x40_0000, readOnly: false },
    { base: 0x0040_0000, size: 0x40_0000, readOnly: false },
    { base: 0x2000_0000, size: 0x40_0000, readOnly: false },
    { base: 0x2100_0000, size: 0x100_0000, readOnly: false },
  ];

  it('the largest writable RAM, all of it when no image loads there: heap from its bottom, stack from its top', () => {
    // what qemu-system-arm -M mps2-an385 answers for firmware linked at 0 (semihost-hello prints it)
    expect(heapLayout(mps2, [{ address: 0, size: 0x1000 }])).toEqual([0x2100_0000, 0x2200_0000, 0x2200_0000, 0x2100_0000]);
  });

  it('skips read-only memory (flash) and takes the lowest of equally large RAMs', () => {
    const layout = heapLayout([
      { base: 0, size: 0x10_0000, readOnly: true },
      { base: 0x3000_0000, size: 0x8000, readOnly: false },
      { base: 0x2000_0000, size: 0x8000, readOnly: false },
    ], []);
    expect(layout).toEqual([0x2000_0000, 0x2000_8000, 0x2000_8000, 0x2000_0000]);
  });

  it('leaves out what images load into the RAM: the largest free stretch, the lowest of equal ones', () => {
    const ram = [{ base: 0x2000_0000, size: 0x1_0000, readOnly: false }];
    // .data and .bss at the bottom: the rest above them
    expect(heapLayout(ram, [{ address: 0x2000_0000, size: 0x100 }, { address: 0x2000_0100, size: 0x300 }])).toEqual([0x2000_0400, 0x2001_0000, 0x2001_0000, 0x2000_0400]);
    // a piece in the middle: the larger side wins
    expect(heapLayout(ram, [{ address: 0x2000_4000, size: 0x1000 }])).toEqual([0x2000_5000, 0x2001_0000, 0x2001_0000, 0x2000_5000]);
    // two equal sides: the lower one
    expect(heapLayout(ram, [{ address: 0x2000_7000, size: 0x2000 }])).toEqual([0x2000_0000, 0x2000_7000, 0x2000_7000, 0x2000_0000]);
    // an image reaching in from below the RAM is clipped to it; one elsewhere does not count
    expect(heapLayout(ram, [{ address: 0x1fff_f000, size: 0x2000 }, { address: 0x0, size: 0x1_0000 }])).toEqual([0x2000_1000, 0x2001_0000, 0x2001_0000, 0x2000_1000]);
  });

  it('no writable RAM: all zero (QEMU answers so too)', () => {
    expect(heapLayout([{ base: 0, size: 0x1000, readOnly: true }], [])).toEqual([0, 0, 0, 0]);
  });
});

describe("the Cortex-M module's semihosting (engine/cpu/arm)", () => {
  const PARAM = SRAM + 0x100;
  const NAME = SRAM + 0x200;

  /** A core from the module's cortex-m3 factory, semihosting on, running `build`'s code from reset. */
  function moduleCore(build: (p: Program) => void, loaded: Array<{ address: number; size: number }> = []) {
    const space = new AddressSpace('test');
    space.mapRam('flash', FLASH, new ArrayBuffer(FLASH_SIZE), FLASH_SIZE);
    space.mapRam('sram', SRAM, new ArrayBuffer(SRAM_SIZE), SRAM_SIZE);
    const program = new Program(CODE);
    program.label('start');
    build(program);
    program.label('end').b('end');
    space.writeBytes(CODE, program.bytes());
    const table = new DataView(new ArrayBuffer(8));
    table.setUint32(0, STACK_TOP, true);
    table.setUint32(4, (program.address('start') | 1) >>> 0, true);
    space.writeBytes(0, new Uint8Array(table.buffer));
    const cpu = cpus['cortex-m3']({ path: '/machine/cpu', props: { semihosting: true }, space, loadedImages: () => loaded });
    const runToEnd = () => {
      cpu.reset();
      cpu.breakpoints.add(program.address('end'));
      cpu.run(1000);
      expect(cpu.pc).toBe(program.address('end'));
    };
    return { cpu, space, runToEnd, r0: () => cortexMCore(cpu).r[0] };
  }

  it('SYS_HEAPINFO answers from the address space and the loaded images', () => {
    const { space, runToEnd } = moduleCore((p) => p.i(A.movs(0, SYS_HEAPINFO), A.li(1, PARAM), A.li(2, DATA), A.strImm(2, 1, 0), A.bkpt(0xab)), [{ address: FLASH, size: 0x1000 }]);
    runToEnd();
    const info = Array.from({ length: 4 }, (_, i) => space.load(DATA + 4 * i, 4) >>> 0);
    // the harness's flash is writable RAM as large as the SRAM: the lower one wins, less the image in it
    expect(info).toEqual([FLASH + 0x1000, FLASH + FLASH_SIZE, FLASH + FLASH_SIZE, FLASH + 0x1000]);
  });

  it('reset forgets open handles and errno: the first SYS_OPEN after a reset gets handle 1 again, SYS_ERRNO is 0', () => {
    const { space, runToEnd, r0 } = moduleCore((p) => p.i(A.movs(0, SYS_OPEN), A.li(1, PARAM), A.bkpt(0xab)));
    space.writeBytes(NAME, Uint8Array.from(':tt', (c) => c.charCodeAt(0)));
    for (const [i, value] of [NAME, 4, 3].entries()) space.store(PARAM + 4 * i, value, 4);
    runToEnd();
    expect(r0()).toBe(1);
    runToEnd(); // no reset in between would give handle 2: a reset came first
    expect(r0()).toBe(1);

    // SYS_ERRNO first, then a failing SYS_CLOSE (handle 7 is not open: EBADF)
    const errno = moduleCore((p) => p.i(A.movs(0, SYS_ERRNO), A.bkpt(0xab), A.mov(8, 0), A.movs(0, SYS_CLOSE), A.li(1, PARAM), A.bkpt(0xab), A.movs(0, SYS_ERRNO), A.bkpt(0xab)));
    errno.space.store(PARAM, 7, 4);
    errno.runToEnd();
    expect(errno.r0()).toBe(EBADF);
    errno.runToEnd(); // after the reset, the first SYS_ERRNO answers 0 again
    expect(cortexMCore(errno.cpu).r[8]).toBe(0);
  });
});
