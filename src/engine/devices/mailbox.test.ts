import { describe, expect, it } from 'vitest';
import { loadState, saveState, StateError } from '../state.ts';
import type { MmioHandler } from '../memory.ts';
import { IRQEN_RXNE, IRQEN_TXSPACE, Mailbox, MAILBOX_IRQEN, MAILBOX_RX, MAILBOX_RXCOUNT, MAILBOX_STATUS, MAILBOX_TX, STATUS_RXNE, STATUS_TXFULL, STATUS_TXOVF } from './mailbox.ts';
import { privateRam } from './device.ts';

function makeMailbox(props: Record<string, number> = {}) {
  const mailbox = new Mailbox({ path: '/machine/mbox', props, allocateRam: privateRam });
  const region = (name: string): MmioHandler => {
    const r = mailbox.regions.get(name);
    if (r?.kind !== 'mmio') throw new Error(`no mmio region ${name}`);
    return r.handler;
  };
  const levels = { a: [] as boolean[], b: [] as boolean[] };
  mailbox.connectIrqOutput('a.irq', 0, { set: (l) => levels.a.push(l) });
  mailbox.connectIrqOutput('b.irq', 0, { set: (l) => levels.b.push(l) });
  const irq = (side: 'a' | 'b') => levels[side][levels[side].length - 1];
  return { mailbox, a: region('a.regs'), b: region('b.regs'), levels, irq };
}

