import { describe, expect, it } from 'vitest';
import { CLINT_MSIP, CLINT_MTIME, CLINT_MTIMECMP, Clint } from './clint.ts';
import { BusFault } from '../memory.ts';
import { loadState, saveState, type SavedState } from '../state.ts';
import { privateRam, type DeviceContext } from './device.ts';
import { FakeClock } from '../testing/fake-clock.ts';

function makeClint(props: DeviceContext['props'] = {}, clock: FakeClock | undefined = new FakeClock()) {
  const clint = new Clint({ path: '/machine/clint', props, allocateRam: privateRam, clock });
  const numHarts = clint.numHarts;
  const msip: boolean[][] = [];
  const mtip: boolean[][] = [];
  /** Virtual time (ns) of every mtip change of each hart. */
  const mtipAt: number[][] = [];
  for (let hart = 0; hart < numHarts; hart++) {
    msip.push([]);
    mtip.push([]);
    mtipAt.push([]);
    clint.connectIrqOutput('msip', hart, { set: (level) => msip[hart].push(level) });
    clint.connectIrqOutput('mtip', hart, {
      set: (level) => {
        mtip[hart].push(level);
        mtipAt[hart].push(clock?.now() ?? 0);
      },
    });
  }
  const last = (levels: boolean[]) => levels[levels.length - 1];
  const writeCmp = (hart: number, value: bigint) => {
    // The RV32 idiom: hi = all ones first, so no spurious interrupt between the halves.
    clint.write(CLINT_MTIMECMP + 8 * hart + 4, 0xffffffff, 4);
    clint.write(CLINT_MTIMECMP + 8 * hart, Number(value & 0xffffffffn), 4);
    clint.write(CLINT_MTIMECMP + 8 * hart + 4, Number(value >> 32n), 4);
  };
  const readMtime = () => (BigInt(clint.read(CLINT_MTIME + 4, 4)) << 32n) | BigInt(clint.read(CLINT_MTIME, 4));
  return { clint, clock, msip, mtip, mtipAt, last, writeCmp, readMtime };
}

