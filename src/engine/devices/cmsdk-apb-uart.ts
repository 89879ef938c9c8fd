// The CMSDK APB UART (ARM DDI0479C), as QEMU 7.2 models it (hw/char/cmsdk-apb-uart.c): one-byte
// transmit and receive buffers, always 8N1, with five interrupt outputs — TX, RX, TX overrun, RX
// overrun and the combined UARTINTR (any INTSTATUS bit).
//
// Transmission completes at once, but only while CTRL.TXEN is set: a byte written with TX disabled
// stays in the buffer (STATE.TXFULL) and is never sent, and a further write is a TX overrun, as on
// QEMU. The TX interrupt latches when the buffer empties (a byte went out) with TXINTEN set. The
// host offers a byte only while CTRL.RXEN is set and the receive buffer is empty (receiveSpace),
// as QEMU's chardev flow control does; a byte pushed into a full buffer replaces it and sets the
// RX overrun. BAUDDIV is kept (20 bits) but no baud rate is derived from it.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import { cmsdkIdRegister } from './cmsdk.ts';
import type { Device, DeviceCapabilities, DeviceContext, IrqLine, Region, SerialPort } from './device.ts';

// Register offsets.
export const UART_DATA = 0x00;
export const UART_STATE = 0x04;
export const UART_CTRL = 0x08;
export const UART_INTSTATUS = 0x0c; // read: status; write 1s: clear (INTCLEAR)
export const UART_BAUDDIV = 0x10;

// STATE bits (TXFULL and RXFULL read-only; the overrun bits write-1-to-clear).
export const STATE_TXFULL = 0x1;
export const STATE_RXFULL = 0x2;
export const STATE_TXOVERRUN = 0x4;
export const STATE_RXOVERRUN = 0x8;

// CTRL bits.
export const CTRL_TXEN = 0x01;
export const CTRL_RXEN = 0x02;
export const CTRL_TXINTEN = 0x04;
export const CTRL_RXINTEN = 0x08;
export const CTRL_TXOINTEN = 0x10;
export const CTRL_RXOINTEN = 0x20;
export const CTRL_HSTM = 0x40; // high-speed test mode
const CTRL_MASK = 0x7f;

// INTSTATUS bits.
export const INT_TX = 0x1;
export const INT_RX = 0x2;
export const INT_TXOVERRUN = 0x4;
export const INT_RXOVERRUN = 0x8;
const INT_OVERRUNS = INT_TXOVERRUN | INT_RXOVERRUN;

const BAUDDIV_MASK = 0xfffff;

/** PID4–PID7, PID0–PID3, CID0–CID3 (part number 0x821). */
export const UART_ID = [0x04, 0x00, 0x00, 0x00, 0x21, 0xb8, 0x1b, 0x00, 0x0d, 0xf0, 0x05, 0xb1] as const;

/** The IRQ output ports, in the catalog's order. */
const OUTPUTS = ['tx', 'rx', 'txovr', 'rxovr', 'uartint'] as const;
type Output = (typeof OUTPUTS)[number];

export const CMSDK_APB_UART_STATE = defineState({
  name: 'cmsdk-apb-uart',
  version: 1,
  fields: [
    { name: 'state', type: 'u8', mask: 0x0f, doc: 'STATE: TXFULL, RXFULL, TX overrun, RX overrun' },
    { name: 'ctrl', type: 'u8', mask: CTRL_MASK, doc: 'CTRL' },
    { name: 'intstatus', type: 'u8', mask: 0x0f, doc: 'INTSTATUS: TX, RX, TX overrun, RX overrun' },
    { name: 'bauddiv', type: 'u32', mask: BAUDDIV_MASK, doc: 'BAUDDIV (20 bits)' },
    { name: 'txbuf', type: 'u8', doc: 'the byte in the transmit buffer' },
    { name: 'rxbuf', type: 'u8', doc: 'the byte in the receive buffer' },
  ],
});

export class CmsdkApbUart implements Device, MmioHandler, Stateful, SerialPort {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = CMSDK_APB_UART_STATE;
  /** It is a serial port to the host (the CLI's stdio, the page's terminal), like the NS16550A. */
  readonly capabilities: DeviceCapabilities = { serial: this };
  /** Where transmitted bytes go (the machine sets it). */
  onTransmit: (byte: number) => void = () => {};

