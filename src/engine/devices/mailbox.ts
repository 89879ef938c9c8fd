// A mailbox for inter-processor communication, like the message units of AMP SoCs: two sides, `a`
// and `b`, each with its own register block (`a.regs`, `b.regs`, mapped into the view of the CPU
// that uses that side) and its own level interrupt (`a.irq`, `b.irq`). Each direction holds a FIFO
// of `depth` 32-bit words: what side a writes to TX, side b reads from RX, and the reverse.
//
// Registers of each side (offsets into its 4 KiB block):
//   0x00 TX      (write) push a word into the other side's receive FIFO; full: dropped, STATUS.TXOVF sets
//   0x04 RX      (read)  pop a word from this side's receive FIFO; 0 when empty
//   0x08 STATUS  (read)  RXNE (bit 0), TXFULL (bit 1), TXOVF (bit 2, sticky; write 1 to clear)
//   0x0C IRQEN   (r/w)   bit 0: irq while RXNE; bit 1: irq while TXFULL is clear
//   0x10 RXCOUNT (read)  words waiting in this side's receive FIFO
// Every other offset reads 0 and ignores writes. Reset empties both FIFOs and clears IRQEN and TXOVF.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, StateError, type SavedValue, type Stateful } from '../state.ts';
import type { Device, DeviceContext, IrqLine, Region } from './device.ts';

export const MAILBOX_TX = 0x00;
export const MAILBOX_RX = 0x04;
export const MAILBOX_STATUS = 0x08;
export const MAILBOX_IRQEN = 0x0c;
export const MAILBOX_RXCOUNT = 0x10;

/** STATUS: this side's receive FIFO holds a word. */
export const STATUS_RXNE = 1 << 0;
/** STATUS: the other side's receive FIFO (where TX pushes) is full. */
export const STATUS_TXFULL = 1 << 1;
/** STATUS: a TX write found the other side's FIFO full and was dropped (sticky; write 1 to clear). */
export const STATUS_TXOVF = 1 << 2;

/** IRQEN: raise irq while RXNE. */
export const IRQEN_RXNE = 1 << 0;
/** IRQEN: raise irq while TXFULL is clear (room to send). */
export const IRQEN_TXSPACE = 1 << 1;
const IRQEN_MASK = IRQEN_RXNE | IRQEN_TXSPACE;

export const MAILBOX_DEFAULT_DEPTH = 16;
export const MAILBOX_MAX_DEPTH = 256;
/** Size of each side's register block. */
export const MAILBOX_REGION_SIZE = 0x1000;

export type MailboxSide = 'a' | 'b';

export const MAILBOX_STATE = defineState({
  name: 'mailbox',
  version: 1,
  fields: [
    { name: 'rxA', type: 'list', element: 'u32', maxLength: MAILBOX_MAX_DEPTH, doc: "side a's receive FIFO (words side b sent), oldest first" },
    { name: 'rxB', type: 'list', element: 'u32', maxLength: MAILBOX_MAX_DEPTH, doc: "side b's receive FIFO (words side a sent), oldest first" },
    { name: 'irqenA', type: 'u32', mask: IRQEN_MASK, doc: "side a's IRQEN" },
    { name: 'irqenB', type: 'u32', mask: IRQEN_MASK, doc: "side b's IRQEN" },
    { name: 'txovfA', type: 'bool', doc: "side a's STATUS.TXOVF" },
    { name: 'txovfB', type: 'bool', doc: "side b's STATUS.TXOVF" },
  ],
});

