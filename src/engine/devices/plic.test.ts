import { BusFault } from '../memory.ts';
import { describe, expect, it } from 'vitest';
import { loadState, saveState, type SavedState } from '../state.ts';
import { privateRam, type DeviceContext } from './device.ts';
import { PLIC_CLAIM_COMPLETE, PLIC_CONTEXT, PLIC_CONTEXT_STRIDE, PLIC_ENABLE, PLIC_ENABLE_STRIDE, PLIC_PENDING, PLIC_PRIORITY, PLIC_THRESHOLD, Plic, plicMachineContext, plicSupervisorContext } from './plic.ts';

function makePlic(props: DeviceContext['props'] = {}) {
  const plic = new Plic({ path: '/machine/plic', props, allocateRam: privateRam });
  const meip: boolean[][] = [];
  const seip: boolean[][] = [];
  for (let hart = 0; hart < plic.numHarts; hart++) {
    meip.push([]);
    seip.push([]);
    plic.connectIrqOutput('meip', hart, { set: (level) => meip[hart].push(level) });
    plic.connectIrqOutput('seip', hart, { set: (level) => seip[hart].push(level) });
  }
  const last = (levels: boolean[]) => levels[levels.length - 1];
  const setPriority = (source: number, priority: number) => plic.write(PLIC_PRIORITY + 4 * source, priority, 4);
  const enable = (context: number, ...sources: number[]) => {
    for (const source of sources) {
      const offset = PLIC_ENABLE + PLIC_ENABLE_STRIDE * context + 4 * (source >>> 5);
      plic.write(offset, plic.read(offset, 4) | (1 << (source & 31)), 4);
    }
  };
  const setThreshold = (context: number, threshold: number) => plic.write(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_THRESHOLD, threshold, 4);
  const claim = (context: number) => plic.read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_CLAIM_COMPLETE, 4);
  const complete = (context: number, source: number) => plic.write(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_CLAIM_COMPLETE, source, 4);
  return { plic, meip, seip, last, setPriority, enable, setThreshold, claim, complete };
}

