// A GDB remote serial protocol stub for a Machine, independent of any transport: bytes from gdb go
// in through receive(), bytes for gdb come out through the `send` callback. One thread per hart
// (thread id = hart index in Machine.cpuPaths + 1), all-stop: every hart stops when one stops.
//
// While gdb has the target stopped, nothing runs. On c/s/vCont the stub drives the machine itself,
// in slices (Machine.run), giving the host a turn between slices so a Ctrl-C (0x03) can arrive.
// Registers, the target description and address translation come from each core's debug contract
// (../cpu/contract.ts CpuDebug). Breakpoints (Z0/Z1) are the harts' own (CpuCore.breakpoints): the CPU stops before an instruction
// at one, at full speed elsewhere, and the guest's memory is never patched. A resume first lets
// every hart execute the instruction at its pc (continuing from a breakpoint, as gdb expects).
// A single step runs one instruction of the thread (Machine.stepCpu: other harts run their turns meanwhile). When the
// finisher ends the run, gdb gets W (exit status); a stop gets T05 (breakpoint, step) or T02
// (Ctrl-C) with the thread, and `swbreak:;` for a breakpoint when gdb said it understands it.
// Watchpoints (Z2 write, Z3 read, Z4 access) are the cores' debugger watchpoints
// (CpuDebug.setWatchpoint, on every hart): as on QEMU, the hart stops before the accessing
// instruction (gdb steps over it and compares values) and the stop reply says `watch:`, `rwatch:`
// or `awatch:` with the watchpoint's address.
import type { CpuCore, CpuDebug, WatchpointHit, WatchpointKind } from '../cpu/contract.ts';
import type { Machine, MachineExit } from '../machine.ts';
import { debugRead, debugWrite } from './debug-memory.ts';
import { PacketDecoder, escapeBinary, framePacket, fromHex, hexLe, hexLe32, parseHexLe, parseHexLe32, stringToBytes, toHex, unescapeBinary } from './packets.ts';

export const SIGINT = 2;
export const SIGTRAP = 5;

/** Largest packet we accept and send (hex digits of an m reply: half as many bytes). */
export const PACKET_SIZE = 0x4000;

export interface GdbStubOptions {
  /** Instructions per Machine.run() call while continuing (default 1,000,000). */
  sliceInstructions?: number;
  /** Give the host a turn between slices, so incoming bytes (Ctrl-C) are seen. Default: setImmediate. */
  yieldToHost?: () => Promise<void>;
  /** Wait while every hart sleeps in WFI with no timer pending (default: 10 ms), then look again. */
  waitWhileIdle?: () => Promise<void>;
  /** Called before every slice (e.g. to move serial input into a UART). */
  beforeSlice?: () => void;
  /** Called after every slice (e.g. to flush serial output). */
  afterSlice?: () => void;
}

export type GdbStubEvent =
  /** gdb resumed the target (c, s, vCont). */
  | { kind: 'resume' }
  /** The target stopped and gdb was told (breakpoint, step, Ctrl-C). */
  | { kind: 'stop'; thread: number; signal: number }
  /** The guest ended the run through the finisher; gdb was sent W. */
  | { kind: 'exit'; exit: MachineExit }
  /** gdb detached (D): the machine is gdb's no longer. */
  | { kind: 'detach' }
  /** gdb killed the target (k, vKill). */
  | { kind: 'kill' };

type Resume = { step: boolean; thread: number; address?: number };

/** gdb's Z types of watchpoints and the core's kinds. */
const WATCHPOINT_KINDS: Readonly<Record<string, WatchpointKind>> = { '2': 'write', '3': 'read', '4': 'access' };
/** The stop reply's reason for a watchpoint of each kind. */
const WATCH_REASONS: Readonly<Record<WatchpointKind, string>> = { write: 'watch', read: 'rwatch', access: 'awatch' };