describe('clint', () => {
  it('keeps one msip bit per hart that drives the msip line', () => {
    const { clint, msip, last } = makeClint({ 'num-harts': 2 });
    expect(msip[0]).toEqual([false]);
    clint.write(CLINT_MSIP + 4, 0xffffffff, 4);
    expect(clint.read(CLINT_MSIP + 4, 4)).toBe(1); // only bit 0 is implemented
    expect(last(msip[1])).toBe(true);
    expect(last(msip[0])).toBe(false);
    clint.write(CLINT_MSIP + 4, 2, 4);
    expect(clint.read(CLINT_MSIP + 4, 4)).toBe(0);
    expect(msip[1]).toEqual([false, true, false]);
    clint.write(CLINT_MSIP + 8, 1, 4); // no hart 2: ignored
    expect(clint.read(CLINT_MSIP + 8, 4)).toBe(0);
  });

  it('counts mtime at the timebase frequency from virtual time', () => {
    const { clint, clock, readMtime } = makeClint({ 'timebase-frequency': 10_000_000 });
    expect(readMtime()).toBe(0n);
    clock!.advance(99);
    expect(readMtime()).toBe(0n);
    clock!.advance(1);
    expect(readMtime()).toBe(1n);
    clock!.advance(1_000_000_000 - 100);
    expect(readMtime()).toBe(10_000_000n);
    expect(clint.mtime()).toBe(10_000_000n);
  });

  it('splits a large mtime exactly into 32-bit halves', () => {
    const clock = new FakeClock();
    clock.time = 1e15 + 12_345; // 11.6 days: mtime passes 2^32
    const { readMtime, clint } = makeClint({}, clock);
    expect(readMtime()).toBe(0n); // mtime was 0 when the device was created (reset)
    clock.advance(1e15);
    expect(readMtime()).toBe(10_000_000_000_000n);
    expect(clint.mtimeHigh()).toBe(Number(10_000_000_000_000n >> 32n));
  });

  it('derives exact ticks for frequencies that do not divide a second', () => {
    for (const frequency of [32_768, 7_000_000, 1_000_000_007, 3]) {
      const clock = new FakeClock();
      const { readMtime } = makeClint({ 'timebase-frequency': frequency }, clock);
      for (const ns of [1, 30_517, 30_518, 999_999_999, 123_456_789_012, 2 ** 52]) {
        clock.time = ns;
        expect(readMtime()).toBe((BigInt(ns) * BigInt(frequency)) / 1_000_000_000n);
      }
    }
  });

  it('shifts mtime on writes to either half', () => {
    const { clint, clock, readMtime } = makeClint();
    clock!.advance(500); // mtime 5
    clint.write(CLINT_MTIME, 1000, 4);
    expect(readMtime()).toBe(1000n);
    clock!.advance(100);
    expect(readMtime()).toBe(1001n);
    clint.write(CLINT_MTIME + 4, 7, 4);
    expect(readMtime()).toBe((7n << 32n) | 1001n);
    clint.write(CLINT_MTIME, 0xffffffff, 4);
    clock!.advance(100); // carries into the high half
    expect(readMtime()).toBe(8n << 32n);
  });

  it('resets mtimecmp to 0, as QEMU virt, so mtip is pending until the guest writes it; halves read back', () => {
    const { clint, writeCmp, mtip } = makeClint();
    expect(clint.read(CLINT_MTIMECMP, 4)).toBe(0);
    expect(clint.read(CLINT_MTIMECMP + 4, 4)).toBe(0);
    expect(mtip[0]).toEqual([true]);
    writeCmp(0, 0x12345678_9abcdef0n);
    expect(clint.read(CLINT_MTIMECMP, 4)).toBe(0x9abcdef0);
    expect(clint.read(CLINT_MTIMECMP + 4, 4)).toBe(0x12345678);
    expect(clint.mtimecmp(0)).toBe(0x12345678_9abcdef0n);
  });

  it('raises mtip exactly when mtime reaches mtimecmp', () => {
    const { clock, mtip, mtipAt, writeCmp, last, readMtime } = makeClint();
    writeCmp(0, 50n); // mtime 50 at 5000 ns
    expect(last(mtip[0])).toBe(false);
    expect(clock!.pending).toBe(1);
    clock!.advance(4999);
    expect(readMtime()).toBe(49n);
    expect(last(mtip[0])).toBe(false);
    clock!.advance(1);
    expect(last(mtip[0])).toBe(true);
    expect(mtipAt[0][mtipAt[0].length - 1]).toBe(5000);
    clock!.advance(10_000);
    expect(mtip[0]).toEqual([true, false, true]); // high from reset (mtimecmp 0), low once set, high again while mtime >= mtimecmp
  });

  it('lowers mtip and re-arms on a write of mtimecmp, cancelling the old callback', () => {
    const { clock, mtip, mtipAt, writeCmp, last } = makeClint();
    writeCmp(0, 10n);
    clock!.advance(1000);
    expect(last(mtip[0])).toBe(true);
    writeCmp(0, 100n);
    expect(last(mtip[0])).toBe(false);
    writeCmp(0, 300n);
    writeCmp(0, 80n);
    expect(clock!.pending).toBe(1);
    clock!.advance(6999);
    expect(last(mtip[0])).toBe(false);
    clock!.advance(1);
    expect(last(mtip[0])).toBe(true);
    expect(mtipAt[0][mtipAt[0].length - 1]).toBe(8000);
    clock!.advance(100_000); // the cancelled callbacks never fire
    expect(mtip[0]).toEqual([true, false, true, false, true]);
  });

  it('raises mtip at once for an mtimecmp in the past', () => {
    const { clock, mtip, writeCmp, last } = makeClint();
    clock!.advance(100_000); // mtime 1000
    writeCmp(0, 100n);
    expect(last(mtip[0])).toBe(true);
    expect(clock!.pending).toBe(0);
  });

  it('rounds the wake-up time up for frequencies that do not divide a second', () => {
    const { clock, mtip, mtipAt, writeCmp, last } = makeClint({ 'timebase-frequency': 32_768 });
    writeCmp(0, 3n); // 3 / 32768 s = 91552.734375 ns
    clock!.advance(91_552);
    expect(last(mtip[0])).toBe(false);
    clock!.advance(1);
    expect(last(mtip[0])).toBe(true);
    expect(mtipAt[0][mtipAt[0].length - 1]).toBe(91_553);
  });

  it('re-evaluates every hart on writes of mtime', () => {
    const { clint, clock, mtip, mtipAt, writeCmp, last } = makeClint({ 'num-harts': 2 });
    writeCmp(0, 1000n);
    writeCmp(1, 5000n);
    clint.write(CLINT_MTIME, 2000, 4);
    expect(last(mtip[0])).toBe(true);
    expect(last(mtip[1])).toBe(false);
    clint.write(CLINT_MTIME, 0, 4);
    expect(last(mtip[0])).toBe(false);
    clock!.advance(100_000); // mtime 1000
    expect(last(mtip[0])).toBe(true);
    expect(mtipAt[0][mtipAt[0].length - 1]).toBe(100_000);
    expect(last(mtip[1])).toBe(false);
    clock!.advance(400_000);
    expect(last(mtip[1])).toBe(true);
    expect(mtipAt[1][mtipAt[1].length - 1]).toBe(500_000);
  });

  it('keeps mtime at 0 plus writes without a clock', () => {
    const { clint, mtip, writeCmp, last, readMtime } = makeClint({}, undefined);
    expect(readMtime()).toBe(0n);
    writeCmp(0, 5n);
    expect(last(mtip[0])).toBe(false);
    clint.write(CLINT_MTIME, 5, 4);
    expect(readMtime()).toBe(5n);
    expect(last(mtip[0])).toBe(true);
  });

  it('faults accesses narrower than 32 bits, as QEMU does, and changes nothing', () => {
    const { clint, readMtime } = makeClint();
    expect(() => clint.write(CLINT_MTIME, 0x55, 1)).toThrow(BusFault);
    expect(() => clint.write(CLINT_MSIP, 1, 2)).toThrow(BusFault);
    expect(readMtime()).toBe(0n);
    expect(clint.read(CLINT_MSIP, 4)).toBe(0);
    expect(() => clint.read(CLINT_MTIMECMP, 1)).toThrow(BusFault);
  });

  it('resets msip, mtimecmp and mtime and cancels the timer', () => {
    const { clint, clock, msip, mtip, writeCmp, last, readMtime } = makeClint();
    clint.write(CLINT_MSIP, 1, 4);
    clock!.advance(1000);
    writeCmp(0, 20n);
    clint.reset();
    expect(last(msip[0])).toBe(false);
    expect(clint.read(CLINT_MTIMECMP, 4)).toBe(0);
    expect(readMtime()).toBe(0n);
    expect(clock!.pending).toBe(0);
    clock!.advance(1_000_000);
    expect(mtip[0]).toEqual([true, false, true]); // pending again after reset, as at power-on
    expect(readMtime()).toBe(10_000n);
  });
});