describe('plic', () => {
  it('stores priorities modulo 8 and thresholds the same way', () => {
    const { plic, setPriority, setThreshold } = makePlic();
    setPriority(10, 7);
    expect(plic.read(PLIC_PRIORITY + 40, 4)).toBe(7);
    setPriority(10, 9); // WARL: 9 % 8
    expect(plic.read(PLIC_PRIORITY + 40, 4)).toBe(1);
    setThreshold(1, 0xf);
    expect(plic.read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE + PLIC_THRESHOLD, 4)).toBe(7);
    expect(plic.read(PLIC_PRIORITY + 4 * 96, 4)).toBe(0); // beyond num-sources
  });

  it('shows a high source as pending and raises meip when enabled with priority above threshold', () => {
    const { plic, meip, seip, last, setPriority, enable } = makePlic();
    plic.setIrqInput('in', 10, true);
    expect(plic.read(PLIC_PENDING, 4)).toBe(1 << 10);
    expect(meip[0]).toEqual([false]); // priority 0 never interrupts
    setPriority(10, 1);
    expect(last(meip[0])).toBe(false); // not enabled yet
    enable(plicMachineContext(0), 10);
    expect(last(meip[0])).toBe(true);
    expect(seip[0]).toEqual([false]);
    plic.setIrqInput('in', 10, false); // as QEMU 7.2: the request stays pending until claimed
    expect(plic.read(PLIC_PENDING, 4)).toBe(1 << 10);
    expect(last(meip[0])).toBe(true);
  });

  it('masks sources whose priority is not above the context threshold', () => {
    const { plic, meip, last, setPriority, enable, setThreshold, claim } = makePlic();
    setPriority(5, 3);
    enable(0, 5);
    setThreshold(0, 3);
    plic.setIrqInput('in', 5, true);
    expect(last(meip[0])).toBe(false);
    expect(claim(0)).toBe(0);
    expect(plic.isPending(5)).toBe(true); // a claim of nothing leaves it pending
    setThreshold(0, 2);
    expect(last(meip[0])).toBe(true);
    expect(claim(0)).toBe(5);
  });

  it('claims the highest priority first and the lowest id on ties, then returns 0', () => {
    const { plic, meip, last, setPriority, enable, claim, complete } = makePlic();
    setPriority(3, 2);
    setPriority(7, 5);
    setPriority(40, 5);
    setPriority(50, 1);
    enable(0, 3, 7, 40, 50);
    for (const source of [50, 40, 7, 3]) plic.setIrqInput('in', source, true);
    expect(plic.read(PLIC_PENDING + 4, 4)).toBe((1 << (40 - 32)) | (1 << (50 - 32)));
    expect(plic.peekClaim(0)).toBe(7);
    expect(claim(0)).toBe(7);
    expect(claim(0)).toBe(40);
    expect(claim(0)).toBe(3);
    expect(claim(0)).toBe(50);
    expect(last(meip[0])).toBe(false);
    expect(claim(0)).toBe(0);
    expect(plic.isClaimed(7)).toBe(true);
    for (const source of [7, 40, 3, 50]) plic.setIrqInput('in', source, false);
    for (const source of [7, 40, 3, 50]) complete(0, source);
    expect(last(meip[0])).toBe(false);
    expect(plic.isClaimed(7)).toBe(false);
  });

  it('latches requests until claimed, as QEMU 7.2: a request while claimed is taken after completion', () => {
    const { plic, meip, last, setPriority, enable, claim, complete } = makePlic();
    setPriority(10, 1);
    enable(0, 10);
    plic.setIrqInput('in', 10, true);
    plic.setIrqInput('in', 10, false); // a pulse is not lost
    expect(claim(0)).toBe(10);
    expect(plic.isPending(10)).toBe(false);
    expect(last(meip[0])).toBe(false);
    plic.setIrqInput('in', 10, true); // requested again while claimed: pending, but not claimable yet
    expect(plic.isPending(10)).toBe(true);
    expect(last(meip[0])).toBe(false);
    expect(claim(0)).toBe(0);
    complete(0, 10);
    expect(last(meip[0])).toBe(true);
    expect(claim(0)).toBe(10);
    complete(0, 10);
    expect(plic.isPending(10)).toBe(false);
    expect(last(meip[0])).toBe(false);
    expect(meip[0]).toEqual([false, true, false, true, false]);
  });

  it('keeps enables per context and drives meip and seip of each hart separately', () => {
    const { plic, meip, seip, last, setPriority, enable, claim, complete } = makePlic({ 'num-harts': 2 });
    expect(plic.numContexts).toBe(4);
    setPriority(1, 1);
    setPriority(2, 1);
    enable(plicSupervisorContext(0), 1);
    enable(plicMachineContext(1), 2);
    expect(plic.read(PLIC_ENABLE + PLIC_ENABLE_STRIDE * 1, 4)).toBe(1 << 1);
    expect(plic.read(PLIC_ENABLE + PLIC_ENABLE_STRIDE * 2, 4)).toBe(1 << 2);
    expect(plic.read(PLIC_ENABLE, 4)).toBe(0);
    plic.setIrqInput('in', 1, true);
    expect(last(seip[0])).toBe(true);
    expect(last(meip[0])).toBe(false);
    expect(last(meip[1])).toBe(false);
    plic.setIrqInput('in', 2, true);
    expect(last(meip[1])).toBe(true);
    expect(last(seip[1])).toBe(false);
    expect(claim(plicMachineContext(0))).toBe(0); // not enabled for hart 0's M context
    expect(claim(plicSupervisorContext(0))).toBe(1);
    expect(last(seip[0])).toBe(false);
    expect(last(meip[1])).toBe(true);
    plic.setIrqInput('in', 1, false);
    complete(plicSupervisorContext(0), 1);
    expect(last(seip[0])).toBe(false);
  });

  it('lets a source enabled in two contexts be claimed by only one', () => {
    const { plic, meip, seip, last, setPriority, enable, claim } = makePlic({ 'num-harts': 2 });
    setPriority(9, 4);
    enable(plicSupervisorContext(0), 9);
    enable(plicSupervisorContext(1), 9);
    plic.setIrqInput('in', 9, true);
    expect(last(seip[0])).toBe(true);
    expect(last(seip[1])).toBe(true);
    expect(claim(plicSupervisorContext(1))).toBe(9);
    expect(last(seip[0])).toBe(false);
    expect(last(seip[1])).toBe(false);
    expect(claim(plicSupervisorContext(0))).toBe(0);
    expect(meip[0]).toEqual([false]);
  });

  it('ignores source 0 and writes to pending; faults sub-word accesses as QEMU does', () => {
    const { plic, meip, setPriority, enable, claim } = makePlic();
    setPriority(0, 7);
    enable(0, 0);
    plic.setIrqInput('in', 0, true);
    plic.write(PLIC_PENDING, 0xffffffff, 4);
    expect(plic.read(PLIC_PENDING, 4)).toBe(0);
    expect(claim(0)).toBe(0);
    expect(meip[0]).toEqual([false]);
    expect(() => plic.write(PLIC_PRIORITY + 4, 3, 1)).toThrow(BusFault);
    expect(() => plic.read(PLIC_PRIORITY + 4, 2)).toThrow(BusFault);
    expect(plic.read(PLIC_PRIORITY + 4, 4)).toBe(0);
  });

  it('resets registers and lowers its outputs', () => {
    const { plic, meip, last, setPriority, enable, setThreshold, claim } = makePlic();
    setPriority(4, 2);
    setPriority(6, 2);
    enable(0, 4, 6);
    setThreshold(0, 1);
    plic.setIrqInput('in', 4, true);
    plic.setIrqInput('in', 6, true);
    claim(0);
    plic.setIrqInput('in', 4, false);
    expect(last(meip[0])).toBe(true);
    plic.reset();
    expect(last(meip[0])).toBe(false);
    expect(plic.read(PLIC_PRIORITY + 16, 4)).toBe(0);
    expect(plic.read(PLIC_ENABLE, 4)).toBe(0);
    expect(plic.read(PLIC_CONTEXT + PLIC_THRESHOLD, 4)).toBe(0);
    expect(plic.isClaimed(4)).toBe(false);
    expect(plic.isPending(4)).toBe(false);
    expect(plic.isPending(6)).toBe(true); // its line is still high
  });
});