const setImmediateOrTimeout: () => Promise<void> =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? () => new Promise((resolve) => (globalThis as unknown as { setImmediate: (f: () => void) => void }).setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

export class GdbStub {
  private readonly decoder = new PacketDecoder();
  private readonly harts: CpuCore[];
  /** Breakpoint addresses → kinds set there (bit 0: Z0 software, bit 1: Z1 hardware; both are pc checks here). */
  private readonly breakpoints = new Map<number, number>();
  /** gdb register number → register file index, per core's debug contract. */
  private readonly regnums = new Map<CpuDebug, Map<number, number>>();
  private readonly listeners: Array<(event: GdbStubEvent) => void> = [];
  private readonly queued: string[] = [];
  private readonly options: Required<Omit<GdbStubOptions, 'beforeSlice' | 'afterSlice'>> & Pick<GdbStubOptions, 'beforeSlice' | 'afterSlice'>;
  private targetXml: string | undefined;
  private ackMode = true;
  private lastSent: Uint8Array | undefined;
  private clientSwbreak = false;
  private clientHwbreak = false;
  /** Thread for register and memory access (Hg) and for resuming (Hc); 1-based. */
  private gThread = 1;
  private cThread = 1;
  private lastStopThread = 1;
  private runningNow = false;
  private interruptRequested = false;
  private closed = false;

  constructor(
    private readonly machine: Machine,
    private readonly send: (bytes: Uint8Array) => void,
    options: GdbStubOptions = {},
  ) {
    this.harts = machine.cpuPaths.map((path) => machine.cpu(path)!);
    if (this.harts.length === 0) throw new Error('gdb stub: the machine has no CPU to debug');
    this.options = {
      sliceInstructions: options.sliceInstructions ?? 1_000_000,
      yieldToHost: options.yieldToHost ?? setImmediateOrTimeout,
      waitWhileIdle: options.waitWhileIdle ?? (() => new Promise((resolve) => setTimeout(resolve, 10))),
      beforeSlice: options.beforeSlice,
      afterSlice: options.afterSlice,
    };
  }

  /** True while gdb has resumed the target and the stub is running it. */
  get running(): boolean {
    return this.runningNow;
  }

  /** Breakpoint addresses set with Z0/Z1. */
  get breakpointAddresses(): number[] {
    return [...this.breakpoints.keys()];
  }

  onEvent(listener: (event: GdbStubEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Stop serving: a run in progress ends without a reply (the connection is gone). */
  close(): void {
    this.closed = true;
    this.interruptRequested = true;
  }

  /** Stop a running target as Ctrl-C does (gdb is told T02). */
  interrupt(): void {
    if (this.runningNow) this.interruptRequested = true;
  }

  /** Bytes from gdb, in whatever chunks the transport delivers them. */
  receive(bytes: Uint8Array): void {
    for (const event of this.decoder.feed(bytes)) {
      if (this.closed) return;
      switch (event.kind) {
        case 'interrupt':
          this.interrupt();
          break;
        case 'nack':
          if (this.lastSent !== undefined && this.ackMode) this.send(this.lastSent);
          break;
        case 'ack':
          break;
        case 'corrupt':
          if (this.ackMode) this.send(stringToBytes('-'));
          break;
        case 'packet':
          if (this.ackMode) this.send(stringToBytes('+'));
          if (this.runningNow) this.queued.push(event.payload);
          else this.dispatch(event.payload);
          break;
      }
    }
  }

  private emit(event: GdbStubEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private reply(payload: string): void {
    if (this.closed) return;
    const bytes = stringToBytes(framePacket(payload));
    this.lastSent = bytes;
    this.send(bytes);
  }

  private dispatch(payload: string): void {
    let answer: string | Resume | null;
    try {
      answer = this.handle(payload);
    } catch {
      answer = 'E01'; // a request the stub could not serve: an error for gdb, never a crash
    }
    if (answer === null) return;
    if (typeof answer === 'string') {
      this.reply(answer);
      return;
    }
    void this.resume(answer);
  }

  private thread(id: number): CpuCore {
    return this.harts[id - 1] ?? this.harts[0];
  }

  /** A thread id from a packet: -1 (all) and 0 (any) mean the current one; undefined when malformed or unknown. */
  private parseThread(text: string, current: number): number | undefined {
    if (text === '-1' || text === '0') return current;
    const id = parseInt(text.replace(/^p[0-9a-f]+\./i, ''), 16);
    return Number.isInteger(id) && id >= 1 && id <= this.harts.length ? id : undefined;
  }

  /** The answer to one packet: a reply, a resume request, or null for no reply (k). */
  private handle(p: string): string | Resume | null {
    if (p === '?') return this.stopReply(this.lastStopThread, SIGTRAP);
    if (p === 'g') return this.readAllRegisters(this.thread(this.gThread));
    if (p.startsWith('G')) return this.writeAllRegisters(this.thread(this.gThread), p.slice(1));
    if (p.startsWith('p')) return this.readRegister(this.thread(this.gThread), parseInt(p.slice(1), 16));
    if (p.startsWith('P')) {
      const [reg, value] = p.slice(1).split('=');
      return this.writeRegister(this.thread(this.gThread), parseInt(reg, 16), value ?? '');
    }
    if (p.startsWith('m')) return this.readMemory(p.slice(1));
    if (p.startsWith('M')) return this.writeMemory(p.slice(1));
    if (p.startsWith('X')) return this.writeMemoryBinary(p.slice(1));
    if (p.startsWith('c') || p.startsWith('s')) return this.resumeRequest(p[0] === 's', p.slice(1), this.cThread);
    if (p.startsWith('C') || p.startsWith('S')) {
      const semicolon = p.indexOf(';'); // the signal is not delivered: a bare-metal hart has no signals
      return this.resumeRequest(p[0] === 'S', semicolon < 0 ? '' : p.slice(semicolon + 1), this.cThread);
    }
    if (p.startsWith('vCont')) return this.vCont(p);
    if (p.startsWith('Z') || p.startsWith('z')) return this.breakpoint(p);
    if (p.startsWith('H')) {
      const id = this.parseThread(p.slice(2), p[1] === 'g' ? this.gThread : this.cThread);
      if (id === undefined) return 'E01';
      if (p[1] === 'g') this.gThread = id;
      else this.cThread = id;
      return 'OK';
    }
    if (p.startsWith('T')) {
      const id = parseInt(p.slice(1), 16);
      return id >= 1 && id <= this.harts.length ? 'OK' : 'E01';
    }
    if (p === 'k') {
      this.emit({ kind: 'kill' });
      return null;
    }
    if (p.startsWith('vKill')) {
      this.reply('OK');
      this.emit({ kind: 'kill' });
      return null;
    }
    if (p === 'D' || p.startsWith('D;')) {
      this.reply('OK');
      this.emit({ kind: 'detach' });
      return null;
    }
    if (p.startsWith('qSupported')) {
      const features = p.slice('qSupported:'.length).split(';');
      this.clientSwbreak = features.includes('swbreak+');
      this.clientHwbreak = features.includes('hwbreak+');
      return `PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+`;
    }
    if (p === 'QStartNoAckMode') {
      this.reply('OK'); // acknowledged with the ack still on; from now on no acks either way
      this.ackMode = false;
      return null;
    }
    if (p.startsWith('qXfer:features:read:')) return this.readFeatures(p.slice('qXfer:features:read:'.length));
    if (p === 'qAttached' || p.startsWith('qAttached:')) return '1';
    if (p === 'qC') return `QC${this.lastStopThread.toString(16)}`;
    if (p === 'qfThreadInfo') return `m${this.harts.map((_, i) => (i + 1).toString(16)).join(',')}`;
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qThreadExtraInfo,')) {
      const id = this.parseThread(p.slice('qThreadExtraInfo,'.length), 0);
      if (id === undefined) return 'E01';
      const path = this.machine.cpuPaths[id - 1];
      return toHex(stringToBytes(`${path.split('/').pop()} ${this.thread(id).debug.describe()}`));
    }
    if (p === 'qSymbol::') return 'OK';
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p === 'vMustReplyEmpty') return '';
    return ''; // anything else: not supported (gdb falls back or does without)
  }

  // ------------------------------------------------------------------ registers

  private readAllRegisters(cpu: CpuCore): string {
    const { debug } = cpu;
    return debug.gPacketRegisters.map((index) => hexLe32(debug.readRegister(index) ?? 0)).join('');
  }

  private writeAllRegisters(cpu: CpuCore, hex: string): string {
    const { debug } = cpu;
    const count = Math.min(debug.gPacketRegisters.length, Math.floor(hex.length / 8));
    if (count === 0 || hex.length % 8 !== 0) return 'E01';
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      const value = parseHexLe32(hex.slice(8 * i, 8 * i + 8));
      if (value === undefined) return 'E01';
      values.push(value);
    }
    values.forEach((value, i) => debug.writeRegister(debug.gPacketRegisters[i], value));
    return 'OK';
  }

  /** The index in the core's register file of gdb register `regnum`, or undefined. */
  private registerIndex(debug: CpuDebug, regnum: number): number | undefined {
    let map = this.regnums.get(debug);
    if (map === undefined) {
      map = new Map(debug.registers.map((info, index) => [info.regnum, index]));
      this.regnums.set(debug, map);
    }
    return map.get(regnum);
  }

  /** p: the register in as many bytes as it is wide (a 64-bit float register: 16 hex digits). */
  private readRegister(cpu: CpuCore, regnum: number): string {
    const index = this.registerIndex(cpu.debug, regnum);
    if (index === undefined) return 'E01';
    const value = cpu.debug.readRegisterBits(index);
    return value === undefined ? 'E01' : hexLe(value, cpu.debug.registers[index].bits / 8);
  }

  /** P: the value must have the register's width (gdb sends exactly that many bytes). */
  private writeRegister(cpu: CpuCore, regnum: number, hex: string): string {
    if (!Number.isInteger(regnum)) return 'E01';
    const index = this.registerIndex(cpu.debug, regnum);
    if (index === undefined) return 'E01';
    const bits = cpu.debug.registers[index].bits;
    const value = bits === 32 ? (v => (v === undefined ? undefined : BigInt(v)))(parseHexLe32(hex)) : parseHexLe(hex, bits / 8);
    return value !== undefined && cpu.debug.writeRegisterBits(index, value) ? 'OK' : 'E01';
  }

  // ------------------------------------------------------------------ memory

  /** "addr,length" → [addr, length], or undefined when malformed. */
  private addressAndLength(text: string): [number, number] | undefined {
    const match = /^([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(text);
    if (match === null) return undefined;
    const address = parseInt(match[1], 16);
    const length = parseInt(match[2], 16);
    if (!(address <= 0xffff_ffff) || !Number.isSafeInteger(length)) return undefined;
    return [address >>> 0, length];
  }

  private readMemory(args: string): string {
    const parsed = this.addressAndLength(args);
    if (parsed === undefined) return 'E01';
    const [address, length] = parsed;
    if (length === 0) return '';
    const bytes = debugRead(this.thread(this.gThread).debug, address, Math.min(length, PACKET_SIZE / 2));
    return bytes.length === 0 ? 'E14' : toHex(bytes);
  }

  private writeMemory(args: string): string {
    const colon = args.indexOf(':');
    const parsed = colon < 0 ? undefined : this.addressAndLength(args.slice(0, colon));
    const data = colon < 0 ? undefined : fromHex(args.slice(colon + 1));
    if (parsed === undefined || data === undefined || data.length !== parsed[1]) return 'E01';
    return debugWrite(this.thread(this.gThread).debug, parsed[0], data) === data.length ? 'OK' : 'E14';
  }

  private writeMemoryBinary(args: string): string {
    const colon = args.indexOf(':');
    const parsed = colon < 0 ? undefined : this.addressAndLength(args.slice(0, colon));
    if (parsed === undefined) return 'E01';
    const data = unescapeBinary(args.slice(colon + 1));
    if (data.length !== parsed[1]) return 'E01';
    if (data.length === 0) return 'OK'; // gdb's probe for X support
    return debugWrite(this.thread(this.gThread).debug, parsed[0], data) === data.length ? 'OK' : 'E14';
  }

  private readFeatures(args: string): string {
    const match = /^([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    if (match === null) return 'E01';
    if (match[1] !== 'target.xml') return 'E00';
    this.targetXml ??= this.harts[0].debug.targetXml();
    const offset = parseInt(match[2], 16);
    const length = parseInt(match[3], 16);
    const part = this.targetXml.slice(offset, offset + length);
    return `${offset + length >= this.targetXml.length ? 'l' : 'm'}${escapeBinary(part)}`;
  }

  // ------------------------------------------------------------------ breakpoints

  private breakpoint(p: string): string {
    const [type, addressText, kind] = p.slice(1).split(/[,;]/);
    const address = parseInt(addressText ?? '', 16);
    if (Object.hasOwn(WATCHPOINT_KINDS, type)) return this.watchpoint(p[0] === 'Z', WATCHPOINT_KINDS[type], address, parseInt(kind ?? '', 16));
    if (type !== '0' && type !== '1') return '';
    if (!Number.isInteger(address) || address < 0 || address > 0xffff_ffff || kind === undefined) return 'E01';
    const bit = type === '0' ? 1 : 2;
    const kinds = this.breakpoints.get(address >>> 0) ?? 0;
    const now = p[0] === 'Z' ? kinds | bit : kinds & ~bit;
    if (now === 0) this.breakpoints.delete(address >>> 0);
    else this.breakpoints.set(address >>> 0, now);
    for (const cpu of this.harts) {
      if (now === 0) cpu.breakpoints.delete(address >>> 0);
      else cpu.breakpoints.add(address >>> 0);
    }
    return 'OK';
  }

  /** Z2-Z4 / z2-z4: a watchpoint of `length` bytes (gdb's kind field) on every hart. */
  private watchpoint(set: boolean, kind: WatchpointKind, address: number, length: number): string {
    if (!Number.isInteger(address) || address < 0 || address > 0xffff_ffff) return 'E01';
    if (!Number.isInteger(length) || length < 1 || address + length - 1 > 0xffff_ffff) return 'E01';
    for (const cpu of this.harts) {
      if (set) cpu.debug.setWatchpoint(kind, address, length);
      else cpu.debug.removeWatchpoint(kind, address, length);
    }
    return 'OK';
  }

  // ------------------------------------------------------------------ running

  private resumeRequest(step: boolean, addressText: string, thread: number): Resume | string {
    if (addressText === '') return { step, thread };
    const address = parseInt(addressText, 16);
    if (!Number.isInteger(address)) return 'E01';
    return { step, thread, address: address >>> 0 };
  }

  /** vCont;ACTION[:THREAD];… — a step for any thread makes it a step of that thread; otherwise continue. */
  private vCont(p: string): string | Resume {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (!p.startsWith('vCont;')) return '';
    let resume: Resume | undefined;
    for (const action of p.slice('vCont;'.length).split(';')) {
      const [verb, threadText] = action.split(':');
      const thread = threadText === undefined ? this.cThread : this.parseThread(threadText, this.cThread);
      if (thread === undefined) return 'E01';
      const kind = verb[0];
      if (kind === 's' || kind === 'S') {
        if (resume === undefined || !resume.step) resume = { step: true, thread };
      } else if (kind === 'c' || kind === 'C') {
        resume ??= { step: false, thread };
      } else return 'E01';
    }
    return resume ?? 'E01';
  }

  private stopReply(thread: number, signal: number, reason?: 'swbreak' | 'hwbreak' | WatchpointHit): string {
    const exit = this.machine.exit;
    if (exit !== null) return exitReply(exit);
    const why =
      typeof reason === 'object'
        ? `${WATCH_REASONS[reason.kind]}:${reason.address.toString(16)};`
        : reason === 'swbreak' && this.clientSwbreak ? 'swbreak:;' : reason === 'hwbreak' && this.clientHwbreak ? 'hwbreak:;' : '';
    return `T${signal.toString(16).padStart(2, '0')}thread:${thread.toString(16)};${why}`;
  }

  private async resume(request: Resume): Promise<void> {
    this.runningNow = true;
    this.interruptRequested = false;
    this.emit({ kind: 'resume' });
    let thread = request.thread;
    let signal = SIGTRAP;
    let reason: 'swbreak' | 'hwbreak' | WatchpointHit | undefined;
    const { machine } = this;
    const { beforeSlice, afterSlice } = this.options;
    try {
      if (request.address !== undefined) this.thread(request.thread).pc = request.address;
      machine.passBreakpoints();
      if (machine.halted) {
        // nothing to run: the guest already ended the run
      } else if (request.step) {
        beforeSlice?.();
        machine.stepCpu(machine.cpuPaths[thread - 1] ?? machine.cpuPaths[0]);
        afterSlice?.();
        reason = this.thread(thread).debug.watchpointHit;
      } else {
        for (;;) {
          if (this.interruptRequested) {
            signal = SIGINT;
            break;
          }
          beforeSlice?.();
          const ran = machine.run(this.options.sliceInstructions);
          afterSlice?.();
          if (machine.halted) break;
          const hit = machine.stoppedAtBreakpoint;
          if (hit !== null) {
            thread = machine.cpuPaths.indexOf(hit) + 1;
            const core = this.thread(thread);
            reason = core.debug.watchpointHit ?? ((this.breakpoints.get(core.pc >>> 0)! & 1) !== 0 ? 'swbreak' : 'hwbreak');
            break;
          }
          if (ran === 0 && machine.idle) await this.options.waitWhileIdle();
          else await this.options.yieldToHost();
          if (this.closed) break;
        }
      }
    } catch {
      signal = 6; // SIGABRT: the engine failed; the state is left as it is for inspection
    }
    this.runningNow = false;
    if (this.closed) return;
    this.lastStopThread = thread;
    this.gThread = thread;
    const exit = machine.exit;
    this.reply(this.stopReply(thread, signal, reason));
    this.emit(exit !== null ? { kind: 'exit', exit } : { kind: 'stop', thread, signal });
    while (this.queued.length > 0 && !this.runningNow && !this.closed) this.dispatch(this.queued.shift()!);
  }
}

/** W with the finisher's exit status (pass: 0; fail: its code, low 8 bits as a process's). */
export function exitReply(exit: MachineExit): string {
  return `W${(exit.kind === 'pass' ? 0 : exit.code & 0xff).toString(16).padStart(2, '0')}`;
}
