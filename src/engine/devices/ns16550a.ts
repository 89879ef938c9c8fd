// NS16550A UART, as QEMU virt's serial port (hw/char/serial.c): eight byte-wide registers, a
// receive FIFO of fifo-depth bytes (16 by default; riscv-virt@1.0 has one), transmit that completes
// at once, and a level interrupt output.
//
// The host side (terminal, stdin) is flow-controlled as QEMU's chardev is (serial_can_receive): it
// offers bytes only while the FIFO has room (receiveSpace), so typed and pasted text is never lost,
// and the depth decides how many bytes the guest finds waiting at once — one per interrupt or poll
// with a one-byte FIFO, up to sixteen with the default. A byte that arrives while the FIFO is full
// (the loopback path, or a caller that ignores receiveSpace) is lost and sets LSR.OE, as on a real
// 16550.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { StateError, defineState, type SavedValue, type Stateful } from '../state.ts';
import type { Device, DeviceCapabilities, DeviceContext, IrqLine, Region, SerialPort } from './device.ts';

// Register offsets (DLAB = 0 unless noted).
export const UART_RBR_THR = 0; // receive buffer (read) / transmit holding (write); DLL when DLAB = 1
export const UART_IER = 1; // interrupt enable; DLM when DLAB = 1
export const UART_IIR_FCR = 2; // interrupt identification (read) / FIFO control (write)
export const UART_LCR = 3;
export const UART_MCR = 4;
export const UART_LSR = 5;
export const UART_MSR = 6;
export const UART_SCR = 7;

export const IER_RDI = 0x01; // received data available
export const IER_THRI = 0x02; // transmit holding register empty
export const IER_RLSI = 0x04; // receiver line status

export const IIR_NO_INT = 0x01;
export const IIR_THRI = 0x02;
export const IIR_RDI = 0x04;
export const IIR_FIFO_ENABLED = 0xc0;

export const FCR_ENABLE = 0x01;
export const FCR_CLEAR_RX = 0x02;

export const LCR_DLAB = 0x80;
export const MCR_LOOP = 0x10;

export const LSR_DR = 0x01; // data ready
export const LSR_OE = 0x02; // overrun
export const LSR_THRE = 0x20; // transmit holding register empty
export const LSR_TEMT = 0x40; // transmitter empty

/** The default receive FIFO depth (a real 16550's) and the largest the catalog allows. */
export const RX_FIFO_DEFAULT_DEPTH = 16;
export const RX_FIFO_MAX_DEPTH = 64;

/**
 * Guest-visible state: the receive FIFO, every register and the two latched conditions. The IRQ
 * output is a function of these (interruptId), so postLoad drives it again from them.
 */
export const NS16550A_STATE = defineState({
  name: 'ns16550a',
  version: 1,
  fields: [
    { name: 'rx', type: 'list', element: 'u8', maxLength: RX_FIFO_MAX_DEPTH, doc: 'receive FIFO, oldest byte first (at most fifo-depth bytes)' },
    { name: 'ier', type: 'u8', mask: 0x0f, doc: 'interrupt enable' },
    { name: 'lcr', type: 'u8', doc: 'line control (bit 7: DLAB)' },
    { name: 'mcr', type: 'u8', mask: 0x1f, doc: 'modem control (bit 4: loopback)' },
    { name: 'scr', type: 'u8', doc: 'scratch' },
    { name: 'fcr', type: 'u8', mask: 0xc9, doc: 'FIFO control as last written' },
    { name: 'dll', type: 'u8', doc: 'divisor latch, low byte' },
    { name: 'dlm', type: 'u8', doc: 'divisor latch, high byte' },
    { name: 'overrun', type: 'bool', doc: 'LSR overrun, until LSR is read' },
    { name: 'thrEmptyPending', type: 'bool', doc: 'THR-empty interrupt pending (until IIR read or THR written)' },
  ],
});

export class Ns16550a implements Device, MmioHandler, Stateful, SerialPort {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = NS16550A_STATE;
  /** Receive FIFO depth in bytes (the fifo-depth property). */
  readonly fifoDepth: number;
  /** It is the board's serial port to the host (./device.ts). */
  readonly capabilities: DeviceCapabilities = { serial: this };
  /** Where transmitted bytes go (terminal, stdout). */
  onTransmit: (byte: number) => void = () => {};

