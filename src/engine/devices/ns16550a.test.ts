import { describe, expect, it } from 'vitest';
import { loadState, saveState, StateError, type SavedState } from '../state.ts';
import { IER_RDI, IER_THRI, IIR_NO_INT, IIR_RDI, IIR_THRI, LCR_DLAB, LSR_DR, LSR_OE, LSR_TEMT, LSR_THRE, MCR_LOOP, Ns16550a, UART_IER, UART_IIR_FCR, UART_LCR, UART_LSR, UART_MCR, UART_MSR, UART_RBR_THR, UART_SCR } from './ns16550a.ts';
import { privateRam } from './device.ts';

function makeUart(props: Record<string, number> = {}) {
  const uart = new Ns16550a({ path: '/machine/uart0', props, allocateRam: privateRam });
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

  it('fifo-depth sets how many bytes the receive FIFO holds: a one-byte FIFO overruns on the second', () => {
    const one = makeUart({ 'fifo-depth': 1 }).uart;
    expect(one.fifoDepth).toBe(1);
    expect(one.receiveSpace).toBe(1);
    expect(one.receive([0x61, 0x62, 0x63])).toBe(1);
    expect(one.receiveSpace).toBe(0);
    expect(one.read(UART_LSR, 1)).toBe(LSR_DR | LSR_OE | LSR_THRE | LSR_TEMT);
    expect(one.read(UART_RBR_THR, 1)).toBe(0x61);
    expect(one.read(UART_LSR, 1) & LSR_DR).toBe(0); // b and c were lost
    const deep = makeUart({ 'fifo-depth': 64 }).uart;
    expect(deep.receive(new Uint8Array(70))).toBe(64);
    expect(deep.receiveSpace).toBe(0);
  });

  it('in loopback, bytes written past a full FIFO are lost and set overrun', () => {
    for (const [depth, kept] of [[1, 1], [16, 16], [4, 4]] as const) {
      const { uart, sent } = makeUart({ 'fifo-depth': depth });
      uart.write(UART_MCR, MCR_LOOP, 1);
      for (let i = 0; i < 20; i++) uart.write(UART_RBR_THR, 0x30 + i, 1);
      expect(sent).toEqual([]);
      expect(uart.read(UART_LSR, 1) & LSR_OE).toBe(LSR_OE);
      const got: number[] = [];
      while (uart.read(UART_LSR, 1) & LSR_DR) got.push(uart.read(UART_RBR_THR, 1));
      expect(got).toEqual(Array.from({ length: kept }, (_, i) => 0x30 + i));
    }
  });

  it('refuses a fifo-depth outside 1..64', () => {
    expect(() => makeUart({ 'fifo-depth': 0 })).toThrow('/machine/uart0: fifo-depth must be 1 to 64 bytes, not 0');
    expect(() => makeUart({ 'fifo-depth': 65 })).toThrow(/fifo-depth must be 1 to 64/);
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

describe('ns16550a state', () => {
  const roundTrip = (state: SavedState): SavedState => JSON.parse(JSON.stringify(state)) as SavedState;

  /** Reads every register (side effects included: LSR clears overrun, IIR clears THR-empty, RBR pops), drains the FIFO, transmits. */
  function probe(uart: Ns16550a, sent: number[], lastIrq: () => boolean | undefined): unknown[] {
    const seen: unknown[] = [lastIrq()];
    for (const offset of [UART_IER, UART_LCR, UART_MCR, UART_SCR, UART_MSR]) seen.push(uart.read(offset, 1));
    const lcr = uart.read(UART_LCR, 1);
    uart.write(UART_LCR, lcr | LCR_DLAB, 1);
    seen.push(uart.read(UART_RBR_THR, 1), uart.read(UART_IER, 1));
    uart.write(UART_LCR, lcr & ~LCR_DLAB, 1);
    seen.push(uart.receiveSpace, uart.read(UART_LSR, 1), uart.read(UART_LSR, 1));
    for (let i = 0; i < 18; i++) seen.push(uart.read(UART_IIR_FCR, 1), lastIrq(), uart.read(UART_RBR_THR, 1), lastIrq());
    seen.push(uart.read(UART_IIR_FCR, 1), lastIrq());
    uart.write(UART_RBR_THR, 0x21, 1);
    seen.push(lastIrq(), uart.read(UART_IIR_FCR, 1), lastIrq(), [...sent]);
    return seen;
  }

  /** A UART with divisor latches, IER, a full FIFO with overrun, FIFOs enabled, scratch and MCR set. */
  function busyUart() {
    const made = makeUart();
    const { uart } = made;
    uart.write(UART_LCR, LCR_DLAB | 0x03, 1);
    uart.write(UART_RBR_THR, 0x0c, 1); // DLL
    uart.write(UART_IER, 0x01, 1); // DLM
    uart.write(UART_LCR, 0x1b, 1);
    uart.write(UART_IIR_FCR, 0xc7, 1);
    uart.write(UART_IER, IER_RDI | IER_THRI, 1);
    uart.write(UART_SCR, 0x5a, 1);
    uart.write(UART_MCR, 0x0b, 1);
    uart.receive(new TextEncoder().encode('the quick brown fox')); // 16 accepted, overrun
    uart.read(UART_RBR_THR, 1); // 15 left
    return made;
  }

  it('restores FIFO, registers and the IRQ level into a fresh UART, which then behaves the same', () => {
    const original = busyUart();
    const saved = roundTrip(saveState(original.uart));
    expect(saved.name).toBe('ns16550a');
    expect(saved.version).toBe(1);
    expect(saved.fields).toEqual({
      rx: [...new TextEncoder().encode('he quick brown ')],
      ier: 0x03,
      lcr: 0x1b,
      mcr: 0x0b,
      scr: 0x5a,
      fcr: 0xc1,
      dll: 0x0c,
      dlm: 0x01,
      overrun: true,
      thrEmptyPending: true,
    });

    const fresh = makeUart();
    expect(fresh.lastIrq()).toBe(false);
    loadState(fresh.uart, saved);
    expect(fresh.lastIrq()).toBe(true); // postLoad drives the IRQ output
    expect(probe(fresh.uart, fresh.sent, fresh.lastIrq)).toEqual(probe(original.uart, original.sent, original.lastIrq));
  });

  it('restores a THR-empty interrupt already acknowledged (IIR read), and DLAB set at the moment of the snapshot', () => {
    const original = makeUart();
    original.uart.write(UART_IER, IER_THRI, 1);
    expect(original.uart.read(UART_IIR_FCR, 1) & 0x0f).toBe(IIR_THRI); // acknowledges THR-empty
    expect(original.lastIrq()).toBe(false);
    original.uart.write(UART_LCR, LCR_DLAB, 1);
    original.uart.write(UART_RBR_THR, 0x99, 1); // DLL while DLAB is set
    const fresh = makeUart();
    fresh.uart.write(UART_IER, IER_THRI, 1); // a fresh UART with THRI enabled would interrupt
    expect(fresh.lastIrq()).toBe(true);
    loadState(fresh.uart, roundTrip(saveState(original.uart)));
    expect(fresh.lastIrq()).toBe(false);
    expect(fresh.uart.read(UART_RBR_THR, 1)).toBe(0x99);
    expect(original.uart.read(UART_RBR_THR, 1)).toBe(0x99);
    expect(probe(fresh.uart, fresh.sent, fresh.lastIrq)).toEqual(probe(original.uart, original.sent, original.lastIrq));
  });

  it('drives the IRQ low on load when the loaded state has no interrupt', () => {
    const busy = busyUart();
    loadState(busy.uart, roundTrip(saveState(makeUart().uart)));
    expect(busy.lastIrq()).toBe(false);
    expect(busy.uart.receiveSpace).toBe(16);
    expect(busy.uart.read(UART_SCR, 1)).toBe(0);
  });

  it('refuses a saved FIFO longer than this UART\'s fifo-depth', () => {
    const deep = makeUart({ 'fifo-depth': 16 }).uart;
    deep.receive([1, 2, 3]);
    const saved = roundTrip(saveState(deep));
    expect(() => loadState(makeUart({ 'fifo-depth': 2 }).uart, saved)).toThrow('/machine/uart0 (ns16550a): field rx holds 3 entries, more than this UART\'s fifo-depth of 2');
    const fits = makeUart({ 'fifo-depth': 4 }).uart;
    loadState(fits, saved);
    expect(fits.receiveSpace).toBe(1);
  });

  it('refuses a FIFO longer than 16 bytes and register bits the UART does not have', () => {
    const saved = roundTrip(saveState(makeUart().uart));
    expect(() => loadState(makeUart().uart, { ...saved, fields: { ...saved.fields, rx: new Array<number>(17).fill(0) } })).toThrow(/field rx holds 17 entries/);
    expect(() => loadState(makeUart().uart, { ...saved, fields: { ...saved.fields, ier: 0x10 } })).toThrow(StateError);
    expect(() => loadState(makeUart().uart, { ...saved, fields: { ...saved.fields, mcr: 0x20 } })).toThrow(/field mcr has bits outside its mask 0x1f/);
  });
});