export class Mailbox implements Device, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = MAILBOX_STATE;
  readonly depth: number;
  // State (MAILBOX_STATE): the receive FIFO of each side, its IRQEN and its TXOVF.
  rxA: number[] = [];
  rxB: number[] = [];
  irqenA = 0;
  irqenB = 0;
  txovfA = false;
  txovfB = false;
  private readonly lines: Record<MailboxSide, IrqLine | undefined> = { a: undefined, b: undefined };
  /** The level each irq output was last driven to (undefined: not yet), so a line changes only on an edge. */
  private readonly driven: Record<MailboxSide, boolean | undefined> = { a: undefined, b: undefined };

  constructor(context: DeviceContext) {
    this.path = context.path;
    const depth = context.props.depth ?? MAILBOX_DEFAULT_DEPTH;
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > MAILBOX_MAX_DEPTH) {
      throw new Error(`${this.path}: depth must be an integer from 1 to ${MAILBOX_MAX_DEPTH}, not ${String(depth)}`);
    }
    this.depth = depth;
    this.regions = new Map<string, Region>([
      ['a.regs', { kind: 'mmio', handler: this.sideHandler('a') }],
      ['b.regs', { kind: 'mmio', handler: this.sideHandler('b') }],
    ]);
  }

  private sideHandler(side: MailboxSide): MmioHandler {
    return { read: (offset, size) => this.read(side, offset, size), write: (offset, value, size) => this.write(side, offset, value, size) };
  }

  private rx(side: MailboxSide): number[] {
    return side === 'a' ? this.rxA : this.rxB;
  }

  private other(side: MailboxSide): MailboxSide {
    return side === 'a' ? 'b' : 'a';
  }

  private irqen(side: MailboxSide): number {
    return side === 'a' ? this.irqenA : this.irqenB;
  }

  /** STATUS of one side. */
  status(side: MailboxSide): number {
    const txovf = side === 'a' ? this.txovfA : this.txovfB;
    return (this.rx(side).length > 0 ? STATUS_RXNE : 0) | (this.rx(this.other(side)).length >= this.depth ? STATUS_TXFULL : 0) | (txovf ? STATUS_TXOVF : 0);
  }

  /** A read without its side effects: RX shows the word a read would pop, without popping it. Regions "a.regs" and "b.regs". */
  peek(region: string, offset: number, size: AccessSize): number | undefined {
    const side: MailboxSide | undefined = region === 'a.regs' ? 'a' : region === 'b.regs' ? 'b' : undefined;
    if (side === undefined) return undefined;
    return offset === MAILBOX_RX ? (this.rx(side)[0] ?? 0) : this.read(side, offset, size);
  }

  read(side: MailboxSide, offset: number, _size: AccessSize = 4): number {
    switch (offset) {
      case MAILBOX_RX: {
        const word = this.rx(side).shift();
        if (word === undefined) return 0;
        this.update();
        return word;
      }
      case MAILBOX_STATUS:
        return this.status(side);
      case MAILBOX_IRQEN:
        return this.irqen(side);
      case MAILBOX_RXCOUNT:
        return this.rx(side).length;
      default:
        return 0;
    }
  }

  write(side: MailboxSide, offset: number, value: number, _size: AccessSize = 4): void {
    switch (offset) {
      case MAILBOX_TX: {
        const target = this.rx(this.other(side));
        if (target.length < this.depth) target.push(value >>> 0);
        else if (side === 'a') this.txovfA = true;
        else this.txovfB = true;
        break;
      }
      case MAILBOX_STATUS:
        if ((value & STATUS_TXOVF) !== 0) {
          if (side === 'a') this.txovfA = false;
          else this.txovfB = false;
        }
        break;
      case MAILBOX_IRQEN:
        if (side === 'a') this.irqenA = value & IRQEN_MASK;
        else this.irqenB = value & IRQEN_MASK;
        break;
      default:
        return;
    }
    this.update();
  }

  /** The level of one side's irq output. */
  irqLevel(side: MailboxSide): boolean {
    const irqen = this.irqen(side);
    const status = this.status(side);
    return ((irqen & IRQEN_RXNE) !== 0 && (status & STATUS_RXNE) !== 0) || ((irqen & IRQEN_TXSPACE) !== 0 && (status & STATUS_TXFULL) === 0);
  }

  private update(): void {
    for (const side of ['a', 'b'] as const) {
      const level = this.irqLevel(side);
      if (this.driven[side] === level) continue;
      this.driven[side] = level;
      this.lines[side]?.set(level);
    }
  }

  connectIrqOutput(port: string, _index: number, line: IrqLine): void {
    if (port !== 'a.irq' && port !== 'b.irq') return;
    const side = port === 'a.irq' ? 'a' : 'b';
    this.lines[side] = line;
    this.driven[side] = this.irqLevel(side);
    line.set(this.driven[side]);
  }

  reset(): void {
    this.rxA.length = 0;
    this.rxB.length = 0;
    this.irqenA = 0;
    this.irqenB = 0;
    this.txovfA = false;
    this.txovfB = false;
    this.update();
  }

  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    for (const name of ['rxA', 'rxB'] as const) {
      const words = fields[name] as number[];
      if (words.length > this.depth) throw new StateError(`${this.path} (mailbox): field ${name} holds ${words.length} words, more than depth ${this.depth}`, 'mailbox', name);
    }
  }

  postLoad(): void {
    this.update();
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { mailbox: (context: DeviceContext) => new Mailbox(context) };
