import { describe, expect, it } from 'vitest';
import { IER_RDI, IER_THRI, IIR_NO_INT, IIR_RDI, IIR_THRI, LCR_DLAB, LSR_DR, LSR_THRE, Ns16550a, UART_IER, UART_IIR_FCR, UART_LCR, UART_LSR, UART_MCR, UART_RBR_THR, UART_SCR } from './ns16550a.ts';

function makeUart() {
  const uart = new Ns16550a({ path: '/machine/uart0', props: {}, allocateRam: (n) => new ArrayBuffer(n) });
  const sent: number[] = [];
  const irq: boolean[] = [];
  uart.onTransmit = (byte) => sent.push(byte);
  uart.connectIrqOutput('irq', 0, { set: (level) => irq.push(level) });
  return { uart, sent, irq, lastIrq: () => irq[irq.length - 1] };
}

describe('ns16550a', () => {
  it('transmits written bytes at once and always reports THR empty', () => {
    const { uart, sent } = makeUart();
    expect(uart.read(UART_LSR, 1) & LSR_THRE).toBe(LSR_THRE);
    for (const c of 'Hi\n') uart.write(UART_RBR_THR, c.charCodeAt(0), 1);
    expect(String.fromCharCode(...sent)).toBe('Hi\n');
  });

  it('receives into a 16-byte FIFO with data-ready and overrun', () => {
    const { uart } = makeUart();
    expect(uart.read(UART_LSR, 1) & LSR_DR).toBe(0);
    expect(uart.receive(new TextEncoder().encode('ab'))).toBe(2);
    expect(uart.read(UART_LSR, 1) & LSR_DR).toBe(LSR_DR);
    expect(uart.read(UART_RBR_THR, 1)).toBe(0x61);
    expect(uart.read(UART_RBR_THR, 1)).toBe(0x62);
    expect(uart.read(UART_LSR, 1) & LSR_DR).toBe(0);
    expect(uart.receive(new Uint8Array(20))).toBe(16);
    expect(uart.read(UART_LSR, 1) & 0x02).toBe(0x02); // overrun, cleared by the read
    expect(uart.read(UART_LSR, 1) & 0x02).toBe(0);
  });

  it('raises its IRQ for received data when enabled, and drops it when the FIFO empties', () => {
    const { uart, lastIrq } = makeUart();
    uart.write(UART_IER, IER_RDI, 1);
    expect(lastIrq()).toBe(false);
    uart.receive([0x41]);
    expect(lastIrq()).toBe(true);
    expect(uart.read(UART_IIR_FCR, 1) & 0x0f).toBe(IIR_RDI);
    uart.read(UART_RBR_THR, 1);
    expect(lastIrq()).toBe(false);
    expect(uart.read(UART_IIR_FCR, 1) & 0x0f).toBe(IIR_NO_INT);
  });

  it('raises THR-empty when enabled until IIR is read, and again after a write', () => {
    const { uart, lastIrq } = makeUart();
    uart.write(UART_IER, IER_THRI, 1);
    expect(lastIrq()).toBe(true);
    expect(uart.read(UART_IIR_FCR, 1) & 0x0f).toBe(IIR_THRI);
    expect(lastIrq()).toBe(false);
    uart.write(UART_RBR_THR, 0x41, 1);
    expect(lastIrq()).toBe(true);
  });

  it('keeps divisor latches behind DLAB and a scratch register', () => {
    const { uart, sent } = makeUart();
    uart.write(UART_LCR, LCR_DLAB, 1);
    uart.write(UART_RBR_THR, 0x0c, 1);
    uart.write(UART_IER, 0x01, 1);
    expect(uart.read(UART_RBR_THR, 1)).toBe(0x0c);
    expect(uart.read(UART_IER, 1)).toBe(0x01);
    uart.write(UART_LCR, 0x03, 1);
    expect(uart.read(UART_IER, 1)).toBe(0);
    expect(sent).toEqual([]);
    uart.write(UART_SCR, 0x5a, 1);
    expect(uart.read(UART_SCR, 1)).toBe(0x5a);
  });

  it('loops transmitted bytes back in loopback mode, and resets', () => {
    const { uart, sent } = makeUart();
    uart.write(UART_MCR, 0x10, 1);
    uart.write(UART_RBR_THR, 0x7a, 1);
    expect(sent).toEqual([]);
    expect(uart.read(UART_RBR_THR, 1)).toBe(0x7a);
    uart.receive([1, 2, 3]);
    uart.reset();
    expect(uart.read(UART_LSR, 1) & LSR_DR).toBe(0);
    expect(uart.read(UART_MCR, 1)).toBe(0);
  });
});