describe('plic state', () => {
  const roundTrip = (state: SavedState): SavedState => JSON.parse(JSON.stringify(state)) as SavedState;
  const props = { 'num-sources': 40, 'num-harts': 2 };
  type Made = ReturnType<typeof makePlic>;
  const outputs = (made: Made) => [0, 1].flatMap((hart) => [made.last(made.meip[hart]), made.last(made.seip[hart])]);

  /** Priorities, enables and thresholds in four contexts; sources pending, claimed, and claimed with the line since dropped. */
  function busyPlic(): Made {
    const made = makePlic(props);
    const { plic, setPriority, enable, setThreshold, claim } = made;
    setPriority(3, 5);
    setPriority(10, 2);
    setPriority(33, 6);
    setPriority(35, 1);
    setPriority(39, 4);
    enable(plicMachineContext(0), 3, 10, 33);
    enable(plicSupervisorContext(0), 10, 35);
    enable(plicMachineContext(1), 33, 39);
    setThreshold(plicSupervisorContext(0), 1);
    setThreshold(plicMachineContext(1), 6);
    for (const source of [3, 10, 33, 35, 39]) plic.setIrqInput('in', source, true);
    expect(claim(plicMachineContext(0))).toBe(33);
    expect(claim(plicMachineContext(0))).toBe(3);
    plic.setIrqInput('in', 3, false); // dropped while claimed
    plic.setIrqInput('in', 35, false); // lowered before anyone claimed it: stays pending, as on QEMU
    return made;
  }

  /** Register reads, then claims and completions in every context, recording the outputs after each step. */
  function probe(made: Made): unknown[] {
    const { plic, claim, complete } = made;
    const seen: unknown[] = [outputs(made)];
    for (let source = 0; source < 40; source++) seen.push(plic.read(PLIC_PRIORITY + 4 * source, 4), plic.isPending(source), plic.isClaimed(source));
    for (let word = 0; word < 2; word++) seen.push(plic.read(PLIC_PENDING + 4 * word, 4));
    for (let context = 0; context < 4; context++) {
      seen.push(plic.peekClaim(context), plic.read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * context + PLIC_THRESHOLD, 4));
      for (let word = 0; word < 2; word++) seen.push(plic.read(PLIC_ENABLE + PLIC_ENABLE_STRIDE * context + 4 * word, 4));
    }
    for (let round = 0; round < 3; round++) {
      for (let context = 0; context < 4; context++) seen.push(context, claim(context), outputs(made));
    }
    for (const source of [3, 33, 10]) {
      complete(0, source);
      seen.push(source, outputs(made), [0, 1, 2, 3].map((context) => plic.peekClaim(context)));
    }
    plic.setIrqInput('in', 35, true);
    seen.push(outputs(made), claim(plicSupervisorContext(0)));
    return seen;
  }

  it('restores priorities, gateways, enables, thresholds and output levels into a fresh PLIC', () => {
    const original = busyPlic();
    const saved = roundTrip(saveState(original.plic));
    expect(saved.name).toBe('plic');
    expect(saved.fields.pending).toEqual([1 << 10, ((1 << (35 - 32)) | (1 << (39 - 32))) >>> 0]);
    expect(saved.fields.claimed).toEqual([1 << 3, 1 << (33 - 32)]);
    expect(saved.fields.level).toEqual([1 << 10, (1 << 1) | (1 << 7)]);
    expect(saved.fields.outputLevel).toEqual([1, 1, 0, 0]); // hart 1 M: 39 (priority 4) is below threshold 6

    const fresh = makePlic(props);
    expect(outputs(fresh)).toEqual([false, false, false, false]);
    loadState(fresh.plic, saved);
    expect(outputs(fresh)).toEqual([true, true, false, false]); // postLoad drives the loaded levels
    expect(outputs(fresh)).toEqual(outputs(original));
    // Devices re-drive their lines in postLoad: a low line changes nothing (a high one is a new
    // request, as on QEMU, and sets pending again).
    for (const source of [3, 35]) fresh.plic.setIrqInput('in', source, false);
    expect(saveState(fresh.plic)).toEqual(saved);
    expect(probe(fresh)).toEqual(probe(original));
    expect(saveState(fresh.plic)).toEqual(saveState(original.plic));
  });

  it('drives outputs low on load when the loaded state has nothing claimable', () => {
    const busy = busyPlic();
    loadState(busy.plic, roundTrip(saveState(makePlic(props).plic)));
    expect(outputs(busy)).toEqual([false, false, false, false]);
    expect(busy.plic.isClaimed(33)).toBe(false);
  });

  it('refuses state of a PLIC of another size and bits of sources it does not have', () => {
    const saved = roundTrip(saveState(busyPlic().plic));
    expect(() => loadState(makePlic({ 'num-sources': 40 }).plic, saved)).toThrow(/field enable must have exactly 4 elements \(got 8\)/);
    expect(() => loadState(makePlic({ 'num-sources': 96, 'num-harts': 2 }).plic, saved)).toThrow(/field priority must have exactly 96 elements/);
    const beyond = roundTrip(saved);
    (beyond.fields.pending as number[])[1] |= 1 << 8; // source 40
    expect(() => loadState(makePlic(props).plic, beyond)).toThrow(/field pending has a bit for source 40, which this PLIC \(num-sources 40\) does not have/);
    const zero = roundTrip(saved);
    (zero.fields.level as number[])[0] |= 1; // source 0
    expect(() => loadState(makePlic(props).plic, zero)).toThrow(/field level has a bit for source 0/);
    const priority = roundTrip(saved);
    (priority.fields.priority as number[])[3] = 8;
    expect(() => loadState(makePlic(props).plic, priority)).toThrow(/field priority \[3\] has bits outside its mask 0x7/);
  });
});