  private state = 0;
  private ctrl = 0;
  private intstatus = 0;
  private bauddiv = 0;
  private txbuf = 0;
  private rxbuf = 0;
  private readonly lines = new Map<Output, IrqLine>();
  private readonly levels = new Map<Output, boolean>();

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
  }

  connectIrqOutput(port: string, _index: number, line: IrqLine): void {
    if (!(OUTPUTS as readonly string[]).includes(port)) return;
    this.lines.set(port as Output, line);
    line.set(this.levels.get(port as Output) ?? false);
  }

  /** One byte while receiving is enabled and the buffer is empty, else none. */
  get receiveSpace(): number {
    return this.ctrl & CTRL_RXEN && !(this.state & STATE_RXFULL) ? 1 : 0;
  }

  receive(bytes: Iterable<number>): number {
    let taken = 0;
    for (const byte of bytes) {
      if (taken > 0 && this.receiveSpace === 0) break;
      if (!(this.ctrl & CTRL_RXEN)) break; // dropped, as with the receiver off
      if (this.state & STATE_RXFULL) this.state |= STATE_RXOVERRUN;
      this.rxbuf = byte & 0xff;
      this.state |= STATE_RXFULL;
      if (this.ctrl & CTRL_RXINTEN) this.intstatus |= INT_RX;
      taken++;
      this.update();
    }
    return taken;
  }

  /** A read without its side effects: DATA shows the received byte without clearing STATE.RXFULL. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return offset === UART_DATA ? this.rxbuf : this.read(offset, size);
  }

  read(offset: number, _size: AccessSize): number {
    switch (offset) {
      case UART_DATA:
        this.state &= ~STATE_RXFULL;
        this.update();
        return this.rxbuf;
      case UART_STATE:
        return this.state;
      case UART_CTRL:
        return this.ctrl;
      case UART_INTSTATUS:
        return this.intstatus;
      case UART_BAUDDIV:
        return this.bauddiv;
      default:
        return cmsdkIdRegister(UART_ID, offset);
    }
  }

  write(offset: number, value: number, _size: AccessSize): void {
    value >>>= 0;
    switch (offset) {
      case UART_DATA:
        this.txbuf = value & 0xff;
        if (this.state & STATE_TXFULL) {
          this.state |= STATE_TXOVERRUN; // the byte waiting is replaced
          this.update();
        } else {
          this.state |= STATE_TXFULL;
          this.transmit();
        }
        return;
      case UART_STATE:
        this.state &= ~(value & (STATE_TXOVERRUN | STATE_RXOVERRUN));
        this.update();
        return;
      case UART_CTRL:
        this.ctrl = value & CTRL_MASK;
        this.update();
        return;
      case UART_INTSTATUS:
        // Clearing an overrun interrupt clears the overrun status it reflects.
        this.state &= ~(value & INT_OVERRUNS);
        this.intstatus &= ~value;
        this.update();
        return;
      case UART_BAUDDIV:
        this.bauddiv = value & BAUDDIV_MASK;
        return;
      default:
        return; // ID registers are read-only
    }
  }

  reset(): void {
    this.state = 0;
    this.ctrl = 0;
    this.intstatus = 0;
    this.bauddiv = 0;
    this.txbuf = 0;
    this.rxbuf = 0;
    this.update();
  }

  postLoad(): void {
    this.update();
  }

  /** Send the buffered byte if the transmitter is on; the emptied buffer raises the TX interrupt. */
  private transmit(): void {
    if (!(this.ctrl & CTRL_TXEN) || !(this.state & STATE_TXFULL)) {
      this.update();
      return;
    }
    this.onTransmit(this.txbuf);
    this.state &= ~STATE_TXFULL;
    if (this.ctrl & CTRL_TXINTEN) this.intstatus |= INT_TX;
    this.update();
  }

  /** The overrun interrupt bits follow STATE's overrun bits and their enables; drive the five outputs. */
  private update(): void {
    this.intstatus = (this.intstatus & ~INT_OVERRUNS) | (this.state & (this.ctrl >>> 2) & INT_OVERRUNS);
    this.drive('tx', (this.intstatus & INT_TX) !== 0);
    this.drive('rx', (this.intstatus & INT_RX) !== 0);
    this.drive('txovr', (this.intstatus & INT_TXOVERRUN) !== 0);
    this.drive('rxovr', (this.intstatus & INT_RXOVERRUN) !== 0);
    this.drive('uartint', this.intstatus !== 0);
  }

  private drive(output: Output, level: boolean): void {
    if (this.levels.get(output) === level) return;
    this.levels.set(output, level);
    this.lines.get(output)?.set(level);
  }
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'cmsdk-apb-uart': (context: DeviceContext) => new CmsdkApbUart(context) };