describe('mailbox', () => {
  it('has a 4 KiB-mapped register block per side and reads 0 at offsets that are no register', () => {
    const { mailbox, a } = makeMailbox();
    expect([...mailbox.regions.keys()]).toEqual(['a.regs', 'b.regs']);
    a.write(MAILBOX_TX, 7, 4);
    expect(a.read(0x14, 4)).toBe(0);
    expect(a.read(0xffc, 4)).toBe(0);
    a.write(0x14, 0xffff_ffff, 4); // ignored
    expect(a.read(MAILBOX_TX, 4)).toBe(0); // TX is write-only
  });

  it('carries words from a to b and from b to a, in order, each side with its own FIFO', () => {
    const { a, b } = makeMailbox();
    a.write(MAILBOX_TX, 0x1111_1111, 4);
    a.write(MAILBOX_TX, 0xdead_beef, 4);
    b.write(MAILBOX_TX, 0x42, 4);
    expect(b.read(MAILBOX_RXCOUNT, 4)).toBe(2);
    expect(a.read(MAILBOX_RXCOUNT, 4)).toBe(1);
    expect(b.read(MAILBOX_RX, 4)).toBe(0x1111_1111);
    expect(b.read(MAILBOX_RX, 4)).toBe(0xdead_beef);
    expect(b.read(MAILBOX_RX, 4)).toBe(0); // empty reads 0
    expect(b.read(MAILBOX_RXCOUNT, 4)).toBe(0);
    expect(a.read(MAILBOX_RX, 4)).toBe(0x42);
    expect(a.read(MAILBOX_RX, 4)).toBe(0);
    b.write(MAILBOX_RX, 5, 4); // RX is read-only
    expect(b.read(MAILBOX_RXCOUNT, 4)).toBe(0);
  });

  it('STATUS: RXNE while this side has a word, TXFULL while the other side is full, TXOVF sticky on a dropped word until 1 is written to it', () => {
    const { a, b } = makeMailbox({ depth: 2 });
    expect(a.read(MAILBOX_STATUS, 4)).toBe(0);
    a.write(MAILBOX_TX, 1, 4);
    expect(b.read(MAILBOX_STATUS, 4)).toBe(STATUS_RXNE);
    expect(a.read(MAILBOX_STATUS, 4)).toBe(0);
    a.write(MAILBOX_TX, 2, 4);
    expect(a.read(MAILBOX_STATUS, 4)).toBe(STATUS_TXFULL);
    a.write(MAILBOX_TX, 3, 4); // dropped
    expect(a.read(MAILBOX_STATUS, 4)).toBe(STATUS_TXFULL | STATUS_TXOVF);
    expect(b.read(MAILBOX_STATUS, 4)).toBe(STATUS_RXNE); // b did nothing wrong
    expect(b.read(MAILBOX_RXCOUNT, 4)).toBe(2);
    expect(b.read(MAILBOX_RX, 4)).toBe(1);
    expect(b.read(MAILBOX_RX, 4)).toBe(2);
    expect(b.read(MAILBOX_RX, 4)).toBe(0); // word 3 never arrived
    expect(a.read(MAILBOX_STATUS, 4)).toBe(STATUS_TXOVF); // sticky after room came back
    a.write(MAILBOX_STATUS, STATUS_RXNE | STATUS_TXFULL, 4); // other bits do not clear it
    expect(a.read(MAILBOX_STATUS, 4)).toBe(STATUS_TXOVF);
    a.write(MAILBOX_STATUS, STATUS_TXOVF, 4);
    expect(a.read(MAILBOX_STATUS, 4)).toBe(0);
    // the same on side b
    b.write(MAILBOX_TX, 1, 4);
    b.write(MAILBOX_TX, 2, 4);
    b.write(MAILBOX_TX, 3, 4);
    expect(b.read(MAILBOX_STATUS, 4)).toBe(STATUS_TXFULL | STATUS_TXOVF);
    expect(a.read(MAILBOX_STATUS, 4)).toBe(STATUS_RXNE);
  });

  it('mailbox.depth: each direction holds depth words and drops the next', () => {
    const fill = (depth: number | undefined) => {
      const { a, b } = makeMailbox(depth === undefined ? {} : { depth });
      for (let i = 1; i <= 40; i++) a.write(MAILBOX_TX, i, 4);
      return { count: b.read(MAILBOX_RXCOUNT, 4), last: (() => { let w = 0; for (let i = 0; i < 40; i++) w = b.read(MAILBOX_RX, 4) || w; return w; })() };
    };
    expect(fill(undefined)).toEqual({ count: 16, last: 16 });
    expect(fill(4)).toEqual({ count: 4, last: 4 });
    expect(fill(32)).toEqual({ count: 32, last: 32 });
    expect(() => makeMailbox({ depth: 0 })).toThrow('depth must be an integer from 1 to 256');
  });

  it('IRQEN reads back its two bits; irq follows RXNE with bit 0 and TXFULL clear with bit 1, as a level, per side', () => {
    const { a, b, irq, levels } = makeMailbox({ depth: 1 });
    expect(irq('a')).toBe(false);
    expect(irq('b')).toBe(false);
    b.write(MAILBOX_IRQEN, 0xffff_ffff, 4);
    expect(b.read(MAILBOX_IRQEN, 4)).toBe(IRQEN_RXNE | IRQEN_TXSPACE);
    expect(irq('b')).toBe(true); // room to send
    b.write(MAILBOX_IRQEN, IRQEN_RXNE, 4);
    expect(irq('b')).toBe(false);
    a.write(MAILBOX_TX, 9, 4);
    expect(irq('b')).toBe(true); // RXNE
    expect(irq('a')).toBe(false); // a's IRQEN is 0
    a.write(MAILBOX_IRQEN, IRQEN_TXSPACE, 4);
    expect(irq('a')).toBe(false); // b's FIFO (depth 1) is full
    expect(b.read(MAILBOX_RX, 4)).toBe(9);
    expect(irq('b')).toBe(false);
    expect(irq('a')).toBe(true); // room again
    a.write(MAILBOX_IRQEN, IRQEN_RXNE, 4);
    expect(irq('a')).toBe(false);
    b.write(MAILBOX_TX, 1, 4);
    expect(irq('a')).toBe(true);
    expect(a.read(MAILBOX_RX, 4)).toBe(1);
    expect(irq('a')).toBe(false);
    // a line changes only on an edge: no repeated levels
    for (const side of ['a', 'b'] as const) for (let i = 1; i < levels[side].length; i++) expect(levels[side][i]).not.toBe(levels[side][i - 1]);
  });

  it('reset empties both FIFOs and clears IRQEN and TXOVF, dropping the irq lines', () => {
    const { mailbox, a, b, irq } = makeMailbox({ depth: 1 });
    a.write(MAILBOX_TX, 1, 4);
    a.write(MAILBOX_TX, 2, 4);
    b.write(MAILBOX_TX, 3, 4);
    a.write(MAILBOX_IRQEN, IRQEN_RXNE, 4);
    b.write(MAILBOX_IRQEN, IRQEN_RXNE, 4);
    expect(irq('a') && irq('b')).toBe(true);
    mailbox.reset();
    expect(irq('a')).toBe(false);
    expect(irq('b')).toBe(false);
    for (const side of [a, b]) {
      expect(side.read(MAILBOX_STATUS, 4)).toBe(0);
      expect(side.read(MAILBOX_IRQEN, 4)).toBe(0);
      expect(side.read(MAILBOX_RXCOUNT, 4)).toBe(0);
    }
  });

  it('snapshot and restore: FIFO contents, IRQEN and TXOVF come back, and the irq lines are driven from them', () => {
    const one = makeMailbox({ depth: 2 });
    one.a.write(MAILBOX_TX, 0xa1, 4);
    one.a.write(MAILBOX_TX, 0xa2, 4);
    one.a.write(MAILBOX_TX, 0xa3, 4); // dropped: TXOVF on a
    one.b.write(MAILBOX_TX, 0xb1, 4);
    one.b.write(MAILBOX_IRQEN, IRQEN_RXNE, 4);
    one.a.write(MAILBOX_IRQEN, IRQEN_TXSPACE, 4);
    const saved = JSON.parse(JSON.stringify(saveState(one.mailbox)));
    const two = makeMailbox({ depth: 2 });
    loadState(two.mailbox, saved);
    expect(two.irq('b')).toBe(true);
    expect(two.irq('a')).toBe(false); // b's FIFO is full
    expect(two.a.read(MAILBOX_STATUS, 4)).toBe(STATUS_RXNE | STATUS_TXFULL | STATUS_TXOVF);
    expect(two.a.read(MAILBOX_IRQEN, 4)).toBe(IRQEN_TXSPACE);
    expect(two.b.read(MAILBOX_RX, 4)).toBe(0xa1);
    expect(two.b.read(MAILBOX_RX, 4)).toBe(0xa2);
    expect(two.a.read(MAILBOX_RX, 4)).toBe(0xb1);
    // a FIFO longer than this mailbox's depth does not load
    const small = makeMailbox({ depth: 1 });
    expect(() => loadState(small.mailbox, saved)).toThrow(StateError);
  });
});