describe('clint state', () => {
  const roundTrip = (state: SavedState): SavedState => JSON.parse(JSON.stringify(state)) as SavedState;
  const last = <T,>(values: T[]) => values[values.length - 1];

  /** Two harts at time 1 ms: mtime moved past 2^32, msip of hart 1 set, hart 0's mtimecmp 3000 ticks ahead, hart 1's passed. */
  function busyClint() {
    const made = makeClint({ 'num-harts': 2 });
    const { clint, clock, writeCmp } = made;
    clock!.advance(1_000_000);
    clint.write(CLINT_MTIME + 4, 1, 4);
    clint.write(CLINT_MTIME, 0xfffff000, 4); // mtime 0x1_ffff_f000 at 1 ms
    clint.write(CLINT_MSIP + 4, 1, 4);
    writeCmp(0, 0x1_ffff_f000n + 3000n); // at 1 ms + 300 us
    writeCmp(1, 0x1_0000_0000n);
    clock!.advance(12_345); // mtime 0x1_ffff_f07b (123 ticks later)
    return made;
  }

  /** A fresh CLINT on a fresh clock that the machine has set to `time` (restored before the devices). */
  function freshClint(time: number, props: DeviceContext['props'] = { 'num-harts': 2 }) {
    const clock = new FakeClock();
    clock.time = time;
    return makeClint(props, clock);
  }

  it('restores msip, mtimecmp, the mtime offset and mtip levels into a fresh CLINT on a restored clock', () => {
    const original = busyClint();
    const saved = roundTrip(saveState(original.clint));
    expect(saved).toEqual({
      name: 'clint',
      version: 1,
      fields: {
        msip: [0, 1],
        mtimecmpHi: [1, 1],
        mtimecmpLo: [0xfffff000 + 3000, 0],
        offsetHi: 1,
        offsetLo: 0xfffff000 - 10_000,
        mtipLevel: [0, 1],
      },
    });

    const fresh = freshClint(original.clock!.time);
    loadState(fresh.clint, saved);
    expect(last(fresh.msip[0])).toBe(false);
    expect(last(fresh.msip[1])).toBe(true);
    expect(last(fresh.mtip[0])).toBe(false);
    expect(last(fresh.mtip[1])).toBe(true);
    expect(fresh.readMtime()).toBe(original.readMtime());
    expect(fresh.readMtime()).toBe(0x1_ffff_f07bn);
    for (const offset of [CLINT_MSIP, CLINT_MSIP + 4, CLINT_MTIMECMP, CLINT_MTIMECMP + 4, CLINT_MTIMECMP + 8, CLINT_MTIMECMP + 12]) {
      expect(fresh.clint.read(offset, 4)).toBe(original.clint.read(offset, 4));
    }
    expect(fresh.clock!.pending).toBe(1); // hart 0's timer, re-armed

    // The timer fires at the same virtual time on both, and both then behave the same.
    for (const clint of [original, fresh]) {
      clint.clock!.advance(287_654);
      expect(last(clint.mtip[0])).toBe(false);
      clint.clock!.advance(1);
      expect(last(clint.mtip[0])).toBe(true);
      clint.writeCmp(1, 0x2_0000_0000n);
      clint.clock!.advance(10_000_000);
    }
    expect(fresh.mtipAt[0][fresh.mtipAt[0].length - 1]).toBe(1_300_000);
    expect(original.mtipAt[0][original.mtipAt[0].length - 1]).toBe(1_300_000);
    expect(fresh.mtipAt[1].slice(-2)).toEqual(original.mtipAt[1].slice(-2));
    expect(fresh.readMtime()).toBe(original.readMtime());
    expect(saveState(fresh.clint)).toEqual(saveState(original.clint));
  });

  it('keeps the deadline of a timer that was due but not yet fired when the state was saved (mid-quantum)', () => {
    const original = makeClint();
    original.writeCmp(0, 50n); // due at 5000 ns
    original.clock!.time = 7000; // the hart ran past the deadline within its quantum; the timer has not fired
    expect(last(original.mtip[0])).toBe(false);
    const fresh = freshClint(7000, {});
    loadState(fresh.clint, roundTrip(saveState(original.clint)));
    expect(last(fresh.mtip[0])).toBe(false); // as in the original: raised when the clock runs the due timer
    expect(fresh.clock!.pending).toBe(1);
    for (const clint of [original, fresh]) {
      clint.clock!.advance(0);
      expect(last(clint.mtip[0])).toBe(true);
    }
    expect(last(fresh.mtipAt[0])).toBe(7000);
    expect(last(original.mtipAt[0])).toBe(7000);
  });

  it('re-arms against the current clock when restored in place, cancelling the timers it had', () => {
    const made = makeClint();
    made.writeCmp(0, 10_000n); // due at 1 ms
    const snapshot = roundTrip(saveState(made.clint)); // at time 0
    made.clock!.advance(500_000);
    made.writeCmp(0, 60_000n); // due at 6 ms
    expect(made.clock!.pending).toBe(1);
    // Restore: the machine sets the clock back to the snapshot's time and clears its queue.
    const clock = made.clock!;
    clock.time = 0;
    loadState(made.clint, snapshot);
    expect(clock.pending).toBe(1);
    expect(made.readMtime()).toBe(0n);
    clock.advance(999_999);
    expect(last(made.mtip[0])).toBe(false);
    clock.advance(1);
    expect(last(made.mtip[0])).toBe(true);
    expect(made.mtipAt[0][made.mtipAt[0].length - 1]).toBe(1_000_000);
    clock.advance(10_000_000); // the 6 ms timer armed before the restore never fires
    expect(made.mtip[0]).toEqual([true, false, false, true]); // connect (mtimecmp 0), the write, postLoad re-drive, the 1 ms timer
  });

  it('drops mtip and re-arms when the loaded mtip level is high but mtime is below mtimecmp', () => {
    const original = makeClint();
    original.writeCmp(0, 100n);
    const saved = roundTrip(saveState(original.clint));
    saved.fields.mtipLevel = [1]; // inconsistent state, not something a Clint saves
    const fresh = freshClint(0, {});
    loadState(fresh.clint, saved);
    expect(fresh.mtip[0].slice(-2)).toEqual([true, false]);
    fresh.clock!.advance(10_000);
    expect(last(fresh.mtip[0])).toBe(true);
    expect(fresh.mtipAt[0][fresh.mtipAt[0].length - 1]).toBe(10_000);
  });

  it('refuses state of a CLINT with another number of harts', () => {
    const saved = roundTrip(saveState(busyClint().clint));
    expect(() => loadState(makeClint().clint, saved)).toThrow(/field msip must have exactly 1 elements \(got 2\)/);
  });
});