  private irq: IrqLine | undefined;
  private rx: number[] = [];
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private fcr = 0;
  private dll = 0;
  private dlm = 0;
  private overrun = false;
  /** THR-empty interrupt is pending until IIR is read or THR written (16550 semantics). */
  private thrEmptyPending = true;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
    const depth = context.props['fifo-depth'] ?? RX_FIFO_DEFAULT_DEPTH;
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > RX_FIFO_MAX_DEPTH) {
      throw new Error(`${this.path}: fifo-depth must be 1 to ${RX_FIFO_MAX_DEPTH} bytes, not ${String(depth)}`);
    }
    this.fifoDepth = depth;
  }

  connectIrqOutput(_port: string, _index: number, line: IrqLine): void {
    this.irq = line;
    this.updateIrq();
  }

  /** Bytes arriving on the line. Returns how many were accepted: the rest overran a full FIFO and are lost (LSR.OE). */
  receive(bytes: Iterable<number>): number {
    let accepted = 0;
    for (const byte of bytes) {
      if (this.rx.length >= this.fifoDepth) {
        this.overrun = true;
        break;
      }
      this.rx.push(byte & 0xff);
      accepted++;
    }
    this.updateIrq();
    return accepted;
  }

  /** Room left in the receive FIFO. */
  get receiveSpace(): number {
    return this.fifoDepth - this.rx.length;
  }

  /** A read without its side effects (RBR not popped, LSR.OE and a THR-empty interrupt not cleared): the register view. */
  peek(_region: string, offset: number, _size: AccessSize): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case UART_RBR_THR:
        return dlab ? this.dll : (this.rx[0] ?? 0);
      case UART_IIR_FCR:
        return this.interruptId() | (this.fcr & FCR_ENABLE ? IIR_FIFO_ENABLED : 0);
      case UART_LSR:
        return this.lineStatus();
      default:
        return this.read(offset, 1);
    }
  }

  private lineStatus(): number {
    return LSR_THRE | LSR_TEMT | (this.rx.length > 0 ? LSR_DR : 0) | (this.overrun ? LSR_OE : 0);
  }

  read(offset: number, _size: AccessSize): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case UART_RBR_THR: {
        if (dlab) return this.dll;
        const byte = this.rx.shift() ?? 0;
        this.updateIrq();
        return byte;
      }
      case UART_IER:
        return dlab ? this.dlm : this.ier;
      case UART_IIR_FCR: {
        const id = this.interruptId();
        if (id === IIR_THRI) this.thrEmptyPending = false;
        this.updateIrq();
        return id | (this.fcr & FCR_ENABLE ? IIR_FIFO_ENABLED : 0);
      }
      case UART_LCR:
        return this.lcr;
      case UART_MCR:
        return this.mcr;
      case UART_LSR: {
        const lsr = this.lineStatus();
        this.overrun = false;
        return lsr;
      }
      case UART_MSR:
        return 0xb0; // DCD, DSR, CTS asserted, as QEMU reports for a connected chardev
      case UART_SCR:
        return this.scr;
      default:
        return 0;
    }
  }

  write(offset: number, value: number, _size: AccessSize): void {
    value &= 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case UART_RBR_THR:
        if (dlab) {
          this.dll = value;
          return;
        }
        if (this.mcr & MCR_LOOP) this.receive([value]);
        else this.onTransmit(value);
        this.thrEmptyPending = true; // transmission completes at once
        this.updateIrq();
        return;
      case UART_IER:
        if (dlab) {
          this.dlm = value;
          return;
        }
        if ((value & IER_THRI) !== 0 && (this.ier & IER_THRI) === 0) this.thrEmptyPending = true;
        this.ier = value & 0x0f;
        this.updateIrq();
        return;
      case UART_IIR_FCR:
        this.fcr = value & 0xc9;
        if (value & FCR_CLEAR_RX) this.rx = [];
        this.updateIrq();
        return;
      case UART_LCR:
        this.lcr = value;
        return;
      case UART_MCR:
        this.mcr = value & 0x1f;
        return;
      case UART_SCR:
        this.scr = value;
        return;
      default:
        return;
    }
  }

  private interruptId(): number {
    if ((this.ier & IER_RDI) !== 0 && this.rx.length > 0) return IIR_RDI;
    if ((this.ier & IER_THRI) !== 0 && this.thrEmptyPending) return IIR_THRI;
    return IIR_NO_INT;
  }

  private updateIrq(): void {
    this.irq?.set(this.interruptId() !== IIR_NO_INT);
  }

  /** A saved FIFO must fit this UART's depth (a snapshot of a 16-byte FIFO cannot load into a one-byte one). */
  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    const rx = fields.rx as readonly number[];
    if (rx.length > this.fifoDepth) throw new StateError(`${this.path} (ns16550a): field rx holds ${rx.length} entries, more than this UART's fifo-depth of ${this.fifoDepth}`, 'ns16550a', 'rx');
  }

  /** After loadState: drive the IRQ output from the loaded registers and FIFO. */
  postLoad(): void {
    this.updateIrq();
  }

  reset(): void {
    this.rx = [];
    this.ier = 0;
    this.lcr = 0;
    this.mcr = 0;
    this.scr = 0;
    this.fcr = 0;
    this.dll = 0;
    this.dlm = 0;
    this.overrun = false;
    this.thrEmptyPending = true;
    this.updateIrq();
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { ns16550a: (context: DeviceContext) => new Ns16550a(context) };
