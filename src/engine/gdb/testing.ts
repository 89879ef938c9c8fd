// A gdb stand-in for the stub's tests: frames requests, collects what the stub sends, and waits for
// replies (a resume's reply arrives after the run, on a later turn of the event loop).
import { readFileSync } from 'node:fs';
import { boardFromMachineType, resolveBoard } from '../../graph/index.ts';
import { Machine } from '../machine.ts';
import { PacketDecoder, framePacket, stringToBytes } from './packets.ts';
import { GdbStub, type GdbStubEvent, type GdbStubOptions } from './stub.ts';

export function firmware(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../public/firmware/${name}.elf`, import.meta.url)));
}

/** riscv-virt (QEMU virt's layout, boot ROM at 0x1000) with an ELF for cpu0. */
export function virtMachine(elf: Uint8Array, harts = 1, output?: number[]): Machine {
  const result = resolveBoard({ ...boardFromMachineType('riscv-virt', harts === 1 ? {} : { harts }), images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return Machine.build(result.board, new Map([['fw.elf', elf]]), { onSerialOutput: output ? (_uart, byte) => output.push(byte) : undefined });
}

export class FakeGdb {
  readonly stub: GdbStub;
  readonly events: GdbStubEvent[] = [];
  /** Every raw byte string the stub sent. */
  readonly raw: string[] = [];
  private readonly decoder = new PacketDecoder();
  private readonly replies: string[] = [];
  acks = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly machine: Machine,
    options: GdbStubOptions = {},
  ) {
    this.stub = new GdbStub(machine, (bytes) => this.fromStub(bytes), options);
    this.stub.onEvent((event) => this.events.push(event));
  }

  private fromStub(bytes: Uint8Array): void {
    this.raw.push(String.fromCharCode(...bytes));
    for (const event of this.decoder.feed(bytes)) {
      if (event.kind === 'ack') this.acks++;
      if (event.kind === 'packet') this.replies.push(event.payload);
    }
    this.wake?.();
  }

  /** Send raw bytes (e.g. "\x03" or a hand-made packet). */
  sendRaw(text: string): void {
    this.stub.receive(stringToBytes(text));
  }

  send(payload: string): void {
    this.sendRaw(framePacket(payload));
  }

  /** The next reply packet, waiting (up to `ms`) for one to arrive. */
  async next(ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error('no reply from the stub');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 20);
      });
      this.wake = undefined;
    }
    return this.replies.shift()!;
  }

  /** Replies waiting to be read. */
  get pending(): number {
    return this.replies.length;
  }

  async request(payload: string): Promise<string> {
    this.send(payload);
    return this.next();
  }
}

/** A 32-bit register value from gdb's little-endian hex. */
export function le32(hex: string): number {
  let value = 0;
  for (let i = 3; i >= 0; i--) value = value * 256 + parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return value >>> 0;
}

export function elfSymbol(elf: Uint8Array, name: string): number {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = view.getUint32(0x20, true);
  const shentsize = view.getUint16(0x2e, true);
  const shnum = view.getUint16(0x30, true);
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (view.getUint32(sh + 4, true) !== 2 /* SHT_SYMTAB */) continue;
    const offset = view.getUint32(sh + 0x10, true);
    const size = view.getUint32(sh + 0x14, true);
    const strtab = shoff + view.getUint32(sh + 0x18, true) * shentsize;
    const strOffset = view.getUint32(strtab + 0x10, true);
    for (let s = offset; s < offset + size; s += 16) {
      let n = strOffset + view.getUint32(s, true);
      let text = '';
      while (elf[n] !== 0) text += String.fromCharCode(elf[n++]);
      if (text === name) return view.getUint32(s + 4, true);
    }
  }
  throw new Error(`no symbol ${name}`);
}

export { stringToBytes };
