import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../state.ts';
import {
  CTRL_RXEN,
  CTRL_RXINTEN,
  CTRL_RXOINTEN,
  CTRL_TXEN,
  CTRL_TXINTEN,
  CTRL_TXOINTEN,
  CmsdkApbUart,
  INT_RX,
  INT_RXOVERRUN,
  INT_TX,
  INT_TXOVERRUN,
  STATE_RXFULL,
  STATE_RXOVERRUN,
  STATE_TXFULL,
  STATE_TXOVERRUN,
  UART_BAUDDIV,
  UART_CTRL,
  UART_DATA,
  UART_INTSTATUS,
  UART_STATE,
} from './cmsdk-apb-uart.ts';
import { privateRam } from './device.ts';

function makeUart() {
  const uart = new CmsdkApbUart({ path: '/machine/uart0', props: {}, allocateRam: privateRam });
  const sent: number[] = [];
  uart.onTransmit = (byte) => sent.push(byte);
  const levels: Record<string, boolean> = {};
  for (const port of ['tx', 'rx', 'txovr', 'rxovr', 'uartint']) uart.connectIrqOutput(port, 0, { set: (level) => (levels[port] = level) });
  return { uart, sent, levels };
}

describe('cmsdk-apb-uart', () => {
  it('transmits written bytes at once while CTRL.TXEN is set', () => {
    const { uart, sent } = makeUart();
    uart.write(UART_CTRL, CTRL_TXEN, 4);
    for (const c of 'Hi\n') uart.write(UART_DATA, c.charCodeAt(0), 4);
    expect(String.fromCharCode(...sent)).toBe('Hi\n');
    expect(uart.read(UART_STATE, 4) & STATE_TXFULL).toBe(0);
  });

  it('with TX disabled keeps the byte (TXFULL), overruns on the next, and never sends it, as QEMU', () => {
    const { uart, sent, levels } = makeUart();
    uart.write(UART_DATA, 0x41, 4);
    expect(uart.read(UART_STATE, 4)).toBe(STATE_TXFULL);
    uart.write(UART_CTRL, CTRL_TXEN | CTRL_TXOINTEN, 4);
    expect(sent).toEqual([]);
    uart.write(UART_DATA, 0x42, 4);
    expect(sent).toEqual([]);
    expect(uart.read(UART_STATE, 4)).toBe(STATE_TXFULL | STATE_TXOVERRUN);
    expect(uart.read(UART_INTSTATUS, 4)).toBe(INT_TXOVERRUN);
    expect(levels.txovr).toBe(true);
    expect(levels.uartint).toBe(true);
    // STATE's overrun bits are write-1-to-clear, and the interrupt follows them.
    uart.write(UART_STATE, STATE_TXOVERRUN, 4);
    expect(uart.read(UART_STATE, 4)).toBe(STATE_TXFULL);
    expect(levels.txovr).toBe(false);
    uart.reset();
    expect(uart.read(UART_STATE, 4)).toBe(0);
  });

  it('raises TX when a byte goes out with TXINTEN, until INTCLEAR', () => {
    const { uart, levels } = makeUart();
    uart.write(UART_CTRL, CTRL_TXEN, 4);
    uart.write(UART_DATA, 0x41, 4);
    expect(levels.tx).toBe(false);
    uart.write(UART_CTRL, CTRL_TXEN | CTRL_TXINTEN, 4);
    expect(levels.tx).toBe(false); // enabling does not raise it: only a byte going out does
    uart.write(UART_DATA, 0x42, 4);
    expect(uart.read(UART_INTSTATUS, 4)).toBe(INT_TX);
    expect(levels.tx).toBe(true);
    expect(levels.uartint).toBe(true);
    expect(levels.rx).toBe(false);
    uart.write(UART_INTSTATUS, INT_TX, 4);
    expect(levels.tx).toBe(false);
    expect(levels.uartint).toBe(false);
  });

  it('offers room for one byte only while RXEN is set and the buffer is empty', () => {
    const { uart, levels } = makeUart();
    expect(uart.receiveSpace).toBe(0);
    expect(uart.receive([0x41])).toBe(0);
    uart.write(UART_CTRL, CTRL_RXEN | CTRL_RXINTEN, 4);
    expect(uart.receiveSpace).toBe(1);
    expect(uart.receive([0x61, 0x62])).toBe(1);
    expect(uart.receiveSpace).toBe(0);
    expect(uart.read(UART_STATE, 4)).toBe(STATE_RXFULL);
    expect(levels.rx).toBe(true);
    expect(uart.read(UART_DATA, 4)).toBe(0x61);
    expect(uart.read(UART_STATE, 4)).toBe(0);
    expect(uart.receiveSpace).toBe(1);
    // INTSTATUS.RX stays until cleared, as on QEMU.
    expect(levels.rx).toBe(true);
    uart.write(UART_INTSTATUS, INT_RX, 4);
    expect(levels.rx).toBe(false);
  });

  it('a byte into a full buffer replaces it and sets the RX overrun (interrupt with RXOINTEN); INTCLEAR clears both', () => {
    const { uart, levels } = makeUart();
    uart.write(UART_CTRL, CTRL_RXEN | CTRL_RXOINTEN, 4);
    uart.receive([0x61]);
    uart.receive([0x62]);
    expect(uart.read(UART_STATE, 4)).toBe(STATE_RXFULL | STATE_RXOVERRUN);
    expect(uart.read(UART_INTSTATUS, 4)).toBe(INT_RXOVERRUN);
    expect(levels.rxovr).toBe(true);
    expect(uart.read(UART_DATA, 4)).toBe(0x62);
    uart.write(UART_INTSTATUS, INT_RXOVERRUN, 4);
    expect(uart.read(UART_STATE, 4)).toBe(0);
    expect(levels.rxovr).toBe(false);
  });

  it('keeps 20 bits of BAUDDIV and 7 of CTRL, and has the CMSDK identification registers', () => {
    const { uart } = makeUart();
    uart.write(UART_BAUDDIV, 0xfff_ffff, 4);
    expect(uart.read(UART_BAUDDIV, 4)).toBe(0xfffff);
    uart.write(UART_CTRL, 0xff, 4);
    expect(uart.read(UART_CTRL, 4)).toBe(0x7f);
    const ids = [0xfd0, 0xfd4, 0xfd8, 0xfdc, 0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => uart.read(o, 4));
    expect(ids).toEqual([0x04, 0, 0, 0, 0x21, 0xb8, 0x1b, 0, 0x0d, 0xf0, 0x05, 0xb1]);
    expect(uart.read(0x14, 4)).toBe(0);
  });

  it('is a serial port to the host', () => {
    const { uart } = makeUart();
    expect(uart.capabilities.serial).toBe(uart);
  });

  it('saves and restores its registers and buffers, driving the outputs again', () => {
    const { uart } = makeUart();
    uart.write(UART_CTRL, CTRL_RXEN | CTRL_RXINTEN | CTRL_TXEN, 4);
    uart.write(UART_BAUDDIV, 217, 4);
    uart.receive([0x5a]);
    const saved = saveState(uart);
    const other = makeUart();
    loadState(other.uart, saved);
    expect(other.levels.rx).toBe(true);
    expect(other.uart.read(UART_BAUDDIV, 4)).toBe(217);
    expect(other.uart.read(UART_DATA, 4)).toBe(0x5a);
  });
});
